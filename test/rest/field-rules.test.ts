// One rule per field on every path: each write path (REST and GraphQL) stores exactly what the field module
// makes of a value, or refuses it with the module's own message (and, on register, its error_code).
// Then deviceInfo: bounded, the user agent kept in it, and shown in the session list.
import t from 'tap'
import { buildTestApp, cpuMs } from '../helper.js'
import {
  FieldError,
  fields,
  MAX_DEVICE_INFO_BYTES,
  MAX_NAME_LENGTH,
  MAX_PASSWORD_LENGTH,
  MAX_USER_AGENT_LENGTH,
} from '../../src/domain/fields.js'
import { fieldCode, fieldMessage } from '../../src/graphql/fieldMessages.js'

const h = await buildTestApp(t, { RATE_LIMIT_REGISTER_PER_ADDRESS: '1000', RATE_LIMIT_LOGIN_PER_ADDRESS: '1000' })
const OWNER = 'owner@demo.test'
const PASSWORD = 'Demo-Password-1'
let serial = 0
const freshEmail = () => `field-${++serial}-${Date.now()}@example.test`

type Kind = 'personName' | 'email' | 'password'
type Values = Record<string, string>
interface Outcome {
  ok: boolean
  message?: string
  errorCode?: string
  stored?: { name: string; lastName: string; email: string }
}

const stored = async (id: string) =>
  h.db.prisma.user.findUniqueOrThrow({ where: { id }, select: { name: true, lastName: true, email: true } })
const rest = async (method: 'POST' | 'PUT', url: string, payload: object, as?: string) => h.call({ method, url, payload, as })
const gqlOutcome = async (query: string, variables: object, pick: (data: any) => string, as?: string): Promise<Outcome> => {
  const res = await h.graphql(query, variables as Record<string, unknown>, as)
  const error = res.body.errors?.[0]
  if (error) return { ok: false, message: error.message, errorCode: error.extensions.errorCode }
  return { ok: true, stored: await stored(pick(res.body.data)) }
}
const restOutcome = async (res: { status: number; body: any }, id: () => string): Promise<Outcome> =>
  res.status < 300 ? { ok: true, stored: await stored(id()) } : { ok: false, message: res.body.message, errorCode: res.body.error_code }

/** Every write path that takes a person's name, an email or a password; `fields` maps a kind to the path's field names. */
interface Path {
  label: string
  fields: Partial<Record<Kind, string[]>>
  /** Whether a refusal carries the rule's error_code (the auth-flow routes). */
  errorCodes: boolean
  run(values: Values): Promise<Outcome>
}

const registerBody = (values: Values) => ({
  email: freshEmail(),
  password: 'Strong-Pass-1',
  firstName: 'Ada',
  lastName: 'Lovelace',
  companyName: 'Engines',
  isBusiness: false,
  ...values,
})
const createBody = (values: Values) => ({ email: freshEmail(), password: 'Strong-Pass-1', firstName: 'Nora', lastName: 'New', ...values })

const updateSelf = 'user@demo.test'
const managed = 'billing@demo.test'

