// The mailer: .eml files in the outbox without SMTP_URL, real SMTP to a local smtp-server sink with it.
import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { SMTPServer } from 'smtp-server'
import { createMailer } from '../../src/mail/mailer.js'
import { mailLink, passwordResetMail } from '../../src/mail/templates.js'
import type { MailConfig } from '../../src/config.js'
import { scratchDir } from '../scratch.js'

const mailConfig = (extra: Partial<MailConfig> = {}): MailConfig => ({
  smtpUrl: undefined,
  outboxDir: join(scratchDir('gw-outbox-'), 'outbox'),
  from: 'Gateway <no-reply@gateway.test>',
  publicUrl: 'https://app.test',
  features: new Set(),
  ...extra,
})
/** A logger that keeps its lines, as JSON, like pino would write them. */
const capture = () => {
  const lines: string[] = []
  const write = (obj: object, msg: string) => void lines.push(JSON.stringify({ ...obj, msg }))
  return { lines, log: { info: write, error: write, warn: write } }
}
const SECRET = 'tok_S3cr3t-value_that-must-not-leak'
const message = () => ({
  to: 'ann@example.test',
  kind: 'password-reset',
  ...passwordResetMail('Ann', mailLink('https://app.test', '/reset-password', { token: SECRET })),
})

t.test('without SMTP_URL: one .eml per message in the outbox, logged without its token', async (t) => {
  const config = mailConfig()
  const { lines, log } = capture()
  const mailer = createMailer(config, log as never)
  mailer.send(message(), 'req-outbox')
  mailer.send(async () => null, 'req-nothing')
  await mailer.flush()
  const files = readdirSync(config.outboxDir)
  t.equal(files.length, 1)
  t.match(files[0], /\.eml$/)
  const eml = readFileSync(join(config.outboxDir, files[0]!), 'utf8')
  t.match(eml, /^From: Gateway <no-reply@gateway\.test>$/m)
  t.match(eml, /^To: ann@example\.test$/m)
  t.match(eml, /^Subject: Reset your password$/m)
  t.match(eml.replace(/=\r?\n/g, '').replace(/=3D/g, '='), /https:\/\/app\.test\/reset-password\?token=tok_S3cr3t/)
  t.same(
    lines.map((l) => JSON.parse(l)),
    [{ reqId: 'req-outbox', mail: 'password-reset', file: join(config.outboxDir, files[0]!), msg: 'mail written to the outbox' }],
    "one line: the request's id, the kind of mail and the file",
  )
  t.notOk(lines.join('').includes(SECRET), 'the token is never logged')
  t.notOk(lines.join('').includes('ann@example.test'), "nor the recipient's address")
  await mailer.close()
})

t.test('a failed preparation or delivery is logged, never thrown', async (t) => {
  const { lines, log } = capture()
  const mailer = createMailer(mailConfig(), log as never)
  mailer.send(async () => {
    throw new Error('database went away')
  }, 'req-failed')
  await mailer.flush()
  t.same(
    lines.map((l) => JSON.parse(l)),
    [{ reqId: 'req-failed', reason: 'database went away', msg: 'mail delivery failed' }],
  )
})

t.test('with SMTP_URL: delivered to an SMTP server', async (t) => {
  const received: string[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onData(stream, _session, done) {
      let data = ''
      stream.on('data', (chunk) => (data += chunk))
      stream.on('end', () => {
        received.push(data)
        done()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const port = (server.server.address() as { port: number }).port
  const config = mailConfig({ smtpUrl: `smtp://127.0.0.1:${port}` })
  const { lines, log } = capture()
  const mailer = createMailer(config, log as never)
  mailer.send(message(), 'req-smtp')
  await mailer.flush()
  t.equal(received.length, 1)
  t.match(received[0], /Subject: Reset your password/)
  t.match(
    lines.map((l) => JSON.parse(l)),
    [{ reqId: 'req-smtp', mail: 'password-reset', messageId: /^<.+>$/, msg: 'mail sent' }],
  )
  t.notOk(lines.join('').includes(SECRET))
  t.notOk(lines.join('').includes('ann@example.test'), "the recipient's address is not logged")
  t.throws(() => readdirSync(config.outboxDir), 'no outbox is written when SMTP is used')
  await mailer.close()
})

t.test('templates escape HTML and encode link values', async (t) => {
  const link = mailLink('https://app.test', '/activate', { uid: 'a b', token: 'x&y' })
  t.equal(link, 'https://app.test/activate?uid=a+b&token=x%26y')
  const mail = passwordResetMail('<Eve>', link)
  t.match(mail.html, /&lt;Eve&gt;/)
  t.notMatch(mail.html, /<Eve>/)
  t.match(mail.text, /Hello <Eve>,/)
})
