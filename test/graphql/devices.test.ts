// The devices operations over /graphql: devices with their sessions, trustDevice, untrustDevice, removeDevice; bounded lists.
import t from 'tap'
import { given, LAPTOP } from '../rest/deviceFixtures.js'

t.test('devices with their sessions, trustDevice, untrustDevice, removeDevice; bounded lists', async (t) => {
  const { call, login } = await given(t)
  const session = (await login('user@demo.test', LAPTOP)).body
  const gql = (query: string, variables: object = {}) => call('POST', '/graphql', session.accessToken, { query, variables })
  const list = await gql('{ devices { id deviceName isTrusted trustLevel country city current sessions(limit: 5) { tokenId current } } }')
  t.equal(list.status, 200)
  const [device] = list.body.data.devices
  t.match(device, { deviceName: 'Firefox on Linux', isTrusted: false, trustLevel: 'KNOWN', country: null, city: null, current: true })
  t.same(device.sessions, [{ tokenId: session.tokenId, current: true }])
  t.equal((await gql('{ devices(limit: 0) { id } }')).body.errors[0].extensions.code, 'BAD_USER_INPUT')
  t.equal((await gql('{ devices { sessions(offset: -1) { id } } }')).body.errors[0].extensions.code, 'BAD_USER_INPUT')
  const costly = await gql('{ devices(limit: 100) { sessions(limit: 100) { deviceInfo } } }')
  t.equal(
    costly.body.errors?.[0]?.extensions?.reason,
    'COST_LIMIT',
    'a page of devices times a page of their sessions is over the cost limit',
  )

  const trust = await gql('mutation($fp: String!) { trustDevice(fingerprint: $fp) { success deviceId trustExpiresAt deviceToken } }', {
    fp: 'fp-laptop-1',
  })
  t.equal(trust.body.data.trustDevice.deviceId, device.id)
  t.match(trust.body.data.trustDevice.deviceToken, /^[A-Za-z0-9_-]{43,}$/)
  const unknown = await gql('mutation { trustDevice(fingerprint: "fp-nowhere") { success } }')
  t.equal(unknown.body.errors[0].extensions.code, 'NOT_FOUND')
  const untrust = await gql('mutation($id: ID!) { untrustDevice(id: $id) { success message } }', { id: device.id })
  t.same(untrust.body.data.untrustDevice, { success: true, message: 'Device untrusted successfully' })
  const remove = await gql('mutation($id: ID!) { removeDevice(id: $id) { success endedSessions } }', { id: device.id })
  t.same(remove.body.data.removeDevice, { success: true, endedSessions: 1 })
})