const paths: Path[] = [
  {
    label: 'POST /user/register',
    fields: { personName: ['firstName', 'lastName'], email: ['email'], password: ['password'] },
    errorCodes: true,
    run: async (values) => {
      const res = await rest('POST', '/user/register', registerBody(values))
      return restOutcome(res, () => res.body.user.id)
    },
  },
  {
    label: 'GraphQL register',
    fields: { personName: ['firstName', 'lastName'], email: ['email'], password: ['password'] },
    errorCodes: true,
    run: (values) =>
      gqlOutcome(
        'mutation ($input: RegisterInput!) { register(input: $input) { user { id } } }',
        { input: registerBody(values) },
        (d) => d.register.user.id,
      ),
  },
  {
    label: 'POST /organization/users',
    fields: { personName: ['firstName', 'lastName'], email: ['email'], password: ['password'] },
    errorCodes: false,
    run: async (values) => {
      const res = await rest('POST', '/organization/users', createBody(values), OWNER)
      return restOutcome(res, () => res.body.data.id)
    },
  },
  {
    label: 'GraphQL createOrganizationUser',
    fields: { personName: ['firstName', 'lastName'], email: ['email'], password: ['password'] },
    errorCodes: false,
    run: (values) =>
      gqlOutcome(
        'mutation ($input: OrganizationUserCreateInput!) { createOrganizationUser(input: $input) { id } }',
        { input: createBody(values) },
        (d) => d.createOrganizationUser.id,
        OWNER,
      ),
  },
  {
    label: 'PUT /user/{self}',
    fields: { personName: ['name', 'lastName'], password: ['password'] },
    errorCodes: false,
    run: async (values) => {
      const id = await h.userId(updateSelf)
      return restOutcome(await rest('PUT', `/user/${id}`, values, updateSelf), () => id)
    },
  },
  {
    label: 'GraphQL updateUser',
    fields: { personName: ['name', 'lastName'], password: ['password'] },
    errorCodes: false,
    run: async (values) => {
      const id = await h.userId(updateSelf)
      return gqlOutcome(
        'mutation ($id: ID!, $input: UserUpdateInput!) { updateUser(id: $id, input: $input) { success } }',
        { id, input: values },
        () => id,
        updateSelf,
      )
    },
  },
  {
    label: 'PUT /organization/users/{id}',
    fields: { personName: ['name', 'lastName'] },
    errorCodes: false,
    run: async (values) => {
      const id = await h.userId(managed)
      return restOutcome(await rest('PUT', `/organization/users/${id}`, values, OWNER), () => id)
    },
  },
  {
    label: 'GraphQL updateOrganizationUser',
    fields: { personName: ['name', 'lastName'] },
    errorCodes: false,
    run: async (values) => {
      const id = await h.userId(managed)
      return gqlOutcome(
        'mutation ($id: ID!, $input: OrganizationUserUpdateInput!) { updateOrganizationUser(id: $id, input: $input) { id } }',
        { id, input: values },
        () => id,
        OWNER,
      )
    },
  },
]

/** The values each kind of field is tried with: trimming, the length limits, the boundaries. */
const CASES: Record<Kind, string[]> = {
  personName: [
    '  Nora  ',
    'x'.repeat(MAX_NAME_LENGTH),
    ` ${'é'.repeat(MAX_NAME_LENGTH)} `,
    'y'.repeat(150),
    'z'.repeat(MAX_NAME_LENGTH + 1),
    '   ',
    '',
    'Ada\r\nBcc: victim@example.test',
    'Eve\u2028Line two',
    'Mallory\u202eevil',
  ],
  email: ['  Mixed.Case@Example.TEST ', 'not-an-email', 'a@b'],
  password: ['Aa1' + 'x'.repeat(MAX_PASSWORD_LENGTH), 'weakpass', 'short1A'],
}

/** What the module says of a value: stored as `value`, or refused with `message` and `code`. */
function verdict(kind: Kind, field: string, value: string): { value?: string; message?: string; code?: string } {
  try {
    const rule = {
      personName: () => fields.personName(value, field),
      email: () => fields.email(value, field),
      password: () => fields.password(value, field),
    }
    return { value: rule[kind]() }
  } catch (err) {
    if (!(err instanceof FieldError)) throw err
    return { message: fieldMessage(err.field, err.problem), code: fieldCode(err.problem) }
  }
}

/** A value as a test name: JSON, with the separators and bidi controls (which JSON keeps raw) escaped too. */
const asTestName = (value: string) =>
  JSON.stringify(value).replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)

const COLUMN: Record<string, 'name' | 'lastName' | 'email'> = { firstName: 'name', name: 'name', lastName: 'lastName', email: 'email' }

