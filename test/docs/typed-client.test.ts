// A TypeScript client generated from /openapi.json (openapi-typescript) type-checks a small program that
// calls operations by their operationId; the same program with a field the API does not have fails.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import openapiTS, { astToString } from 'openapi-typescript'
import { buildTestApp } from '../helper.js'
import { projectPath } from '../../src/paths.js'

const run = promisify(execFile)

const PROGRAM = (field: string) => `import type { components, operations, paths } from './api.js'
type Json<O extends keyof operations, S extends keyof operations[O]['responses']> =
  operations[O]['responses'][S] extends { content: { 'application/json': infer B } } ? B : never

type Profile = Json<'userProfile', 200>
type LoginBody = NonNullable<operations['login']['requestBody']>['content']['application/json']
type RoleParams = operations['userRole']['parameters']['path']

export async function profileName(base: string, token: string): Promise<string> {
  const res = await fetch(base + ('/user/profile' satisfies keyof paths), { headers: { authorization: 'Bearer ' + token } })
  const body = (await res.json()) as Profile
  const roles: number[] = body.data.orgRoles
  return body.data.${field} + roles.length
}
export const login: LoginBody = { email: 'owner@demo.test', password: 'Demo-Password-1' }
export const params: RoleParams = { userId: '3a4b5c6d-7e8f-4a1b-9c2d-3e4f5a6b7c8d' }

// The shared schemas are named types, and the operations use them.
type Schemas = components['schemas']
export const sameProfile = (body: Profile): Schemas['ProfileResponse'] => body
export const fromEnvelope = (body: Schemas['ProfileResponse']): Schemas['Profile'] => body.data
export const refused = (body: Json<'userProfile', 404>): Schemas['ErrorEnvelope'] => body
export const session = (body: Json<'clientSessions', 200>): Schemas['Session'][] => body.sessions
export const organization = (body: Json<'organization', 200>): Schemas['Organization'] => body.data
// The public client's shapes: domain a string, optional fields optional (absent, never null).
export const domain = (org: Schemas['Organization']): string => org.domain
export const located = (item: Schemas['Session']): string | undefined => item.location
export const primary = (status: Schemas['MfaStatus']): string | undefined => status.primaryMethod
export const pending = (body: Schemas['LoginResponse']): string | undefined => body.refreshToken ?? body.tokenId
`

t.test('a client generated from the OpenAPI document type-checks a program against it', async (t) => {
  const h = await buildTestApp(t)
  const spec = (await h.call({ url: '/openapi.json' })).body
  const dir = mkdtempSync(join(tmpdir(), 'gw-client-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  writeFileSync(join(dir, 'api.d.ts'), astToString(await openapiTS(spec)))
  const tsc = (file: string) =>
    run(
      process.execPath,
      [
        projectPath('node_modules', 'typescript', 'bin', 'tsc'),
        '--noEmit',
        '--strict',
        '--target',
        'es2022',
        '--module',
        'nodenext',
        '--lib',
        'es2022,dom',
        file,
      ],
      { cwd: dir },
    )
  writeFileSync(join(dir, 'good.ts'), PROGRAM('name'))
  await t.resolves(tsc('good.ts'), 'the program type-checks against the generated client')
  writeFileSync(join(dir, 'bad.ts'), PROGRAM('nickname'))
  const failed = await tsc('bad.ts').then(
    () => '',
    (err: { stdout?: string }) => err.stdout ?? '',
  )
  t.match(failed, /Property 'nickname' does not exist/, 'a field the API does not have fails the check')

  const api = readFileSync(join(dir, 'api.d.ts'), 'utf8')
  t.match(api, /"application\/json": components\["schemas"\]\["ProfileResponse"\];/, 'an operation answers a named schema')
  t.match(api, /data: components\["schemas"\]\["Profile"\];/, 'an envelope holds a named schema')
})
