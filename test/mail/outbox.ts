// Reads the mails the app wrote to its outbox (no SMTP_URL): what a user would find in the inbox.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { FastifyInstance } from 'fastify'

export interface OutboxMail {
  file: string
  to: string
  subject: string
  /** The whole message, transfer encoding undone. */
  raw: string
}

/** Undoes quoted-printable soft breaks and escapes, enough for the ASCII mails we send. */
const unquote = (text: string) => text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)))

export async function readOutbox(app: FastifyInstance): Promise<OutboxMail[]> {
  await app.mailer.flush()
  const dir = app.config.mail.outboxDir
  let files: string[]
  try {
    files = readdirSync(dir)
      .filter((f) => f.endsWith('.eml'))
      .sort()
  } catch {
    return []
  }
  return files.map((file) => {
    const raw = unquote(readFileSync(join(dir, file), 'utf8'))
    const header = (name: string) => new RegExp(`^${name}: (.*)$`, 'mi').exec(raw)?.[1]?.trim() ?? ''
    return { file, to: header('To'), subject: header('Subject'), raw }
  })
}

/** The newest mail to `to`, or undefined. */
export async function lastMailTo(app: FastifyInstance, to: string): Promise<OutboxMail | undefined> {
  return (await readOutbox(app)).filter((m) => m.to.includes(to)).at(-1)
}

/** A query parameter of the first link under `path` in the mail's text part. */
export function linkParam(mail: OutboxMail, path: string, param: string): string {
  const escaped = path.replace(/[/.]/g, '\\$&')
  const link = new RegExp(`https?://[^\\s"<>]*${escaped}\\?[^\\s"<>]+`).exec(mail.raw)?.[0]
  if (!link) throw new Error(`no ${path} link in the mail`)
  const value = new URL(link.replace(/&amp;/g, '&')).searchParams.get(param)
  if (value === null) throw new Error(`no ${param} in ${path} link`)
  return value
}
