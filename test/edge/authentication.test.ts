// One answer on /graphql for a token that names no live session of a present user: 401 + WWW-Authenticate,
// before execution, whenever the operation needs a requester; public operations ignore such a token.
import t from 'tap'
import { buildTestApp } from '../helper.js'
import { startSession } from '../../src/db/repositories/sessions.js'

t.test('revoked session, gone user, forged token: 401 with a challenge on /graphql', async (t) => {
  const h = await buildTestApp(t)
  const tokenOf = async (email: string) => {
    const id = await h.userId(email)
    const session = await startSession(h.db.prisma, id, 3600)
    return { id, sessionId: session.id, token: h.app.accessTokens.issue(id, session.id).accessToken }
  }
  const gql = (token: string, query: string, accept?: string) =>
    h.call({
      method: 'POST',
      url: '/graphql',
      headers: { authorization: `Bearer ${token}`, ...(accept && { accept }) },
      payload: { query },
    })

  const revoked = await tokenOf('billing@demo.test')
  await h.db.prisma.session.update({ where: { id: revoked.sessionId }, data: { revokedAt: new Date() } })
  const gone = await tokenOf('workspaces@demo.test')
  await h.db.prisma.user.update({ where: { id: gone.id }, data: { deletedAt: new Date() } })
  const deactivated = await h.tokenFor('deleted@demo.test')

  const cases: [string, string][] = [
    ['revoked session', revoked.token],
    ['gone user', gone.token],
    ['deactivated user', deactivated],
    ['forged token', 'not.a.jwt'],
  ]
  for (const [what, token] of cases) {
    for (const query of [
      '{ me { id } }',
      '{ sessions { tokenId } }',
      `mutation { deleteOrganizationUser(id: "${gone.id}") { success } }`,
    ]) {
      for (const accept of [undefined, 'application/graphql-response+json']) {
        const res = await gql(token, query, accept)
        t.equal(res.status, 401, `${what}: ${query}`)
        t.equal(res.headers['www-authenticate'], 'Bearer error="invalid_token"')
        t.same(res.body, {
          errors: [{ message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED', errorCode: 'NO_AUTH_USER' } }],
        })
      }
    }
    const pub = await gql(token, '{ __typename }')
    t.same([pub.status, pub.body], [200, { data: { __typename: 'Query' } }], `${what}: a public operation runs`)
  }

  const login = await gql(revoked.token, 'mutation { login(email: "owner@demo.test", password: "Demo-Password-1") { user { email } } }')
  t.same(login.body, { data: { login: { user: { email: 'owner@demo.test' } } } }, 'logging in again with a stale token works')

  const anonymous = await h.graphql('{ me { id } }')
  t.equal(anonymous.status, 200, 'no token: a field error as before')
  t.equal(anonymous.body.errors[0].extensions.code, 'UNAUTHENTICATED')

  const live = await gql((await tokenOf('owner@demo.test')).token, '{ me { email } }')
  t.same(live.body, { data: { me: { email: 'owner@demo.test' } } })

  const rest = await h.call({ method: 'GET', url: '/user/profile', as: 'deleted@demo.test' })
  t.equal(rest.status, 404, 'the REST profile route keeps its documented 404 for a gone user')
})
