// GET /devices, GET /devices/{id}, DELETE /devices/{id}: a user's own devices, recognized across logins; refusals.
import t from 'tap'
import { given, LAPTOP, PHONE, UNKNOWN } from './deviceFixtures.js'

t.test('a login records its device: recognized by the fingerprint, else by the user agent', async (t) => {
  const { h, call, login } = await given(t)
  const first = await login('user@demo.test', LAPTOP)
  const second = await login('user@demo.test', { ...LAPTOP, userAgent: 'LaptopBrowser/1.1' })
  const phone = await login('user@demo.test', PHONE)
  const list = await call('GET', '/devices', phone.body.accessToken)
  t.equal(list.status, 200)
  t.equal(list.body.devices.length, 2, 'one device per fingerprint')
  const [newest, laptop] = list.body.devices
  t.match(newest, { deviceName: 'Chrome on Android', deviceType: 'MOBILE', os: 'Android', browser: 'Chrome', current: true })
  t.match(newest.deviceFingerprint, /^ua:[0-9a-f]{64}$/, 'no fingerprint reported: derived from the user agent')
  t.same(laptop, {
    id: laptop.id,
    deviceName: 'Firefox on Linux',
    deviceType: 'DESKTOP',
    os: 'Linux',
    browser: 'Firefox',
    isTrusted: false,
    trustLevel: 'KNOWN',
    lastSeen: laptop.lastSeen,
    createdAt: laptop.createdAt,
    deviceFingerprint: 'fp-laptop-1',
    current: false,
    ipAddress: '127.0.0.1',
    userAgent: 'LaptopBrowser/1.1',
  })
  t.notOk('country' in laptop || 'city' in laptop || 'trustExpiresAt' in laptop, 'optional fields are left out, not null')

  const details = await call('GET', `/devices/${laptop.id}`, first.body.accessToken)
  t.equal(details.status, 200)
  t.equal(details.body.device.current, true)
  t.same(details.body.device.sessions.map((s: { id: string }) => s.id).sort(), [first.body.tokenId, second.body.tokenId].sort())
  t.equal(details.body.device.sessions.find((s: { current: boolean }) => s.current).id, first.body.tokenId)

  const header = await login('user@demo.test', undefined, {}, { 'x-device-fingerprint': 'fp-laptop-1', 'user-agent': 'Other/1' })
  t.equal(header.status, 200)
  const rows = await h.db.prisma.session.findMany({ where: { id: header.body.tokenId }, select: { deviceId: true } })
  t.equal(rows[0]!.deviceId, laptop.id, 'the X-Device-Fingerprint header names the device too')

  t.equal(
    (await call('GET', '/devices?limit=1&offset=1', phone.body.accessToken)).body.devices[0].id,
    newest.id,
    'paged (the laptop was seen last)',
  )
  for (const query of ['limit=0', 'limit=101']) {
    const refused = await call('GET', `/devices?${query}`, phone.body.accessToken)
    t.equal(refused.status, 400, query)
    t.same(refused.body, { success: false, message: 'limit must be between 1 and 100' })
  }
  t.equal((await call('GET', '/devices?limit=x', phone.body.accessToken)).status, 400)
  t.equal((await call('GET', '/devices', undefined)).status, 401)
})

t.test("another user's device, an unknown id and a malformed id are all 404; bad bodies 400", async (t) => {
  const { call, login } = await given(t)
  const mine = (await login('user@demo.test', LAPTOP)).body.accessToken
  const theirs = (await login('billing@demo.test', PHONE)).body.accessToken
  const theirDevice = (await call('GET', '/devices', theirs)).body.devices[0]
  for (const id of [theirDevice.id, UNKNOWN, 'not-a-uuid']) {
    for (const [method, url] of [
      ['GET', `/devices/${id}`],
      ['POST', `/devices/${id}/untrust`],
      ['DELETE', `/devices/${id}`],
    ] as const) {
      const res = await call(method, url, mine)
      t.equal(res.status, 404, `${method} ${url}`)
      t.same(res.body, { success: false, message: 'Device not found' })
    }
  }
  const other = await call('POST', '/devices/trust', mine, { fingerprint: theirDevice.deviceFingerprint })
  t.equal(other.status, 404, "another user's fingerprint is unknown")
  t.equal((await call('POST', '/devices/trust', mine, {})).status, 400)
  t.equal((await call('POST', '/devices/trust', mine, { fingerprint: 7 })).status, 400)
  const long = await call('POST', '/devices/trust', mine, { fingerprint: 'x'.repeat(201) })
  t.equal(long.status, 400)
  t.match(long.body.message, /fingerprint/)
  t.equal((await call('GET', '/devices', theirs)).body.devices.length, 1, "the other user's device is untouched")

  const gql = await call('POST', '/graphql', mine, {
    query: 'query($id: ID!) { device(id: $id) { id } }',
    variables: { id: theirDevice.id },
  })
  t.equal(gql.body.errors[0].extensions.code, 'NOT_FOUND')
  t.equal(gql.body.errors[0].message, 'Device not found')
})

t.test('removing a device ends its sessions (only its own) and forgets it; audited', async (t) => {
  const { h, call, login, audit } = await given(t)
  const a1 = (await login('user@demo.test', LAPTOP)).body
  const a2 = (await login('user@demo.test', LAPTOP)).body
  const b = (await login('user@demo.test', PHONE)).body
  const laptop = (await call('GET', '/devices', a1.accessToken)).body.devices.find(
    (d: { deviceFingerprint: string }) => d.deviceFingerprint === 'fp-laptop-1',
  )
  const removed = await call('DELETE', `/devices/${laptop.id}`, b.accessToken)
  t.same(removed.body, { success: true, message: 'Device removed successfully', endedSessions: 2 })
  t.equal((await call('GET', '/user/profile', a1.accessToken)).status, 401, "the device's sessions end")
  t.equal((await h.call({ method: 'POST', url: '/user/refresh', payload: { refreshToken: a2.refreshToken } })).status, 401)
  t.equal((await call('GET', '/user/profile', b.accessToken)).status, 200, 'other devices keep theirs')
  t.equal((await call('GET', `/devices/${laptop.id}`, b.accessToken)).status, 404, 'forgotten')
  t.equal((await call('DELETE', `/devices/${laptop.id}`, b.accessToken)).status, 404)
  const ended = await h.db.prisma.session.findUniqueOrThrow({ where: { id: a1.tokenId } })
  t.equal(ended.revokedReason, 'device_removed')
  const events = await audit('device.removed')
  t.equal(events.length, 1)
  t.match(events[0]!.changes, { endedSessions: { new: 2 } })

  const phone = (await call('GET', '/devices', b.accessToken)).body.devices[0]
  const own = await call('DELETE', `/devices/${phone.id}`, b.accessToken)
  t.equal(own.body.endedSessions, 1, 'the current device too')
  t.equal((await call('GET', '/user/profile', b.accessToken)).status, 401)
  t.ok(await login('user@demo.test', LAPTOP), 'a new login records the device again')
  t.equal(await h.db.prisma.device.count({ where: { userId: await h.userId('user@demo.test') } }), 1)
})
