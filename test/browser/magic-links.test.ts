// The magic-link second factor end to end in real Chromium, as a frontend on another origin runs it: the page
// logs in with the password over HTTP (CORS), keeps the limited token in its tab, asks the gateway to mail a
// link; the link in the mail (quoted-printable, read from the outbox as an inbox would show it) opens the
// frontend on that same tab, which activates it with the limited token and reads the profile with the full
// token. The same link opened in another browser (no limited token) signs nobody in, and a used link fails.
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { chromium, type Browser } from 'playwright-core'
import { buildTestApp } from '../helper.js'
import { CHROMIUM, CHROMIUM_ARGS, chromiumDidNotStart, chromiumMissing, servePage } from './chromium.js'
import { lastMailTo } from '../mail/outbox.js'

const EMAIL = 'user@demo.test'
const PASSWORD = 'Demo-Password-1'

/** In the page: password login, the limited token kept in sessionStorage, then POST /mfa/magic-link/send. */
async function signInAndAskForALink([api, email, password]: [string, string, string]) {
  const login = await fetch(`${api}/user/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  })
  const body = await login.json()
  sessionStorage.setItem('limited', body.accessToken)
  const profile = await fetch(`${api}/user/profile`, { headers: { authorization: `Bearer ${body.accessToken}` } })
  const sent = await fetch(`${api}/mfa/magic-link/send`, { method: 'POST', headers: { authorization: `Bearer ${body.accessToken}` } })
  return {
    login: login.status,
    mfaRequired: body.mfaRequired,
    limitedProfile: profile.status,
    sent: [sent.status, (await sent.json()).success],
  }
}

/** In the page the link opened: the token from the address, the limited token from the tab; activate, then read the profile. */
async function activateFromTheLink(api: string) {
  const token = new URLSearchParams(location.search).get('token')
  const limited = sessionStorage.getItem('limited')
  const activated = await fetch(`${api}/mfa/magic-link/activate`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(limited ? { authorization: `Bearer ${limited}` } : {}) },
    body: JSON.stringify({ token }),
  })
  const body = await activated.json()
  if (!body.fullAccessToken) return { activate: activated.status, error: body.error_code ?? body.message, email: null }
  const profile = await fetch(`${api}/user/profile`, { headers: { authorization: `Bearer ${body.fullAccessToken}` } })
  return { activate: activated.status, error: null, email: (await profile.json()).data.email as string }
}

t.test('magic link in Chromium: login, mail, the link on the same tab signs in once; another browser cannot use it', async (t) => {
  if (chromiumMissing(t)) return
  const frontend = await servePage(t, '127.0.0.1', 'frontend')
  const h = await buildTestApp(t, { CORS_ORIGINS: frontend, PUBLIC_URL: frontend })
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const api = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`
  const enabled = await h.call({ method: 'POST', url: '/mfa/enable', payload: { mfaType: 'MAGIC_LINK' }, as: EMAIL })
  t.same(enabled.body, { success: true, message: 'MFA enabled successfully' }, 'magic links on for the user')

  let browser: Browser
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS })
  } catch (err) {
    chromiumDidNotStart(t, err)
    return
  }
  t.teardown(() => browser.close())
  /** A page in a browser context of its own (its own storage), as another browser would be. */
  const newBrowserPage = async () => {
    const context = await browser.newContext()
    return context.newPage()
  }

  const tab = await newBrowserPage()
  await tab.goto(`${frontend}/sign-in`)
  t.same(
    await tab.evaluate(signInAndAskForALink, [api, EMAIL, PASSWORD] as [string, string, string]),
    { login: 200, mfaRequired: true, limitedProfile: 401, sent: [200, true] },
    'the password gives a limited token that opens nothing but the second factor; the link is mailed',
  )

  const mail = await lastMailTo(h.app, EMAIL)
  const link = /https?:\/\/[^\s"<>]*\/mfa\/magic-link\?[^\s"<>]+/.exec(mail?.raw ?? '')?.[0]?.replace(/&amp;/g, '&')
  if (!t.ok(link, 'the mail holds a link')) return
  t.ok(link!.startsWith(`${frontend}/mfa/magic-link?token=`), 'the link opens the frontend')

  // Another browser (its own storage: no limited token) opening the link first: refused, the link unspent.
  const elsewhere = await newBrowserPage()
  await elsewhere.goto(link!)
  t.same(
    await elsewhere.evaluate(activateFromTheLink, api),
    { activate: 401, error: 'NO_AUTH_USER', email: null },
    'a forwarded link alone signs nobody in',
  )

  await tab.goto(link!)
  t.same(await tab.evaluate(activateFromTheLink, api), { activate: 200, error: null, email: EMAIL }, 'the same tab: a full session')
  t.same(await tab.evaluate(activateFromTheLink, api), { activate: 400, error: 'INVALID_MAGIC_LINK', email: null }, 'the link works once')
})
