// The layers of src/ and the one way imports point (README, "Architecture"); `npm run lint:layers` runs it.
// A module may import its own layer and the layers below it, never one above, and no import may close a circle.

/** Top to bottom. A file belongs to the first layer whose pattern matches it. */
const layers = [
  { name: 'entry', path: '^src/(server|app|ops)\\.ts$' },
  { name: 'routes', path: '^src/(rest|docs|playground)/' },
  { name: 'edge', path: '^src/(edge/|securityHeaders\\.ts$)' },
  { name: 'graphql', path: '^src/graphql/' },
  { name: 'services', path: '^src/(auth|mfa|mail|observability)/' },
  { name: 'repositories', path: '^src/db/repositories/' },
  { name: 'database', path: '^src/db/' },
  { name: 'domain', path: '^src/domain/' },
  { name: 'foundation', path: '^src/(crypto/|config\\.ts$|paths\\.ts$|failureLog\\.ts$)' },
  { name: 'prisma-client', path: '^src/generated/' },
]

const upward = layers.slice(1).map((layer, i) => ({
  name: `no-upward-from-${layer.name}`,
  comment: `${layer.name} must not import ${layers
    .slice(0, i + 1)
    .map((above) => above.name)
    .join(', ')} (layers point one way)`,
  severity: 'error',
  from: { path: layer.path, pathNot: layers.slice(0, i + 1).map((above) => above.path) },
  to: { path: layers.slice(0, i + 1).map((above) => above.path) },
}))

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles, type-only imports included (the generated Prisma client is not ours to change).',
      severity: 'error',
      from: { pathNot: '^src/generated/' },
      to: { circular: true },
    },
    ...upward,
    {
      name: 'no-constants-from-resolvers',
      comment: 'The HTTP layers take shared bounds from src/domain/ (or graphql/schema, engine, errors), not from a resolver file.',
      severity: 'error',
      from: { path: '^src/(edge|rest)/' },
      to: {
        path: '^src/graphql/(auth|accountMail|mfa|users|userUpdates|organizationUsers|organization|quota|sessions|settings|demoRequests|recentAuth|membership)\\.ts$',
      },
    },
    {
      name: 'domain-is-pure',
      comment: 'src/domain/ imports nothing outside itself but node built-ins and the foundation.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { path: '^src/', pathNot: ['^src/domain/', '^src/(crypto/|config\\.ts$)'] },
    },
    {
      name: 'prisma-client-only-in-db',
      comment: 'The generated Prisma client is read by src/db/ (and its observer, for types) only.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/db/', '^src/generated/', '^src/observability/database\\.ts$'] },
      to: { path: '^src/generated/' },
    },
    {
      name: 'src-not-tests',
      comment: 'Production code never imports test, bench or scripts code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/playground/public/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
}
