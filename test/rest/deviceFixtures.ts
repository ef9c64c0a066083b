// What the device tests share: an app per subtest with login, MFA enrolment and audit helpers.
import type { Test } from 'tap'
import { generate } from 'otplib'
import { buildTestApp } from '../helper.js'

export const PASSWORD = 'Demo-Password-1'
export const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
export const LAPTOP = { userAgent: 'LaptopBrowser/1.0', os: 'Linux', browser: 'Firefox', deviceType: 'DESKTOP', fingerprint: 'fp-laptop-1' }
export const PHONE = { userAgent: 'PhoneBrowser/2.0', os: 'Android', browser: 'Chrome', deviceType: 'mobile' }

export async function given(t: Test, env: Record<string, string> = {}) {
  const h = await buildTestApp(t, env)
  const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | undefined, payload?: object, headers = {}) =>
    h.call({ method, url, payload, headers: { ...(token ? bearer(token) : {}), ...headers } })
  const login = (email: string, deviceInfo?: object, extra: object = {}, headers = {}) =>
    h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD, deviceInfo, ...extra }, headers })
  /** Enables TOTP for `email` (from a login on the laptop); answers its backup codes, each good for one MFA login. */
  async function enroll(email: string) {
    const token = (await login(email, LAPTOP)).body.accessToken
    // currentPassword in every step: they work whatever RECENT_AUTH_SECONDS is
    const setup = await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })
    const { secret, backupCodes } = setup.body.data
    // The next step's code: still accepted when a loaded machine delays the request by up to a minute
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 })
    t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code, currentPassword: PASSWORD })).status, 200)
    t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })).status, 200)
    return { backupCodes: backupCodes as string[] }
  }
  const audit = async (action: string) => h.db.prisma.auditEvent.findMany({ where: { action }, orderBy: { createdAt: 'asc' } })
  return { h, call, login, enroll, audit }
}
