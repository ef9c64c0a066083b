// Trusted devices: GET /devices, GET /devices/{id}, POST /devices/trust, POST /devices/{id}/untrust, DELETE /devices/{id},
// and a trusted device standing in for the MFA code at login. Each subtest builds its own app.
import t from 'tap'
import { generate } from 'otplib'
import { buildTestApp, type Teardown } from '../helper.js'

const PASSWORD = 'Demo-Password-1'
const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const LAPTOP = { userAgent: 'LaptopBrowser/1.0', os: 'Linux', browser: 'Firefox', deviceType: 'DESKTOP', fingerprint: 'fp-laptop-1' }
const PHONE = { userAgent: 'PhoneBrowser/2.0', os: 'Android', browser: 'Chrome', deviceType: 'mobile' }

async function given(where: Teardown, env: Record<string, string> = {}) {
  const h = await buildTestApp(where, env)
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, payload?: object, headers = {}) =>
    h.call({ method, url, payload, headers: { ...(token ? bearer(token) : {}), ...headers } })
  const login = (email: string, deviceInfo?: object, extra: object = {}, headers = {}) =>
    h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD, deviceInfo, ...extra }, headers })
  /** Enables TOTP for `email` (from a login on the laptop); answers its backup codes, each good for one MFA login. */
  async function enroll(email: string) {
    const token = (await login(email, LAPTOP)).body.accessToken
    const { secret, backupCodes } = (await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH' })).body.data
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) - 30 })
    t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code })).status, 200)
    t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH' })).status, 200)
    return { backupCodes: backupCodes as string[] }
  }
  const audit = async (action: string) => h.db.prisma.auditEvent.findMany({ where: { action }, orderBy: { createdAt: 'asc' } })
  return { h, call, login, enroll, audit }
}

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

t.test('a trusted device stands in for the MFA code until untrusted; its token is stored hashed; audited', async (t) => {
  const { h, call, login, enroll, audit } = await given(t)
  const { backupCodes } = await enroll('billing@demo.test')
  const pending = await login('billing@demo.test', LAPTOP)
  t.equal(pending.body.mfaRequired, true)
  const verified = await call(
    'POST',
    '/mfa/verify-login',
    pending.body.accessToken,
    { mfaType: 'GOOGLE_AUTH', code: backupCodes[0] },
    {
      'x-device-fingerprint': 'fp-laptop-1',
    },
  )
  t.equal(verified.status, 200)
  const full = verified.body.fullAccessToken
  const laptop = (await call('GET', '/devices', full)).body.devices.find((d: { current: boolean }) => d.current)
  t.equal(laptop.deviceFingerprint, 'fp-laptop-1', "the MFA step's session belongs to the device its header names")

  const trust = await call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(trust.status, 200)
  t.same(Object.keys(trust.body).sort(), ['deviceId', 'deviceToken', 'message', 'success', 'trustExpiresAt'])
  t.equal(trust.body.deviceId, laptop.id)
  const days = (Date.parse(trust.body.trustExpiresAt) - Date.now()) / 86_400_000
  t.ok(days > 29.9 && days <= 30, 'TRUSTED_DEVICE_DAYS (30 by default)')
  const stored = await h.db.prisma.device.findUniqueOrThrow({ where: { id: laptop.id } })
  t.not(stored.trustTokenHash, trust.body.deviceToken, 'only a hash of the device token is kept')
  t.match((await call('GET', `/devices/${laptop.id}`, full)).body.device, { isTrusted: true, trustLevel: 'TRUSTED' })

  const skipped = await login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(skipped.status, 200)
  t.equal(skipped.body.mfaRequired, false, 'no code asked')
  t.ok(skipped.body.refreshToken && skipped.body.tokenId)
  const session = await h.db.prisma.session.findUniqueOrThrow({ where: { id: skipped.body.tokenId } })
  t.equal(session.loginMethod, 'TRUSTED_DEVICE')
  t.equal(session.deviceId, laptop.id)
  const viaHeader = await login('billing@demo.test', undefined, {}, { 'x-device-token': trust.body.deviceToken })
  t.equal(viaHeader.body.mfaRequired, false, 'the X-Device-Token header works too')
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: 'made-up' })).body.mfaRequired, true, 'a wrong token asks for the code')
  const wrongPassword = await h.call({
    method: 'POST',
    url: '/user/login',
    payload: { email: 'billing@demo.test', password: 'Wrong-Password-1', deviceToken: trust.body.deviceToken },
  })
  t.equal(wrongPassword.status, 401, 'the device token never replaces the password')
  const someoneElse = await login('user@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(someoneElse.status, 200, "another user's device token is simply not theirs")

  const untrust = await call('POST', `/devices/${laptop.id}/untrust`, full)
  t.same(untrust.body, { success: true, message: 'Device untrusted successfully' })
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })).body.mfaRequired, true, 'untrusted')
  t.equal((await call('POST', `/devices/${laptop.id}/untrust`, full)).status, 200, 'untrusting again is harmless')

  const trusted = await audit('device.trusted')
  t.equal(trusted.length, 1)
  t.notOk(JSON.stringify(trusted).includes(trust.body.deviceToken), 'the token is not audited')
  t.equal((await audit('device.untrusted')).length, 1, 'only the untrusting that changed something')

  await h.db.prisma.device.update({ where: { id: laptop.id }, data: { trustExpiresAt: new Date(Date.now() - 1000) } })
  const again = await call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  await h.db.prisma.device.update({ where: { id: laptop.id }, data: { trustExpiresAt: new Date(Date.now() - 1000) } })
  t.equal((await login('billing@demo.test', LAPTOP, { deviceToken: again.body.deviceToken })).body.mfaRequired, true, 'an expired trust')
  t.match((await call('GET', `/devices/${laptop.id}`, full)).body.device, { isTrusted: false, trustLevel: 'KNOWN' })
})

