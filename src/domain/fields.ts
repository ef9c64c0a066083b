// Each input field's one rule: how it is normalised and its limits. Pure, no I/O. Every resolver (and so
// every REST route) takes its fields through these, so a field means the same on every path.

/** Passwords are hashed with argon2id; past this length the input is abuse, not a password. */
export const MAX_PASSWORD_LENGTH = 1024
export const MIN_PASSWORD_LENGTH = 8
/** RFC 5321: a forward path is at most 254 characters. */
export const MAX_EMAIL_LENGTH = 254
/** First names, last names (`name`, `firstName`, `lastName`), after trimming. */
export const MAX_NAME_LENGTH = 100
/** An organization's name: `companyName` at register, `name` when the organization is updated. */
export const MAX_COMPANY_NAME_LENGTH = 200
export const MAX_WEBSITE_LENGTH = 2048
/** deviceInfo: a small JSON object; deeper or larger is abuse (and deep JSON is slow to store and read). */
export const MAX_DEVICE_INFO_DEPTH = 5
export const MAX_DEVICE_INFO_BYTES = 4096
/** A user agent (reported in deviceInfo or sent as the header) is kept up to this many UTF-16 code units. */
export const MAX_USER_AGENT_LENGTH = 512

/**
 * What is wrong with a field's value. The domain says only this; the API layer words it
 * (`fieldMessage` in src/graphql/fieldMessages.ts), so REST and GraphQL say the same for the same problem.
 */
export type FieldProblem =
  | { reason: 'NOT_STRING' }
  | { reason: 'NOT_OBJECT' }
  | { reason: 'EMPTY' }
  | { reason: 'TOO_LONG'; max: number }
  | { reason: 'TOO_DEEP'; max: number }
  | { reason: 'TOO_BIG'; maxBytes: number }
  | { reason: 'CONTROL_CHARACTERS' }
  | { reason: 'SPACES' }
  | { reason: 'NOT_PRINTABLE_ASCII' }
  | { reason: 'NOT_HTTP_URL' }
  | { reason: 'URL_CREDENTIALS' }
  | { reason: 'INVALID_EMAIL' }
  | { reason: 'WEAK_PASSWORD' }
  | { reason: 'PASSWORD_TOO_LONG'; max: number }

/** A value its field's rule refuses: which field, and what is wrong with it. */
export class FieldError extends Error {
  readonly field: string
  readonly problem: FieldProblem

  constructor(field: string, problem: FieldProblem) {
    super(`${field}: ${problem.reason}`)
    this.field = field
    this.problem = problem
    this.name = 'FieldError'
  }
}

/** Length in characters (code points), so that an emoji counts once: every text limit counts this way. */
export const lengthOf = (text: string) => {
  let n = 0
  for (const _ of text) n++
  return n
}

/**
 * What has no place in a single line of text: control characters (CR, LF, TAB, NUL, DEL, C1), the Unicode
 * line and paragraph separators, and the bidirectional embeddings, overrides and isolates that reorder
 * what a reader sees. Names and addresses are shown in mails and headers, where these forge lines.
 */
const NOT_SINGLE_LINE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/u

/** Whether `text` holds a character of NOT_SINGLE_LINE. */
export const hasControlCharacters = (text: string) => NOT_SINGLE_LINE.test(text)

/** What is wrong with a (trimmed) text of at most `max` characters on one line, or null. */
export function singleLineTextProblem(text: string, max: number): FieldProblem | null {
  if (lengthOf(text) > max) return { reason: 'TOO_LONG', max }
  if (hasControlCharacters(text)) return { reason: 'CONTROL_CHARACTERS' }
  return null
}

/** Text that is trimmed, single-line, and must keep 1..max characters. */
function requiredText(value: unknown, field: string, max: number): string {
  if (typeof value !== 'string') throw new FieldError(field, { reason: 'NOT_STRING' })
  const text = value.trim()
  if (text === '') throw new FieldError(field, { reason: 'EMPTY' })
  const problem = singleLineTextProblem(text, max)
  if (problem) throw new FieldError(field, problem)
  return text
}

/**
 * A website as stored: an absolute http:// or https:// URL (WHATWG URL parser) with a host and no user name
 * or password, kept as given (trimmed). `javascript:`, `data:` and scheme-less text are refused.
 */
export function websiteProblem(text: string): FieldProblem | null {
  const lineProblem = singleLineTextProblem(text, MAX_WEBSITE_LENGTH)
  if (lineProblem) return lineProblem
  if (/\s/.test(text)) return { reason: 'SPACES' }
  const notHttp: FieldProblem = { reason: 'NOT_HTTP_URL' }
  // The prefix is checked on the text itself: the parser would also accept "https:\\host" or "https:host".
  if (!/^https?:\/\/[^/\\]/i.test(text)) return notHttp
  let url: URL
  try {
    url = new URL(text)
  } catch {
    return notHttp
  }
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.hostname === '') return notHttp
  if (url.username !== '' || url.password !== '') return { reason: 'URL_CREDENTIALS' }
  return null
}

/** Emails are stored lower-cased (a CHECK enforces it), which makes them unique regardless of case. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

// local@domain.tld: no spaces, one @, a domain of dot-separated labels that neither start nor end with '-'.
const LOCAL_PART = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+$/
const DOMAIN_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/

/** Whether a (normalized) address is a deliverable-looking email address. */
export function isValidEmail(email: string): boolean {
  if (email.length === 0 || email.length > MAX_EMAIL_LENGTH) return false
  const at = email.lastIndexOf('@')
  if (at <= 0 || at !== email.indexOf('@')) return false
  const local = email.slice(0, at)
  const domain = email.slice(at + 1)
  if (local.length > 64 || !LOCAL_PART.test(local) || local.startsWith('.') || local.endsWith('.') || local.includes('..')) return false
  const labels = domain.split('.')
  if (labels.length < 2 || !labels.every((label) => DOMAIN_LABEL.test(label))) return false
  // The top-level domain is never all digits (that would be an IP address).
  return !/^\d+$/.test(labels.at(-1)!)
}

