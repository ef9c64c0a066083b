// What the MFA primary/reset tests share: an app per subtest with login, enrolment and audit helpers.
import type { Test } from 'tap'
import { generate } from 'otplib'
import { buildTestApp } from '../helper.js'

export const PASSWORD = 'Demo-Password-1'
export const UNKNOWN = '00000000-0000-4000-8000-000000000000'
const bearer = (token: string) => ({ authorization: `Bearer ${token}` })
const LAPTOP = { userAgent: 'LaptopBrowser/1.0', fingerprint: 'fp-laptop-1' }

export async function given(t: Test, env: Record<string, string> = {}) {
  const h = await buildTestApp(t, env)
  const call = (method: 'GET' | 'POST', url: string, token: string | undefined, payload?: object) =>
    h.call({ method, url, payload, headers: token ? bearer(token) : {} })
  const login = (email: string, extra: object = {}) =>
    h.call({ method: 'POST', url: '/user/login', payload: { email, password: PASSWORD, deviceInfo: LAPTOP, ...extra } })
  /** Enables TOTP for `email`; answers its backup codes and the token of the enrolling session. */
  async function enroll(email: string) {
    const token = (await login(email)).body.accessToken
    // currentPassword in every step: they work whatever RECENT_AUTH_SECONDS is
    const setup = await call('POST', '/mfa/setup', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })
    const { secret, backupCodes } = setup.body.data
    // The next step's code: still accepted when a loaded machine delays the request by up to a minute
    const code = await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 })
    t.equal((await call('POST', '/mfa/verify-setup', token, { mfaType: 'GOOGLE_AUTH', code, currentPassword: PASSWORD })).status, 200)
    t.equal((await call('POST', '/mfa/enable', token, { mfaType: 'GOOGLE_AUTH', currentPassword: PASSWORD })).status, 200)
    return { backupCodes: backupCodes as string[], token: token as string }
  }
  /** A full session of an MFA user, through a backup code. */
  async function mfaLogin(email: string, backupCode: string) {
    const pending = (await login(email)).body.accessToken
    return (await call('POST', '/mfa/verify-login', pending, { mfaType: 'GOOGLE_AUTH', code: backupCode })).body.fullAccessToken as string
  }
  const audit = (action: string) => h.db.prisma.auditEvent.findMany({ where: { action } })
  return { h, call, login, enroll, mfaLogin, audit }
}