t.test('every path applies the field module: same stored value, same message, same error_code', async (t) => {
  let rows = 0
  for (const path of paths) {
    for (const [kind, names] of Object.entries(path.fields) as [Kind, string[]][]) {
      for (const field of names) {
        for (const value of CASES[kind]) {
          // Unique addresses: each accepted email is a new user.
          const tried = kind === 'email' && value.includes('@Example') ? `  ${++serial}.${value.trim()} ` : value
          const expected = verdict(kind, field, tried)
          const outcome = await path.run({ [field]: tried })
          const label = `${path.label} ${field}=${asTestName(tried.length > 20 ? tried.slice(0, 12) + '…' : tried)}`
          if (expected.message) {
            t.same({ ok: outcome.ok, message: outcome.message }, { ok: false, message: expected.message }, label)
            t.equal(outcome.errorCode, path.errorCodes ? expected.code : undefined, `${label}: error_code`)
          } else {
            t.equal(outcome.ok, true, label)
            if (COLUMN[field]) t.equal(outcome.stored?.[COLUMN[field]!], expected.value, `${label}: stored as the rule says`)
          }
          rows++
        }
      }
    }
  }
  t.ok(rows > 100, `${rows} rows`)
  // The cases, said plainly.
  t.equal(verdict('personName', 'name', '  Nora  ').value, 'Nora')
  t.match(verdict('personName', 'lastName', 'y'.repeat(150)).message, 'lastName must be at most 100 characters long')
  for (const value of ['Ada\r\nBcc: x', 'Ada\nX', 'A\tB', 'A\u0085B', 'A\u2029B', 'A\u2066B']) {
    t.equal(verdict('personName', 'name', value).message, 'name must not contain control characters', asTestName(value))
  }
  t.equal(
    verdict('password', 'password', 'Aa1' + 'x'.repeat(2000)).message,
    `Password must be at most ${MAX_PASSWORD_LENGTH} characters long`,
  )
})

t.test('companyName and companyWebsite at register', async (t) => {
  let res = await rest('POST', '/user/register', registerBody({ companyName: '  Engines Ltd  ' }))
  t.equal(res.status, 201)
  const org = await h.db.prisma.organization.findUniqueOrThrow({ where: { id: res.body.user.orgId } })
  t.equal(org.name, 'Engines Ltd', 'trimmed')
  res = await rest('POST', '/user/register', registerBody({ companyName: 'c'.repeat(201) }))
  t.same(res.body, { success: false, error_code: 'INVALID_REQUEST', message: 'companyName must be at most 200 characters long' })
  res = await rest('POST', '/user/register', registerBody({ companyWebsite: 'w'.repeat(2049) }))
  t.same(res.body, { success: false, error_code: 'INVALID_REQUEST', message: 'companyWebsite must be at most 2048 characters long' })
  res = await rest('POST', '/user/register', registerBody({ companyName: 'Acme\r\nYour account will be deleted today' }))
  t.same(res.body, { success: false, error_code: 'INVALID_REQUEST', message: 'companyName must not contain control characters' })
})

t.test('companyWebsite: only an absolute http(s) URL, on REST and GraphQL; nothing created otherwise', async (t) => {
  const notHttp = 'companyWebsite must be an absolute http:// or https:// URL'
  const refused: [string, string][] = [
    ['javascript:alert(document.cookie)', notHttp],
    ['JavaScript://%0aalert(1)', notHttp],
    ['data:text/html;base64,PHNjcmlwdD4=', notHttp],
    ['engines.example', notHttp],
    ['//engines.example', notHttp],
    ['https:engines.example', notHttp],
    ['https:\\\\engines.example', notHttp],
    ['ftp://engines.example', notHttp],
    ['https://', notHttp],
    ['https://bank.example@evil.example', 'companyWebsite must not contain a user name or password'],
    ['https://engines.example/\r\nx', 'companyWebsite must not contain control characters'],
  ]
  for (const [website, message] of refused) {
    const email = freshEmail()
    const res = await rest('POST', '/user/register', registerBody({ email, companyWebsite: website }))
    t.same([res.status, res.body], [400, { success: false, error_code: 'INVALID_REQUEST', message }], website)
    const gql = await h.graphql('mutation ($input: RegisterInput!) { register(input: $input) { user { id } } }', {
      input: registerBody({ email, companyWebsite: website }),
    })
    t.match(gql.body.errors?.[0], { message, extensions: { code: 'BAD_USER_INPUT', errorCode: 'INVALID_REQUEST' } }, `GraphQL ${website}`)
    t.equal(await h.db.prisma.user.count({ where: { email } }), 0, 'nobody registered')
  }
  for (const website of ['https://engines.example', 'HTTP://Engines.example:8080/about?x=1#top']) {
    const res = await rest('POST', '/user/register', registerBody({ companyWebsite: `  ${website} ` }))
    t.equal(res.status, 201, website)
    const org = await h.db.prisma.organization.findUniqueOrThrow({ where: { id: res.body.user.orgId } })
    t.equal(org.website, website, 'stored as given, trimmed')
  }
})

const login = (deviceInfo: unknown, headers: Record<string, string> = {}) =>
  h.call({ method: 'POST', url: '/user/login', payload: { email: OWNER, password: PASSWORD, deviceInfo } as object, headers })