export type PasswordProblem = 'WEAK_PASSWORD' | 'TOO_LONG'

/** Why a new password is not acceptable, or null: ≥ 8 characters with an upper-case letter, a lower-case letter and a digit. */
export function passwordProblem(password: string): PasswordProblem | null {
  if (password.length > MAX_PASSWORD_LENGTH) return 'TOO_LONG'
  if (lengthOf(password) < MIN_PASSWORD_LENGTH) return 'WEAK_PASSWORD'
  if (!/\p{Lu}/u.test(password) || !/\p{Ll}/u.test(password) || !/\p{Nd}/u.test(password)) return 'WEAK_PASSWORD'
  return null
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** Ids are UUIDs; anything else names nobody, and needs no database round trip to say so. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value)
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** Whether a JSON value nests more than `max` objects/arrays deep (a top-level object is 1). Iterative. */
function deeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]]
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!
    if (typeof node !== 'object' || node === null) continue
    if (depth > max) return true
    for (const child of Object.values(node)) pending.push([child, depth + 1])
  }
  return false
}

/** A user agent as kept: trimmed, cut to MAX_USER_AGENT_LENGTH code units (never inside a surrogate pair); empty is none. */
export function userAgentOf(value: string | undefined | null): string | null {
  if (value == null) return null
  let text = value.trim()
  if (text.length > MAX_USER_AGENT_LENGTH) {
    text = text.slice(0, MAX_USER_AGENT_LENGTH)
    if (/[\ud800-\udbff]$/.test(text)) text = text.slice(0, -1)
  }
  return text === '' ? null : text
}

export interface DeviceInfo {
  /** What is stored with the session: the client's object, with the user agent in `userAgent`. */
  deviceInfo: Record<string, unknown> | null
  userAgent: string | null
}

/** The rules, by field. Each returns the value as it is stored, or throws a FieldError. */
export const fields = {
  /** A new address (register, create user): trimmed, lower-cased, and shaped like an address. */
  email(value: unknown, field = 'email'): string {
    if (typeof value !== 'string') throw new FieldError(field, { reason: 'NOT_STRING' })
    const email = normalizeEmail(value)
    if (!isValidEmail(email)) throw new FieldError(field, { reason: 'INVALID_EMAIL' })
    return email
  },

  /** An address to look up (login): normalised the same way; an unknown one is simply not found. */
  loginEmail(value: string): string {
    return normalizeEmail(value)
  },

  /** A new password: never trimmed (every character counts); ≥ 8 characters with upper, lower and digit. */
  password(value: unknown, field = 'password'): string {
    if (typeof value !== 'string') throw new FieldError(field, { reason: 'NOT_STRING' })
    const problem = passwordProblem(value)
    if (problem === 'TOO_LONG') throw new FieldError(field, { reason: 'PASSWORD_TOO_LONG', max: MAX_PASSWORD_LENGTH })
    if (problem === 'WEAK_PASSWORD') throw new FieldError(field, { reason: 'WEAK_PASSWORD' })
    return value
  },

  /** name, firstName, lastName: trimmed, 1–100 characters, single-line. */
  personName(value: unknown, field: string): string {
    return requiredText(value, field, MAX_NAME_LENGTH)
  },

  /** An organization's name (companyName at register, name on update): trimmed, 1–200 characters, single-line. */
  companyName(value: unknown, field = 'companyName'): string {
    return requiredText(value, field, MAX_COMPANY_NAME_LENGTH)
  },

  /** Optional: trimmed, at most 2048 characters, an absolute http(s) URL (websiteProblem); empty or absent is none. */
  companyWebsite(value: unknown, field = 'companyWebsite'): string | null {
    if (value == null) return null
    if (typeof value !== 'string') throw new FieldError(field, { reason: 'NOT_STRING' })
    const text = value.trim()
    if (text === '') return null
    const problem = websiteProblem(text)
    if (problem) throw new FieldError(field, problem)
    return text
  },

  /**
   * A login's device information: an object at most 5 levels deep and 4 KB as JSON. The user agent the
   * client reports in it (`userAgent`) is kept, else the User-Agent header's.
   */
  deviceInfo(value: unknown, userAgentHeader?: string, field = 'deviceInfo'): DeviceInfo {
    if (value != null && !isObject(value)) throw new FieldError(field, { reason: 'NOT_OBJECT' })
    const info = value ?? {}
    if (deeperThan(info, MAX_DEVICE_INFO_DEPTH)) throw new FieldError(field, { reason: 'TOO_DEEP', max: MAX_DEVICE_INFO_DEPTH })
    if (Buffer.byteLength(JSON.stringify(info)) > MAX_DEVICE_INFO_BYTES) {
      throw new FieldError(field, { reason: 'TOO_BIG', maxBytes: MAX_DEVICE_INFO_BYTES })
    }
    const reported = info.userAgent
    if (reported != null && typeof reported !== 'string') throw new FieldError(`${field}.userAgent`, { reason: 'NOT_STRING' })
    const userAgent = userAgentOf(reported) ?? userAgentOf(userAgentHeader)
    const kept = userAgent === null ? { ...info } : { ...info, userAgent }
    if (userAgent === null) delete kept.userAgent
    return { deviceInfo: Object.keys(kept).length === 0 ? null : kept, userAgent }
  },
}