t.test('trusting needs a recent sign-in or the password; it is off with TRUSTED_DEVICE_DAYS=0 and under enforcement', async (t) => {
  const stale = await given(t, { RECENT_AUTH_SECONDS: '0' })
  const token = (await stale.login('user@demo.test', LAPTOP)).body.accessToken
  const refused = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1' })
  t.equal(refused.status, 403)
  t.equal(refused.body.error_code, 'REAUTHENTICATION_REQUIRED')
  const wrong = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1', currentPassword: 'Nope-Nope-1' })
  t.equal(wrong.body.error_code, 'INVALID_PASSWORD')
  const proven = await stale.call('POST', '/devices/trust', token, { fingerprint: 'fp-laptop-1', currentPassword: PASSWORD })
  t.equal(proven.status, 200)

  const off = await given(t, { TRUSTED_DEVICE_DAYS: '0' })
  const offToken = (await off.login('user@demo.test', LAPTOP)).body.accessToken
  const disabled = await off.call('POST', '/devices/trust', offToken, { fingerprint: 'fp-laptop-1' })
  t.equal(disabled.status, 400)
  t.equal(disabled.body.error_code, 'TRUSTED_DEVICES_DISABLED')

  const enforced = await given(t)
  const { backupCodes } = await enforced.enroll('billing@demo.test')
  const pending = (await enforced.login('billing@demo.test', LAPTOP)).body.accessToken
  const full = (await enforced.call('POST', '/mfa/verify-login', pending, { mfaType: 'GOOGLE_AUTH', code: backupCodes[0] })).body
    .fullAccessToken
  const trust = await enforced.call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(trust.status, 200)
  const owner = (await enforced.login('owner@demo.test')).body.accessToken
  t.equal((await enforced.call('POST', '/mfa/organization/enforce', owner, { enforced: true })).status, 200)
  const asked = await enforced.login('billing@demo.test', LAPTOP, { deviceToken: trust.body.deviceToken })
  t.equal(asked.body.mfaRequired, true, 'once the organization enforces MFA, a trusted device no longer skips it')
  const now = await enforced.call('POST', '/devices/trust', full, { fingerprint: 'fp-laptop-1' })
  t.equal(now.body.error_code, 'TRUSTED_DEVICES_DISABLED')

  const allowed = await given(t, { TRUSTED_DEVICE_WHEN_ENFORCED: 'true' })
  const allowedOwner = (await allowed.login('owner@demo.test', LAPTOP)).body.accessToken
  t.equal((await allowed.call('POST', '/mfa/organization/enforce', allowedOwner, { enforced: true })).status, 200)
  t.equal((await allowed.call('POST', '/devices/trust', allowedOwner, { fingerprint: 'fp-laptop-1' })).status, 200, 'when allowed')
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

t.test('GraphQL: devices with their sessions, trustDevice, untrustDevice, removeDevice; bounded lists', async (t) => {
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