t.test('deviceInfo: at most 5 levels and 4 KB, refused with 400 on REST and GraphQL', async (t) => {
  const nested = (levels: number) => {
    let value: Record<string, unknown> = { leaf: true }
    for (let i = 1; i < levels; i++) value = { next: value }
    return value
  }
  t.equal((await login(nested(5))).status, 200, '5 levels')
  let res = await login(nested(6))
  t.same(
    [res.status, res.body],
    [400, { success: false, error_code: 'INVALID_REQUEST', message: 'deviceInfo must be at most 5 levels deep' }],
  )
  res = await login({ list: [[[[['deep']]]]] })
  t.equal(res.status, 400, 'arrays count as levels')
  t.equal((await login({ blob: 'x'.repeat(MAX_DEVICE_INFO_BYTES - 20) })).status, 200, 'just under 4 KB')
  res = await login({ blob: 'x'.repeat(MAX_DEVICE_INFO_BYTES) })
  t.same([res.status, res.body.message], [400, 'deviceInfo must be at most 4096 bytes as JSON'])
  res = await login({ userAgent: 7 })
  t.same([res.status, res.body.message], [400, 'deviceInfo.userAgent must be a string'])
  // 4,000 levels: refused at the edge at once (it used to take ~1 s, and 5,000 gave 500).
  // CPU time of this process (the app runs in it), not the wall clock: a loaded machine stretches the latter.
  const started = cpuMs()
  res = await h.call({
    method: 'POST',
    url: '/user/login',
    headers: { 'content-type': 'application/json' },
    payload: `{"email":"${OWNER}","password":"x","deviceInfo":${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}}`,
  })
  t.equal(res.status, 400)
  t.equal(res.body.error_code, 'INVALID_REQUEST')
  const spent = cpuMs() - started
  t.ok(spent < 1000, `5,000 levels refused in ${Math.round(spent)} ms of CPU`)

  const gql = await h.graphql('mutation ($d: JSONObject) { login(email: "owner@demo.test", password: "x", deviceInfo: $d) { tokenId } }', {
    d: nested(6),
  })
  t.match(gql.body.errors[0], {
    message: 'deviceInfo must be at most 5 levels deep',
    extensions: { code: 'BAD_USER_INPUT', errorCode: 'INVALID_REQUEST' },
  })
})

t.test('deviceInfo keeps the user agent the client reports, else the header; the session list shows it', async (t) => {
  const reported = await login({ os: 'Linux', userAgent: 'MyApp/2.1' }, { 'user-agent': 'node-fetch' })
  const fallback = await login({ os: 'iOS' }, { 'user-agent': 'Safari/17' })
  const bare = await login(undefined, { 'user-agent': `long-${'u'.repeat(600)}` })
  const session = (id: string) => h.db.prisma.session.findUniqueOrThrow({ where: { id } })
  t.match(await session(reported.body.tokenId), { userAgent: 'MyApp/2.1', deviceInfo: { os: 'Linux', userAgent: 'MyApp/2.1' } })
  t.match(await session(fallback.body.tokenId), { userAgent: 'Safari/17', deviceInfo: { os: 'iOS', userAgent: 'Safari/17' } })
  const cut = await session(bare.body.tokenId)
  t.equal(cut.userAgent?.length, MAX_USER_AGENT_LENGTH, 'a long header is cut')
  t.same(cut.deviceInfo, { userAgent: cut.userAgent })

  const authorization = `Bearer ${fallback.body.accessToken}`
  const list = await h.call({ method: 'GET', url: '/token', headers: { authorization } })
  t.equal(list.status, 200)
  const shown = (s: { tokenId: string }[]) => Object.fromEntries(s.map((x: any) => [x.tokenId, x.deviceInfo]))
  t.same(shown(list.body.data)[reported.body.tokenId], { os: 'Linux', userAgent: 'MyApp/2.1' }, 'GET /token shows deviceInfo')
  const gql = await h.call({
    method: 'POST',
    url: '/graphql',
    headers: { authorization },
    payload: { query: '{ sessions { tokenId userAgent deviceInfo } }' },
  })
  t.same(shown(gql.body.data.sessions)[fallback.body.tokenId], { os: 'iOS', userAgent: 'Safari/17' }, 'the sessions field shows it')
})
