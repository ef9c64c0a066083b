// No response and no log line carries a password, a refresh token or its hash.
import t from 'tap'
import { buildApp } from '../../src/app.js'
import { hashOpaqueToken } from '../../src/crypto/opaqueTokens.js'
import { freshDatabase, testConfig } from '../helper.js'

const lines: string[] = []
const db = await freshDatabase(t)
const app = await buildApp(testConfig({ LOG_LEVEL: 'trace', RATE_LIMIT_LOGIN_PER_ACCOUNT: '2' }), {
  database: db,
  logStream: { write: (line) => void lines.push(line) },
})
t.teardown(() => app.close())

const PASSWORD = 'Secret-Passw0rd-Xyz'
const responses: string[] = []
const post = async (url: string, payload: object, token?: string) => {
  const res = await app.inject({ method: 'POST', url, payload, headers: token ? { authorization: `Bearer ${token}` } : {} })
  responses.push(res.body)
  return res.json()
}

t.test('register, failed logins, login, refresh, reuse, logout: no secret leaks', async (t) => {
  const registered = await post('/user/register', {
    email: 'leak@example.com',
    password: PASSWORD,
    firstName: 'L',
    lastName: 'K',
    companyName: 'C',
    isBusiness: true,
  })
  await post('/user/register', {
    email: 'weak@example.com',
    password: 'weakpass',
    firstName: 'L',
    lastName: 'K',
    companyName: 'C',
    isBusiness: true,
  })
  await post('/user/login', { email: 'leak@example.com', password: `${PASSWORD}-wrong` })
  await post('/user/login', { email: 'leak@example.com', password: `${PASSWORD}-wrong` })
  await post('/user/login', { email: 'leak@example.com', password: PASSWORD }) // 429
  await post('/user/login', { email: 'nobody@example.com', password: PASSWORD })
  const rotated = await post('/user/refresh', { refreshToken: registered.refreshToken })
  await post('/user/refresh', { refreshToken: registered.refreshToken }) // reuse
  await post('/user/logout', { refresh_token: rotated.refreshToken }, registered.accessToken)
  await post('/graphql', { query: 'mutation { login(email: "leak@example.com", password: "' + PASSWORD + '") { tokenId } }' })
  t.ok(lines.length > 10, 'the log was written')

  const stored = await db.prisma.refreshToken.findMany({ select: { tokenHash: true } })
  const user = await db.prisma.user.findUniqueOrThrow({ where: { email: 'leak@example.com' } })
  const secrets = [PASSWORD, 'weakpass', user.passwordHash!, ...stored.map((r) => r.tokenHash), hashOpaqueToken(registered.refreshToken)]
  const log = lines.join('')
  const answered = responses.join('\n')
  for (const secret of secrets) {
    t.notOk(log.includes(secret), `log free of ${secret.slice(0, 12)}…`)
    t.notOk(answered.includes(secret), `responses free of ${secret.slice(0, 12)}…`)
  }
  t.notOk(log.includes(registered.refreshToken), 'log free of the refresh token itself')
  t.notOk(log.includes(rotated.refreshToken), 'log free of the rotated refresh token')
  t.ok(log.includes('refresh token reused'), 'the reuse was logged, without the token')
})
