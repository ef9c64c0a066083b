// Response serializers shared by the apps of a process and, with a directory, kept on disk for the next process.
import t from 'tap'
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import { serializerFactory } from '../../src/edge/serializers.js'
import { scratchDir } from '../scratch.js'

const shared = { Profile: { $id: 'Profile', type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } }
const envelope = () => ({
  type: 'object',
  properties: { success: { type: 'boolean' }, data: { $ref: 'Profile#' } },
  required: ['success'],
})
const route = (schema: object) => ({ schema, method: 'GET', url: '/user/profile', httpStatus: '200' })
const answer = { success: true, data: { id: 'u1', name: 'Ada "the first"', passwordHash: 'never' }, extra: 1 }

t.test('kept on disk: compiled by the first process, loaded by the next, same output as fast-json-stringify', async (t) => {
  const dir = scratchDir('gw-serializers-')
  const expected = SerializerSelector()(shared as never, {} as never)(route(envelope()) as never)(answer)
  t.equal(expected, '{"success":true,"data":{"id":"u1","name":"Ada \\"the first\\""}}', 'only what the schema names')

  const first = serializerFactory(dir)(shared, {})(route(envelope()))
  t.equal(first(answer), expected)
  const files = readdirSync(dir)
  t.equal(files.length, 1, 'one file for one route schema')
  const written = statSync(join(dir, files[0]!)).mtimeMs

  // A schema object this process has not seen (as in another process): read from the file, not compiled again.
  const next = serializerFactory(dir)(shared, {})(route(envelope()))
  t.not(next, first, 'another function, from the file')
  t.equal(next(answer), expected)
  t.same(readdirSync(dir), files, 'no new file')
  t.equal(statSync(join(dir, files[0]!)).mtimeMs, written, 'the file was not written again')

  // Another shape, or other shared schemas: another file, never a stale serializer.
  const other = { ...envelope(), properties: { success: { type: 'boolean' } } }
  t.equal(serializerFactory(dir)(shared, {})(route(other))(answer), '{"success":true}')
  const renamed = { Profile: { ...shared.Profile, properties: { id: { type: 'string' } } } }
  t.equal(serializerFactory(dir)(renamed, {})(route(envelope()))(answer), '{"success":true,"data":{"id":"u1"}}')
  t.equal(readdirSync(dir).length, 3)
})

t.test('a directory that cannot be written: the serializer still works, nothing is left behind', async (t) => {
  const parent = scratchDir('gw-serializers-')
  const notADirectory = join(parent, 'file')
  writeFileSync(notADirectory, 'not a directory')
  const serialize = serializerFactory(join(notADirectory, 'cache'))(shared, {})(route(envelope()))
  t.equal(serialize(answer), '{"success":true,"data":{"id":"u1","name":"Ada \\"the first\\""}}')
  t.same(readdirSync(parent), ['file'])
})

t.test('without a directory: shared by the apps of the process by schema object, nothing written', async (t) => {
  const schema = envelope()
  const a = serializerFactory()(shared, {})(route(schema))
  const b = serializerFactory()(shared, {})(route(schema))
  t.equal(a, b, 'the same function for the same schema object')
  t.equal(a(answer), '{"success":true,"data":{"id":"u1","name":"Ada \\"the first\\""}}')
})
