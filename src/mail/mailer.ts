// Mail delivery: SMTP when SMTP_URL is set, otherwise each message becomes an .eml file in the outbox.
import { randomBytes } from 'node:crypto'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type * as Nodemailer from 'nodemailer'
import type { Transporter } from 'nodemailer'
import type { FastifyBaseLogger } from 'fastify'
import type { MailConfig } from '../config.js'
import { lazyPackage } from '../lazyPackage.js'

const nodemailer = lazyPackage<typeof Nodemailer>('nodemailer')

export interface MailMessage {
  to: string
  subject: string
  text: string
  html: string
  /** What the mail is for (password-reset …): logged, unlike its body and its token. */
  kind: string
}

export interface Mailer {
  /**
   * Queues a message, or a task that prepares one (null: nothing to send); failures are logged, never
   * thrown: a caller's answer must not depend on delivery, nor take longer when there is a mail to send.
   * `requestId` is the request that asked for it: the `reqId` of the mail's log lines.
   */
  send(message: MailMessage | (() => Promise<MailMessage | null>), requestId: string): void
  /** Resolves when every queued message has been delivered or has failed (tests, shutdown). */
  flush(): Promise<void>
  close(): Promise<void>
}

let outboxSequence = 0
/**
 * The outbox file name: sortable by time, unique across processes. Within one millisecond a process's own
 * mails keep their order by a sequence number (the random part alone sorted two mails of one millisecond by chance).
 */
function outboxFileName(): string {
  outboxSequence = (outboxSequence + 1) % 1e9
  const sequence = String(outboxSequence).padStart(9, '0')
  return `${new Date().toISOString().replace(/[:.]/g, '-')}-${sequence}-${randomBytes(4).toString('hex')}.eml`
}

export function createMailer(config: MailConfig, log: FastifyBaseLogger): Mailer {
  const smtp = config.smtpUrl !== undefined
  // streamTransport renders the full RFC 5322 message without sending it: the outbox keeps exactly what SMTP would carry.
  // Made at the first mail (most requests send none).
  let made: Transporter | undefined
  const transport = (): Transporter =>
    (made ??= smtp ? nodemailer().createTransport(config.smtpUrl) : nodemailer().createTransport({ streamTransport: true, buffer: true }))
  const pending = new Set<Promise<void>>()

  // A mail's log lines name the request (reqId, as the request's own lines do) and the kind of mail, never
  // the recipient's address: the outbox file or the SMTP server's message id leads to it where needed.
  async function deliver(message: MailMessage, reqId: string) {
    const info = await transport().sendMail({
      from: config.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
    })
    if (smtp) {
      log.info({ reqId, mail: message.kind, messageId: info.messageId }, 'mail sent')
      return
    }
    mkdirSync(config.outboxDir, { recursive: true })
    const file = join(config.outboxDir, outboxFileName())
    writeFileSync(file, (info as unknown as { message: Buffer }).message, { mode: 0o600 })
    log.info({ reqId, mail: message.kind, file }, 'mail written to the outbox')
  }

  return {
    send(message, reqId) {
      const prepared = typeof message === 'function' ? message() : Promise.resolve(message)
      const delivery: Promise<void> = prepared
        .then(async (ready) => {
          if (ready) await deliver(ready, reqId)
        })
        .catch((err: Error) => log.error({ reqId, reason: err.message }, 'mail delivery failed'))
        .finally(() => pending.delete(delivery))
      pending.add(delivery)
    },
    async flush() {
      while (pending.size > 0) await Promise.all([...pending])
    },
    async close() {
      await this.flush()
      made?.close()
    },
  }
}
