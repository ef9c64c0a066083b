// How long a list may be: what the resolvers page by, and what the cost rules (src/edge/cost.ts) count.

/** The largest page of organizationUsers with a limit. */
export const ORGANIZATION_USERS_MAX_PAGE = 200
/** Without a limit the whole organization is listed, up to this many (the public client sends no paging). */
export const UNPAGED_LIMIT = 1000

/** The largest page of `sessions`, and its size without a limit: each session may carry 4 KB of deviceInfo. */
export const SESSIONS_MAX_PAGE = 100

/** quotaUsage lists at most this many capabilities of a plan (plans are set by the operator, not by callers). */
export const QUOTA_MAX_CAPABILITIES = 50

/** The largest page of `devices` and of a device's `sessions`, and their size without a limit. */
export const DEVICES_MAX_PAGE = 100
/** A user has at most this many passkeys (the list, registration's excludeCredentials, a login's allowCredentials). */
export const MAX_PASSKEYS_PER_USER = 10
/** A passkey keeps at most this many transports (usb, nfc, ble, hybrid, internal, …). */
export const MAX_PASSKEY_TRANSPORTS = 8
