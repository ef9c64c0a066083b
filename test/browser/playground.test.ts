// Drives headless Chromium against a running gateway: GraphiQL runs `me` with a real token, Swagger UI lists
// every documented route, and any console error, page error, failed or third-party request fails the test.
// A page on another origin calls the API: allowed by CORS_ORIGINS, it works; any other origin is blocked.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { buildTestApp } from '../helper.js'
import { CHROMIUM, CHROMIUM_ARGS, chromiumDidNotStart, chromiumMissing, servePage } from './chromium.js'
import { compatRoutes } from '../../src/rest/plugin.js'
import { projectPath } from '../../src/paths.js'

const SCREENSHOT = projectPath('docs', 'playground.png')

/** Everything that went wrong in the page: console errors, uncaught errors, failed, refused or foreign requests. */
function watch(page: Page, origin: string): string[] {
  const problems: string[] = []
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`)
  })
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`))
  page.on('request', (req) => {
    const url = req.url()
    if (!url.startsWith('data:') && new URL(url).origin !== origin) problems.push(`third-party request: ${url}`)
  })
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`))
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()}: ${res.url()}`)
  })
  return problems
}

/** What a frontend does: log in, read the profile with the token, run a GraphQL query; each outcome as text. */
async function callTheApi(api: string) {
  const outcome = async (run: () => Promise<string>) => run().catch((err: Error) => `blocked: ${err.name}`)
  let token = ''
  const login = await outcome(async () => {
    const res = await fetch(`${api}/user/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'owner@demo.test', password: 'Demo-Password-1' }),
    })
    const body = await res.json()
    token = body.accessToken ?? ''
    return `${res.status} ${body.success} request-id:${res.headers.get('x-request-id') ? 'readable' : 'hidden'}`
  })
  const profile = await outcome(async () => {
    const res = await fetch(`${api}/user/profile`, { headers: { authorization: `Bearer ${token}` } })
    return `${res.status} ${(await res.json()).data?.email}`
  })
  const graphql = await outcome(async () => {
    const res = await fetch(`${api}/graphql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { orgRoleDescription } }' }),
    })
    return `${res.status} ${(await res.json()).data?.me?.orgRoleDescription}`
  })
  return { login, profile, graphql }
}

/** Replaces a CodeMirror editor's text the way a user does (click, select all, type), then waits until the editor holds it. */
async function replaceEditorText(page: Page, editor: string, text: string) {
  const codeMirror = page.locator(`${editor} .CodeMirror`).first()
  await codeMirror.click()
  await page.keyboard.press('Control+A')
  await page.keyboard.press('Delete')
  await page.keyboard.insertText(text)
  await codeMirror.evaluate(
    (node, expected) =>
      new Promise<void>((resolve, reject) => {
        const cm = (node as unknown as { CodeMirror: { getValue(): string } }).CodeMirror
        const deadline = Date.now() + 5000
        const check = () =>
          cm.getValue() === expected
            ? resolve()
            : Date.now() > deadline
              ? reject(new Error(`editor holds ${JSON.stringify(cm.getValue())}`))
              : setTimeout(check, 50)
        check()
      }),
    text,
  )
}

