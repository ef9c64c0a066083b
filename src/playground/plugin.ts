// GET /graphiql: a GraphiQL page whose every script and style is served here, from npm packages,
// so it works offline and under a same-origin-only Content-Security-Policy.
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { FastifyInstance } from 'fastify'
import { projectPath } from '../paths.js'

const JS = 'text/javascript; charset=utf-8'
const CSS = 'text/css; charset=utf-8'
const require = createRequire(import.meta.url)
const fromPackage = (name: string, file: string) => join(dirname(require.resolve(`${name}/package.json`)), file)
const ownFile = (file: string) => projectPath('src', 'playground', 'public', file)

/** Every file the page loads, by the name it has under /graphiql/assets/. */
export const PLAYGROUND_ASSETS: Record<string, { path: string; type: string }> = {
  'react.js': { path: fromPackage('react', 'umd/react.production.min.js'), type: JS },
  'react-dom.js': { path: fromPackage('react-dom', 'umd/react-dom.production.min.js'), type: JS },
  'graphiql.js': { path: fromPackage('graphiql', 'graphiql.min.js'), type: JS },
  'graphiql.css': { path: fromPackage('graphiql', 'graphiql.min.css'), type: CSS },
  'playground.js': { path: ownFile('playground.js'), type: JS },
  'playground.css': { path: ownFile('playground.css'), type: CSS },
}

export default async function playgroundRoutes(app: FastifyInstance) {
  if (!app.config.graphiql) return
  // Read once at start: a missing package file fails the start, not a later page load.
  const page = readFileSync(ownFile('index.html'))
  const assets = new Map(Object.entries(PLAYGROUND_ASSETS).map(([name, { path, type }]) => [name, { body: readFileSync(path), type }]))

  app.get('/graphiql', { schema: { hide: true } }, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page),
  )
  app.get<{ Params: { name: string } }>('/graphiql/assets/:name', { schema: { hide: true } }, async (request, reply) => {
    const asset = assets.get(request.params.name)
    if (!asset) return reply.code(404).send({ success: false, message: 'Route not found' })
    return reply.type(asset.type).header('cache-control', 'public, max-age=3600').send(asset.body)
  })
}
