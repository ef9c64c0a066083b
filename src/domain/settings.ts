// User and organization settings: what a valid settings object is, how a change applies, who may
// change an organization's, and what the audit log keeps of a change. Pure, no I/O.
import type { Member } from './access.js'
import type { Changes } from './audit.js'
import { OrgRole } from './roles.js'

/** A settings object: top-level keys mapping to any JSON value. */
export type Settings = Record<string, unknown>

/** The bounds of one settings object (user or organization), checked after every change applies. */
export const SETTINGS_LIMITS = {
  /** The whole object serialized as JSON, in UTF-8 bytes. */
  maxBytes: 16 * 1024,
  /** Nesting of objects and arrays, the settings object itself being level 1. */
  maxDepth: 8,
  /** Top-level keys. */
  maxKeys: 100,
  /** Characters of a top-level key (at least 1). */
  maxKeyLength: 100,
} as const

/** Why the organization's settings are refused to the caller; the API layer words each one. */
export type SettingsRefusal = 'NO_ORGANIZATION' | 'NOT_PERMITTED'

/** Every member reads its organization's settings. */
export function organizationSettingsReadRefusal(caller: Member): SettingsRefusal | null {
  return caller.orgId === null ? 'NO_ORGANIZATION' : null
}

/** ADMINISTRATORS and OWNER change them. */
export function organizationSettingsWriteRefusal(caller: Member): SettingsRefusal | null {
  if (caller.orgId === null) return 'NO_ORGANIZATION'
  if (caller.orgRole === null || caller.orgRole < OrgRole.ADMINISTRATORS) return 'NOT_PERMITTED'
  return null
}

const isContainer = (value: unknown): value is object => typeof value === 'object' && value !== null

/** The nesting depth of a JSON value: a scalar is 0, `{}` and `[]` are 1. Stops counting past `limit`. */
function depthOf(value: unknown, limit: number): number {
  if (!isContainer(value)) return 0
  if (limit <= 0) return 1
  let deepest = 0
  for (const child of Object.values(value)) deepest = Math.max(deepest, depthOf(child, limit - 1))
  return 1 + deepest
}

/** Why a settings object or a list of keys is refused; the API layer words each one. */
export type SettingsProblem =
  | { reason: 'EMPTY_KEY' }
  | { reason: 'KEY_TOO_LONG'; max: number }
  | { reason: 'TOO_MANY_KEYS'; max: number }
  | { reason: 'TOO_DEEP'; max: number }
  | { reason: 'TOO_BIG'; maxBytes: number }
  | { reason: 'NO_KEYS_NAMED' }
  | { reason: 'TOO_MANY_KEYS_NAMED'; max: number }

function keyProblem(key: string): SettingsProblem | null {
  if (key.length === 0) return { reason: 'EMPTY_KEY' }
  if (key.length > SETTINGS_LIMITS.maxKeyLength) return { reason: 'KEY_TOO_LONG', max: SETTINGS_LIMITS.maxKeyLength }
  return null
}

/** Why a settings object (as it would be stored) is refused, or null when it is within the limits. */
export function settingsProblem(settings: Settings): SettingsProblem | null {
  const keys = Object.keys(settings)
  if (keys.length > SETTINGS_LIMITS.maxKeys) return { reason: 'TOO_MANY_KEYS', max: SETTINGS_LIMITS.maxKeys }
  for (const key of keys) {
    const problem = keyProblem(key)
    if (problem) return problem
  }
  if (depthOf(settings, SETTINGS_LIMITS.maxDepth) > SETTINGS_LIMITS.maxDepth) return { reason: 'TOO_DEEP', max: SETTINGS_LIMITS.maxDepth }
  if (Buffer.byteLength(JSON.stringify(settings)) > SETTINGS_LIMITS.maxBytes)
    return { reason: 'TOO_BIG', maxBytes: SETTINGS_LIMITS.maxBytes }
  return null
}

/** Why a list of keys to delete is refused (none, too many, or a key no setting could have). */
export function keysProblem(keys: readonly string[]): SettingsProblem | null {
  if (keys.length === 0) return { reason: 'NO_KEYS_NAMED' }
  if (keys.length > SETTINGS_LIMITS.maxKeys) return { reason: 'TOO_MANY_KEYS_NAMED', max: SETTINGS_LIMITS.maxKeys }
  for (const key of keys) {
    const problem = keyProblem(key)
    if (problem) return problem
  }
  return null
}

/** A partial update: each given top-level key takes its new value (null included); the rest stay. */
export function mergeSettings(current: Settings, patch: Settings): Settings {
  return { ...current, ...patch }
}

/** The settings without the named keys; unknown keys are ignored. */
export function withoutKeys(current: Settings, keys: readonly string[]): Settings {
  const gone = new Set(keys)
  return Object.fromEntries(Object.entries(current).filter(([key]) => !gone.has(key)))
}

/**
 * What the audit log keeps of a change: the keys added, changed or removed, each as "changed" —
 * never the values, which are the user's and may be large.
 */
export function settingsChanges(before: Settings, after: Settings): Changes {
  const changes: Changes = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const had = Object.hasOwn(before, key)
    const has = Object.hasOwn(after, key)
    if (had !== has || JSON.stringify(before[key]) !== JSON.stringify(after[key])) changes[`settings.${key}`] = 'changed'
  }
  return changes
}