t.test('the playground and the API docs work in a real browser, offline and under the CSP', async (t) => {
  if (chromiumMissing(t)) return
  // Two pages on other local origins (other ports): one allowed by CORS_ORIGINS, one not.
  const allowedPage = await servePage(t)
  const otherPage = await servePage(t)
  const h = await buildTestApp(t, { CORS_ORIGINS: allowedPage })
  await h.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = h.app.server.address() as { port: number }
  const origin = `http://127.0.0.1:${port}`
  const token = await h.tokenFor('owner@demo.test')

  const profileDir = mkdtempSync(join(tmpdir(), 'gw-chromium-'))
  t.teardown(() => rmSync(profileDir, { recursive: true, force: true }))
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profileDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1400, height: 860 },
      offline: false,
    })
  } catch (err) {
    chromiumDidNotStart(t, err)
    return
  }
  t.teardown(() => context.close())

  await t.test('GraphiQL runs `me` with a Bearer token and shows the result', async (t) => {
    const page = await context.newPage()
    const problems = watch(page, origin)
    await page.goto(`${origin}/graphiql`)
    await page.locator('.graphiql-container').waitFor()
    // The schema loaded (introspection, anonymous) and the documentation explorer shows it.
    await page.locator('.graphiql-doc-explorer').getByText('Query', { exact: true }).first().waitFor()
    t.match(await page.locator('.graphiql-query-editor').innerText(), /me\s*\{/, 'a default `me` operation is prefilled')
    t.match(await page.locator('.graphiql-editor-tool').innerText(), /Authorization/, 'the headers editor hints at the Bearer token')

    await replaceEditorText(
      page,
      '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
      JSON.stringify({ Authorization: `Bearer ${token}` }),
    )
    const query = '{ me { email orgRoleDescription } }'
    await replaceEditorText(page, '.graphiql-query-editor', query)
    // GraphiQL records the edited operation after a debounce (in its saved tab state): run once it has, as a person would.
    await page.waitForFunction((query) => {
      const state = JSON.parse(localStorage.getItem('graphiql:tabState') ?? '{}')
      const tab = state.tabs?.[state.activeTabIndex]
      return tab?.query === query && !tab.operationName
    }, query)
    await page.locator('.graphiql-execute-button').click()
    const response = page.locator('.graphiql-response')
    await response
      .getByText('owner@demo.test')
      .waitFor({ timeout: 10_000 })
      .catch(() => {})
    const shown = await response.innerText()
    t.match(shown, /"email": "owner@demo\.test"/, 'the result shows the email')
    t.match(shown, /"orgRoleDescription": "OWNER"/, 'the result shows the role')
    // Even a throwaway token stays out of the committed picture.
    await replaceEditorText(
      page,
      '.graphiql-editor-tool .graphiql-editor:not(.hidden)',
      '{\n  "Authorization": "Bearer <access token of owner@demo.test>"\n}',
    )
    await page.screenshot({ path: SCREENSHOT })
    t.same(problems, [], 'no console error, failed, refused or third-party request')
    await page.close()
  })

  await t.test('Swagger UI lists every documented route', async (t) => {
    const page = await context.newPage()
    const problems = watch(page, origin)
    await page.goto(`${origin}/docs`)
    await page.locator('.opblock').first().waitFor()
    const listed = await page.locator('.opblock-summary-path').evaluateAll((nodes) => nodes.map((n) => n.getAttribute('data-path')))
    const documented = [...compatRoutes.map((r) => r.url.replace(/:(\w+)/g, '{$1}')), '/health', '/ready', '/graphql']
    for (const path of documented) t.ok(listed.includes(path), `${path} is listed`)
    t.same(problems, [], 'no console error, failed, refused or third-party request')
    await page.close()
  })

  await t.test('a page on an allowed origin calls login, profile and GraphQL; a page on another origin is blocked', async (t) => {
    const page = await context.newPage()
    const consoleErrors: string[] = []
    page.on('console', (msg) => {
      if (msg.type() === 'error') consoleErrors.push(msg.text())
    })
    await page.goto(allowedPage)
    t.same(
      await page.evaluate(callTheApi, origin),
      { login: '200 true request-id:readable', profile: '200 owner@demo.test', graphql: '200 OWNER' },
      'the allowed origin works, preflights included',
    )
    t.same(consoleErrors, [], 'no console error on the allowed origin')
    await page.goto(otherPage)
    t.same(
      await page.evaluate(callTheApi, origin),
      { login: 'blocked: TypeError', profile: 'blocked: TypeError', graphql: 'blocked: TypeError' },
      'the browser blocks every call from another origin',
    )
    t.ok(
      consoleErrors.some((e) => /CORS policy/.test(e)),
      'Chromium says CORS blocked it',
    )
    await page.close()
  })
})
