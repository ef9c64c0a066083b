// Generated from schema.graphql by scripts/graphql-codegen.js (npm run codegen): do not edit.
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql'
import type { GatewayContext } from './context.js'
export type Maybe<T> = T | null
export type InputMaybe<T> = Maybe<T>
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> }
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string }
  String: { input: string; output: string }
  Boolean: { input: boolean; output: boolean }
  Int: { input: number; output: number }
  Float: { input: number; output: number }
  /** An ISO-8601 date-time in UTC, e.g. 2026-01-31T12:00:00.000Z. */
  DateTime: { input: Date | string; output: Date | string }
  /** An integer within ±(2^53 − 1), a plain JSON number: byte counts exceed Int's 32 bits. */
  SafeInt: { input: number; output: number | bigint }
  /** A JSON object (a login's device information). */
  JSONObject: { input: Record<string, unknown>; output: unknown }
}

export type Query = {
  readonly __typename?: 'Query'
  /** The caller's own profile. NOT_FOUND when the caller's account no longer exists or is deactivated. */
  readonly me: Profile
  /**
   * The role of a member of the caller's organization. FORBIDDEN when the caller has no
   * organization; NOT_FOUND when the user does not exist, is deactivated or is in another organization.
   */
  readonly user: MemberRole
  /**
   * A user of the caller's organization, deactivated ones included. Needs WORKSPACES or higher;
   * FORBIDDEN for another organization's user.
   */
  readonly organizationUser: OrganizationUser
  /**
   * The users of the caller's organization, deactivated ones included, ordered by creation then id.
   * Needs WORKSPACES or higher. limit: 1–200; without it, every user up to the first 1,000.
   * offset ≥ 0 (default 0).
   */
  readonly organizationUsers: OrganizationUserList
  /**
   * The active subscription of the caller's organization and the usage of each capability of its plan.
   * NOT_FOUND (errorCode NO_ACTIVE_SUBSCRIPTION) without one, or without an organization.
   */
  readonly quota: Quota
  /**
   * The caller's active sessions (logins), newest first (GET /token): a page of at most `limit`
   * (1–100, default 100) after skipping `offset` (≥ 0, default 0).
   */
  readonly sessions: ReadonlyArray<Session>
  /**
   * The caller's organization (GET /organization/{orgId}); without id, the caller's own. Any member
   * reads it. FORBIDDEN without an organization or for any other organization's id.
   */
  readonly organization: Organization
  /** The caller's MFA state; the limited token of an MFA login is accepted. */
  readonly mfaStatus: MfaStatus
  /** The methods this server offers: GOOGLE_AUTH (with an MFA key), PASSKEY, MAGIC_LINK (with mail). */
  readonly mfaMethods: ReadonlyArray<MfaType>
  /** The caller's passkeys, oldest first (at most 10). */
  readonly passkeys: ReadonlyArray<Passkey>
  /**
   * The caller's devices, most recently seen first: a page of at most `limit` (1–100, default 100)
   * after skipping `offset` (≥ 0, default 0).
   */
  readonly devices: ReadonlyArray<Device>
  /** One of the caller's devices. NOT_FOUND for an unknown id, a non-UUID or another user's device. */
  readonly device: Device
  /** The caller's settings: one JSON object of top-level keys ({} until something is saved). */
  readonly userSettings: Scalars['JSONObject']['output']
  /** The caller's organization's settings; any member reads them. FORBIDDEN without an organization. */
  readonly organizationSettings: Scalars['JSONObject']['output']
}

export type QueryUserArgs = {
  id: Scalars['ID']['input']
}

export type QueryOrganizationUserArgs = {
  id: Scalars['ID']['input']
}

export type QueryOrganizationUsersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>
  offset?: InputMaybe<Scalars['Int']['input']>
}

export type QuerySessionsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>
  offset?: InputMaybe<Scalars['Int']['input']>
}

export type QueryOrganizationArgs = {
  id?: InputMaybe<Scalars['ID']['input']>
}

export type QueryDevicesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>
  offset?: InputMaybe<Scalars['Int']['input']>
}

export type QueryDeviceArgs = {
  id: Scalars['ID']['input']
}

/** The caller's profile (GET /user/profile). */
export type Profile = {
  readonly __typename?: 'Profile'
  readonly id: Scalars['ID']['output']
  readonly name: Scalars['String']['output']
  readonly lastName: Scalars['String']['output']
  readonly email: Scalars['String']['output']
  /** Null when the user belongs to no organization. */
  readonly orgId: Maybe<Scalars['ID']['output']>
  /** 0 USER, 1 BILLING, 2 WORKSPACES, 254 ADMINISTRATORS, 255 OWNER; null without an organization. */
  readonly orgRole: Maybe<Scalars['Int']['output']>
  readonly orgRoleDescription: Maybe<Scalars['String']['output']>
  /** The defined roles at or below orgRole, ascending. */
  readonly orgRoles: ReadonlyArray<Scalars['Int']['output']>
  readonly validated: Scalars['Boolean']['output']
  readonly mfaRequired: Scalars['Boolean']['output']
  /** Whether the account was registered as a business (POST /user/register's isBusiness). */
  readonly isBusiness: Scalars['Boolean']['output']
}

/** A member's role (GET /user/{userId}). */
export type MemberRole = {
  readonly __typename?: 'MemberRole'
  readonly userId: Scalars['ID']['output']
  readonly orgRole: Maybe<Scalars['Int']['output']>
  readonly orgRoleDescription: Maybe<Scalars['String']['output']>
  readonly orgRoles: ReadonlyArray<Scalars['Int']['output']>
}

/** A user as organization managers see it (GET /organization/users/{userId}). */
export type OrganizationUser = {
  readonly __typename?: 'OrganizationUser'
  readonly id: Scalars['ID']['output']
  readonly email: Scalars['String']['output']
  readonly name: Scalars['String']['output']
  readonly lastName: Scalars['String']['output']
  readonly orgId: Maybe<Scalars['ID']['output']>
  readonly orgRole: Maybe<Scalars['Int']['output']>
  readonly validated: Scalars['Boolean']['output']
  /** When the user was deactivated; null while active. */
  readonly deletedAt: Maybe<Scalars['DateTime']['output']>
  readonly orgRoleDescription: Maybe<Scalars['String']['output']>
  readonly orgRoles: ReadonlyArray<Scalars['Int']['output']>
}

export type Mutation = {
  readonly __typename?: 'Mutation'
  /**
   * Changes a user's name, last name or password (at least one). Own name and last name: anyone;
   * another member's: WORKSPACES or higher in the same organization; a password: only its owner,
   * and it ends the owner's other sessions. A password change needs recent authentication: a session
   * whose password was proven within RECENT_AUTH_SECONDS, or input.currentPassword; otherwise FORBIDDEN
   * (errorCode REAUTHENTICATION_REQUIRED; a wrong currentPassword: INVALID_PASSWORD).
   */
  readonly updateUser: ActionResult
  /**
   * Moves a member to another role. WORKSPACES+ move users below their own role to roles below it;
   * OWNER any. The last OWNER keeps the role.
   */
  readonly updateUserRole: RoleChange
  /** Adds a user to the caller's organization (WORKSPACES or higher; the role rules apply). */
  readonly createOrganizationUser: OrganizationUser
  /** Changes a user of the caller's organization: names, and the role under the role rules. */
  readonly updateOrganizationUser: OrganizationUser
  /** Deactivates (soft-deletes) a user of the caller's organization and ends all its sessions. */
  readonly deleteOrganizationUser: ActionResult
  /** Reactivates a deactivated user of the caller's organization. */
  readonly activateOrganizationUser: ActionResult
  /**
   * Creates a user, a new organization with the user as OWNER, and the organization's free-trial
   * subscription; logs the user in. BAD_USER_INPUT with errorCode INVALID_REQUEST, INVALID_EMAIL,
   * WEAK_PASSWORD or EMAIL_ALREADY_REGISTERED; RATE_LIMITED (TOO_MANY_ATTEMPTS) with retryAfter.
   */
  readonly register: AuthPayload
  /**
   * Starts a session. UNAUTHENTICATED with errorCode INVALID_PASSWORD (unknown email, wrong password
   * or no password set, alike) or USER_INACTIVE; RATE_LIMITED (TOO_MANY_ATTEMPTS) with retryAfter.
   * deviceInfo describes the device (a fingerprint in it recognizes the device; see devices). deviceToken:
   * what trustDevice answered for this device; while it is trusted, an MFA user gets a full session
   * without a code (see docs/devices.md).
   */
  readonly login: AuthPayload
  /**
   * Spends a refresh token and returns its successor. UNAUTHENTICATED with errorCode
   * INVALID_REFRESH_TOKEN or REFRESH_TOKEN_REUSED (a spent token: its whole session is revoked).
   */
  readonly refresh: RefreshPayload
  /**
   * Ends the session that the refresh token belongs to. Works without an access token (an expired one
   * must not keep a client from logging out); with one, the refresh token must be the caller's.
   * BAD_USER_INPUT (errorCode INVALID_REFRESH_TOKEN) for an unknown token or another user's.
   */
  readonly logout: ActionResult
  /** Ends one of the caller's sessions. NOT_FOUND for an unknown session or another user's. */
  readonly revokeSession: ActionResult
  /** Ends every live session of the caller except the current one (POST /sessions/revoke-all). */
  readonly revokeOtherSessions: RevokedSessions
  /**
   * Marks one of the caller's live sessions as active now and extends it (and its refresh token) by the
   * refresh-token lifetime. NOT_FOUND for an unknown, ended or another user's session.
   */
  readonly sessionHeartbeat: SessionHeartbeat
  /**
   * Changes the caller's organization's details (ADMINISTRATORS or OWNER; mfaEnforced: OWNER only).
   * An empty text clears an optional field. FORBIDDEN for another organization or a lower role.
   */
  readonly updateOrganization: Organization
  /**
   * Mails a single-use reset link (valid 1 hour) when an active account has this email; the answer is
   * the same either way. BAD_USER_INPUT (INVALID_EMAIL); RATE_LIMITED (TOO_MANY_ATTEMPTS).
   */
  readonly requestPasswordReset: ActionResult
  /**
   * Sets a new password (the register rules) with a reset token and ends every session of the user.
   * BAD_USER_INPUT with errorCode INVALID_TOKEN (unknown, expired or spent) or WEAK_PASSWORD.
   */
  readonly resetPassword: ActionResult
  /**
   * Marks the address verified (validated = true) with the mailed token. password: sets one for an
   * account that has none (the register rules); ignored otherwise. BAD_USER_INPUT (INVALID_TOKEN).
   */
  readonly verifyEmail: ActionResult
  /** Whether a verification token is still good, without spending it. BAD_USER_INPUT (INVALID_TOKEN). */
  readonly preVerifyEmail: PreVerifyEmailResult
  /**
   * Mails a new verification link. id: the verificationTokenId register answered, or the caller's own
   * user id. NOT_FOUND; BAD_USER_INPUT (ALREADY_VERIFIED); RATE_LIMITED.
   */
  readonly resendVerification: ActionResult
  /**
   * Mails a new invitation to a member who has not accepted one yet. WORKSPACES or higher, same
   * organization. FORBIDDEN; NOT_FOUND; BAD_USER_INPUT (ALREADY_ACTIVE).
   */
  readonly resendInvitation: ActionResult
  /**
   * Accepts an invitation: the user uid sets its password (and names) with the mailed token, is
   * verified and logged in. BAD_USER_INPUT (INVALID_TOKEN, WEAK_PASSWORD).
   */
  readonly activateAccount: AuthPayload
  /** Deactivates the caller's own account and ends every session. BAD_USER_INPUT for the last owner. */
  readonly deactivateAccount: ActionResult
  /**
   * Starts (or restarts) setting up a TOTP authenticator. BAD_USER_INPUT for MAGIC_LINK (enableMfa turns
   * it on) and PASSKEY (passkeyRegistrationOptions), or when TOTP is already enabled. Setup, verifyMfaSetup and enableMfa need recent authentication: a
   * session whose password or code was proven within RECENT_AUTH_SECONDS, or currentPassword; otherwise
   * FORBIDDEN (errorCode REAUTHENTICATION_REQUIRED; a wrong currentPassword: INVALID_PASSWORD).
   */
  readonly setupMfa: MfaSetup
  /**
   * Checks a first code from the new authenticator. BAD_USER_INPUT (INVALID_MFA_CODE); RATE_LIMITED;
   * recent authentication as setupMfa.
   */
  readonly verifyMfaSetup: ActionResult
  /**
   * GOOGLE_AUTH: turns TOTP on after verifyMfaSetup. MAGIC_LINK: turns magic links on (the email address
   * must be verified). PASSKEY: succeeds once a passkey is registered. From the next login on, a second
   * factor is needed. Recent authentication as setupMfa.
   */
  readonly enableMfa: ActionResult
  /**
   * Turns a method off (PASSKEY: removes every passkey). With a current code or a backup code at any time (BAD_USER_INPUT INVALID_MFA_CODE;
   * RATE_LIMITED); without one only within RECENT_AUTH_SECONDS of the session's sign-in or last proof,
   * otherwise FORBIDDEN (errorCode REAUTHENTICATION_REQUIRED).
   */
  readonly disableMfa: ActionResult
  /**
   * With the limited token of an MFA login: a code or a backup code (GOOGLE_AUTH), a passkey's assertion
   * (PASSKEY, `credential` from navigator.credentials.get) or a magic link's token (MAGIC_LINK) starts the
   * full session. UNAUTHENTICATED without that token; BAD_USER_INPUT (INVALID_MFA_CODE, INVALID_PASSKEY,
   * INVALID_MAGIC_LINK); RATE_LIMITED.
   */
  readonly verifyMfaLogin: MfaLoginPayload
  /**
   * PublicKeyCredentialCreationOptions (JSON, base64url) for navigator.credentials.create: a new passkey
   * for the caller. The challenge works once, for 5 minutes. Recent authentication as setupMfa;
   * BAD_USER_INPUT (PASSKEY_LIMIT) with 10 passkeys already.
   */
  readonly passkeyRegistrationOptions: Scalars['JSONObject']['output']
  /**
   * Stores the passkey navigator.credentials.create made from passkeyRegistrationOptions (the
   * credential as JSON, base64url); from then on PASSKEY is enabled. BAD_USER_INPUT
   * (INVALID_PASSKEY) when the challenge, origin, RP ID or attestation does not check out.
   */
  readonly completePasskeyRegistration: ActionResult
  /**
   * With the limited token of an MFA login: PublicKeyCredentialRequestOptions (JSON) for
   * navigator.credentials.get, bound to that login, once, for 5 minutes. Then verifyMfaLogin(PASSKEY, credential).
   */
  readonly passkeyAuthOptions: Scalars['JSONObject']['output']
  /** Removes one of the caller's passkeys. Recent authentication as setupMfa; NOT_FOUND for another's. */
  readonly removePasskey: ActionResult
  /**
   * With the limited token of an MFA login and MAGIC_LINK enabled: mails the account a single-use link
   * for that login (valid while the token is, at most 5 minutes). RATE_LIMITED after 3 per 15 minutes.
   */
  readonly sendMfaMagicLink: ActionResult
  /**
   * With the limited token the link was sent for: the link's token starts the full session.
   * BAD_USER_INPUT (INVALID_MAGIC_LINK) when unknown, spent, expired or sent for another login; RATE_LIMITED.
   */
  readonly activateMfaMagicLink: MfaLoginPayload
  /** OWNER only: whether every member of the organization is required to use MFA. */
  readonly enforceOrganizationMfa: ActionResult
  /**
   * Chooses which of the caller's enrolled methods login asks for first (mfaStatus.primaryMethod).
   * BAD_USER_INPUT (errorCode MFA_METHOD_NOT_ENABLED) for a method the caller has not enabled. Audited.
   */
  readonly setPrimaryMfa: ActionResult
  /**
   * Removes every MFA method of a user (authenticators, backup codes, trusted devices). Without userId
   * (or with the caller's own): the caller's, with a current code or backup code, or within
   * RECENT_AUTH_SECONDS of a sign-in (FORBIDDEN, errorCode REAUTHENTICATION_REQUIRED). With another
   * member's userId: OWNER, or ADMINISTRATORS for a member below itself (FORBIDDEN otherwise; NOT_FOUND
   * for a user not in the organization), signed in recently or with currentPassword. `enable`: the user
   * must set MFA up again (its mfaRequired stays true; it does anyway where the organization enforces MFA).
   * Audited (mfa.reset).
   */
  readonly resetMfa: ActionResult
  /**
   * Trusts the caller's device with this fingerprint for TRUSTED_DEVICE_DAYS and answers a new device
   * token (any earlier one of the device stops working). Needs a sign-in within RECENT_AUTH_SECONDS or
   * currentPassword (FORBIDDEN, errorCode REAUTHENTICATION_REQUIRED). NOT_FOUND when the caller has no
   * device with this fingerprint; BAD_USER_INPUT (TRUSTED_DEVICES_DISABLED) when trusting is off, or the
   * organization enforces MFA and TRUSTED_DEVICE_WHEN_ENFORCED is not set. Audited.
   */
  readonly trustDevice: DeviceTrust
  /** Takes the trust away from one of the caller's devices (its device token stops working). NOT_FOUND as device. Audited. */
  readonly untrustDevice: ActionResult
  /** Forgets one of the caller's devices and ends its live sessions (the current one too). NOT_FOUND as device. Audited. */
  readonly removeDevice: RemovedDevice
  /**
   * Replaces the caller's settings with `settings`. At most 100 top-level keys of 1–100 characters,
   * 8 levels of nesting and 16,384 bytes as JSON (BAD_USER_INPUT otherwise). Audited (keys only).
   */
  readonly replaceUserSettings: ActionResult
  /** Sets the given top-level keys (null is a value), keeping the others; the limits apply to the result. */
  readonly updateUserSettings: ActionResult
  /** Removes the named top-level keys (1–100; unknown keys are ignored). */
  readonly deleteUserSettings: ActionResult
  /** replaceUserSettings for the caller's organization: ADMINISTRATORS or OWNER, else FORBIDDEN. */
  readonly replaceOrganizationSettings: ActionResult
  /** updateUserSettings for the caller's organization: ADMINISTRATORS or OWNER, else FORBIDDEN. */
  readonly updateOrganizationSettings: ActionResult
  /** deleteUserSettings for the caller's organization: ADMINISTRATORS or OWNER, else FORBIDDEN. */
  readonly deleteOrganizationSettings: ActionResult
  /**
   * Public: asks for a demo. Stored, and mailed to DEMO_REQUEST_MAIL_TO when set. RATE_LIMITED
   * (TOO_MANY_ATTEMPTS) with retryAfter past RATE_LIMIT_DEMO_REQUEST_PER_ADDRESS per address.
   */
  readonly requestDemo: DemoRequestResult
  /**
   * Public: starts a sign-in with a provider (authorization code flow with PKCE, state and nonce). With a valid
   * access token the identity will be linked to the caller. NOT_FOUND (PROVIDER_NOT_CONFIGURED) for a provider that is off.
   */
  readonly beginProviderSignIn: ProviderSignInStart
  /**
   * Public: trades the code and state of the provider's redirect for a session. BAD_USER_INPUT INVALID_STATE
   * (unknown, spent, expired or another provider's state), INVALID_GRANT (the provider refused the code);
   * UNAUTHENTICATED INVALID_ID_TOKEN (the ID token failed a check: signature, issuer, audience, expiry, nonce).
   */
  readonly completeProviderSignIn: ProviderSignInPayload
  /**
   * Public: signs in with an ID token the frontend obtained from the provider itself (Google Identity Services,
   * MSAL; GOOGLE and MICROSOFT only). Checked against the provider's JWKS: signature (RS256/ES256), issuer, audience
   * (and azp) our client id, expiry, issued at most AUTH_ID_TOKEN_MAX_AGE seconds ago; single use. Same accounts and
   * answer as completeProviderSignIn; with a valid access token a new identity is linked to the caller.
   * UNAUTHENTICATED INVALID_ID_TOKEN (a check failed), ID_TOKEN_REUSED (already used).
   */
  readonly signInWithIdToken: ProviderSignInPayload
  /**
   * Public: refresh for a session begun with a provider: the gateway's own refresh token rotates, as refresh
   * does (the provider's tokens are never kept). NOT_FOUND (PROVIDER_NOT_CONFIGURED) for a provider that is off.
   */
  readonly refreshProviderSession: RefreshPayload
  /** Public: a single-use challenge for a Stellar address to sign (AUTH_CHALLENGE_TTL seconds). */
  readonly web3Challenge: Web3Challenge
  /**
   * Public: signs in with a Stellar wallet: the SEP-53 signature of the challenge's message by the address's
   * key. BAD_USER_INPUT INVALID_CHALLENGE (unknown, spent, expired, or another address's), UNAUTHENTICATED
   * INVALID_SIGNATURE. With a valid access token the wallet is linked to the caller.
   */
  readonly web3SignIn: ProviderSignInPayload
}

export type MutationUpdateUserArgs = {
  id: Scalars['ID']['input']
  input: UserUpdateInput
}

export type MutationUpdateUserRoleArgs = {
  id: Scalars['ID']['input']
  orgRole: Scalars['Int']['input']
}

export type MutationCreateOrganizationUserArgs = {
  input: OrganizationUserCreateInput
}

export type MutationUpdateOrganizationUserArgs = {
  id: Scalars['ID']['input']
  input: OrganizationUserUpdateInput
}

export type MutationDeleteOrganizationUserArgs = {
  id: Scalars['ID']['input']
}

export type MutationActivateOrganizationUserArgs = {
  id: Scalars['ID']['input']
}

export type MutationRegisterArgs = {
  input: RegisterInput
}

export type MutationLoginArgs = {
  email: Scalars['String']['input']
  password: Scalars['String']['input']
  deviceInfo?: InputMaybe<Scalars['JSONObject']['input']>
  deviceToken?: InputMaybe<Scalars['String']['input']>
}

export type MutationRefreshArgs = {
  refreshToken: Scalars['String']['input']
}

export type MutationLogoutArgs = {
  refreshToken: Scalars['String']['input']
}

export type MutationRevokeSessionArgs = {
  tokenId: Scalars['ID']['input']
}

export type MutationSessionHeartbeatArgs = {
  tokenId: Scalars['ID']['input']
}

export type MutationUpdateOrganizationArgs = {
  id: Scalars['ID']['input']
  input: OrganizationUpdateInput
}

export type MutationRequestPasswordResetArgs = {
  email: Scalars['String']['input']
}

export type MutationResetPasswordArgs = {
  token: Scalars['String']['input']
  newPassword: Scalars['String']['input']
}

export type MutationVerifyEmailArgs = {
  token: Scalars['String']['input']
  password?: InputMaybe<Scalars['String']['input']>
}

export type MutationPreVerifyEmailArgs = {
  token: Scalars['String']['input']
}

export type MutationResendVerificationArgs = {
  id: Scalars['ID']['input']
}

export type MutationResendInvitationArgs = {
  id: Scalars['ID']['input']
}

export type MutationActivateAccountArgs = {
  uid: Scalars['ID']['input']
  token: Scalars['String']['input']
  registrationInfo: ActivationInput
}

export type MutationSetupMfaArgs = {
  mfaType: MfaType
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationVerifyMfaSetupArgs = {
  mfaType: MfaType
  code: Scalars['String']['input']
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationEnableMfaArgs = {
  mfaType: MfaType
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationDisableMfaArgs = {
  mfaType: MfaType
  code?: InputMaybe<Scalars['String']['input']>
}

export type MutationVerifyMfaLoginArgs = {
  mfaType: MfaType
  code?: InputMaybe<Scalars['String']['input']>
  token?: InputMaybe<Scalars['String']['input']>
  credential?: InputMaybe<Scalars['JSONObject']['input']>
}

export type MutationPasskeyRegistrationOptionsArgs = {
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationCompletePasskeyRegistrationArgs = {
  credential: Scalars['JSONObject']['input']
  challenge?: InputMaybe<Scalars['String']['input']>
  name?: InputMaybe<Scalars['String']['input']>
}

export type MutationRemovePasskeyArgs = {
  id: Scalars['ID']['input']
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationActivateMfaMagicLinkArgs = {
  token: Scalars['String']['input']
}

export type MutationEnforceOrganizationMfaArgs = {
  enforced: Scalars['Boolean']['input']
}

export type MutationSetPrimaryMfaArgs = {
  mfaType: MfaType
}

export type MutationResetMfaArgs = {
  userId?: InputMaybe<Scalars['ID']['input']>
  enable?: InputMaybe<Scalars['Boolean']['input']>
  code?: InputMaybe<Scalars['String']['input']>
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationTrustDeviceArgs = {
  fingerprint: Scalars['String']['input']
  currentPassword?: InputMaybe<Scalars['String']['input']>
}

export type MutationUntrustDeviceArgs = {
  id: Scalars['ID']['input']
}

export type MutationRemoveDeviceArgs = {
  id: Scalars['ID']['input']
}

export type MutationReplaceUserSettingsArgs = {
  settings: Scalars['JSONObject']['input']
}

export type MutationUpdateUserSettingsArgs = {
  settings: Scalars['JSONObject']['input']
}

export type MutationDeleteUserSettingsArgs = {
  keys: ReadonlyArray<Scalars['String']['input']>
}

export type MutationReplaceOrganizationSettingsArgs = {
  settings: Scalars['JSONObject']['input']
}

export type MutationUpdateOrganizationSettingsArgs = {
  settings: Scalars['JSONObject']['input']
}

export type MutationDeleteOrganizationSettingsArgs = {
  keys: ReadonlyArray<Scalars['String']['input']>
}

export type MutationRequestDemoArgs = {
  input: DemoRequestInput
}

export type MutationBeginProviderSignInArgs = {
  provider: SignInProvider
}

export type MutationCompleteProviderSignInArgs = {
  provider: SignInProvider
  code: Scalars['String']['input']
  state: Scalars['String']['input']
  iss?: InputMaybe<Scalars['String']['input']>
  deviceInfo?: InputMaybe<Scalars['JSONObject']['input']>
}

export type MutationSignInWithIdTokenArgs = {
  provider: SignInProvider
  idToken: Scalars['String']['input']
  deviceInfo?: InputMaybe<Scalars['JSONObject']['input']>
}

export type MutationRefreshProviderSessionArgs = {
  provider: SignInProvider
  refreshToken: Scalars['String']['input']
}

export type MutationWeb3ChallengeArgs = {
  address: Scalars['String']['input']
  network?: InputMaybe<Scalars['String']['input']>
}

export type MutationWeb3SignInArgs = {
  address: Scalars['String']['input']
  network: Scalars['String']['input']
  signature: Scalars['String']['input']
  nonce: Scalars['String']['input']
  deviceInfo?: InputMaybe<Scalars['JSONObject']['input']>
}

/** The outcome of a change that returns nothing else. */
export type ActionResult = {
  readonly __typename?: 'ActionResult'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
}

export type UserUpdateInput = {
  readonly name?: InputMaybe<Scalars['String']['input']>
  readonly lastName?: InputMaybe<Scalars['String']['input']>
  /** ≥ 8 characters with an upper-case letter, a lower-case letter and a digit. */
  readonly password?: InputMaybe<Scalars['String']['input']>
  /**
   * The caller's current password, with password: needed when the session's sign-in is older than
   * RECENT_AUTH_SECONDS. Counts as a login attempt.
   */
  readonly currentPassword?: InputMaybe<Scalars['String']['input']>
}

/** A role change (PUT /user/{userId}/role). */
export type RoleChange = {
  readonly __typename?: 'RoleChange'
  readonly userId: Scalars['ID']['output']
  readonly previousRole: Scalars['Int']['output']
  readonly newRole: Scalars['Int']['output']
  readonly message: Scalars['String']['output']
}

export type OrganizationUserCreateInput = {
  readonly email: Scalars['String']['input']
  readonly password: Scalars['String']['input']
  readonly firstName: Scalars['String']['input']
  readonly lastName: Scalars['String']['input']
  /** Default 0 (USER). */
  readonly orgRole?: InputMaybe<Scalars['Int']['input']>
  /** Accepted and recorded in the audit event; no e-mail is sent. */
  readonly sendInvite?: InputMaybe<Scalars['Boolean']['input']>
  /** How the user signs in. Only LOCAL (email and password, the default) can be created here. */
  readonly authMethod?: InputMaybe<AuthMethod>
  /** The identity provider's name, recorded in the audit event. */
  readonly provider?: InputMaybe<Scalars['String']['input']>
}

/** How a user signs in. */
export type AuthMethod = 'LOCAL' | 'GOOGLE' | 'GITHUB' | 'MICROSOFT'

export type OrganizationUserUpdateInput = {
  readonly name?: InputMaybe<Scalars['String']['input']>
  readonly lastName?: InputMaybe<Scalars['String']['input']>
  readonly orgRole?: InputMaybe<Scalars['Int']['input']>
}

/** A page of an organization's users (GET /organization/users). */
export type OrganizationUserList = {
  readonly __typename?: 'OrganizationUserList'
  readonly data: ReadonlyArray<OrganizationUser>
  /** All users of the organization, regardless of limit and offset. */
  readonly total: Scalars['Int']['output']
}

/** GET /user/quota. */
export type Quota = {
  readonly __typename?: 'Quota'
  readonly subscription: SubscriptionSummary
  readonly quotaUsage: ReadonlyArray<QuotaUsage>
}

export type SubscriptionSummary = {
  readonly __typename?: 'SubscriptionSummary'
  /** The organization's subscription. */
  readonly id: Scalars['ID']['output']
  /** The plan's name and description. */
  readonly name: Scalars['String']['output']
  readonly description: Scalars['String']['output']
}

export type QuotaUsage = {
  readonly __typename?: 'QuotaUsage'
  readonly capability: Capability
  readonly usage: Usage
}

export type Capability = {
  readonly __typename?: 'Capability'
  readonly id: Scalars['ID']['output']
  readonly code: Scalars['String']['output']
  readonly description: Scalars['String']['output']
  readonly type: Scalars['String']['output']
  readonly periodType: PeriodType
}

export type PeriodType = 'ALL_TIME' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'

/** Usage in the current period (for ALL_TIME: ever). */
export type Usage = {
  readonly __typename?: 'Usage'
  readonly current: Scalars['SafeInt']['output']
  readonly max: Scalars['SafeInt']['output']
  /** round(100 · current / max); 0 when max is 0. */
  readonly percentage: Scalars['SafeInt']['output']
}

/** POST /user/register's body. */
export type RegisterInput = {
  readonly email: Scalars['String']['input']
  /** At least 8 characters with an upper-case letter, a lower-case letter and a digit. */
  readonly password: Scalars['String']['input']
  readonly firstName: Scalars['String']['input']
  readonly lastName: Scalars['String']['input']
  /** The new organization's name. */
  readonly companyName: Scalars['String']['input']
  readonly isBusiness: Scalars['Boolean']['input']
  readonly companyWebsite?: InputMaybe<Scalars['String']['input']>
}

/** A new session's tokens (POST /user/register, POST /user/login). */
export type AuthPayload = {
  readonly __typename?: 'AuthPayload'
  /**
   * A JWT for Authorization: Bearer. When mfaRequired is true it is a limited token (5 minutes) that
   * only mfaStatus, mfaMethods and verifyMfaLogin accept.
   */
  readonly accessToken: Scalars['String']['output']
  /** Opaque; spent by its first use at refresh. Null until verifyMfaLogin when mfaRequired is true. */
  readonly refreshToken: Maybe<Scalars['String']['output']>
  /** The session's id (see sessions, revokeSession). Null until verifyMfaLogin when mfaRequired is true. */
  readonly tokenId: Maybe<Scalars['ID']['output']>
  /** Whether the login still needs a TOTP code (verifyMfaLogin) before it has full access. */
  readonly mfaRequired: Scalars['Boolean']['output']
  /** register only: the id of the verification mail, for resendVerification; null when none was sent. */
  readonly verificationTokenId: Maybe<Scalars['ID']['output']>
  /** The access token's expiry, in seconds since the epoch (a whole number). */
  readonly expiresAt: Scalars['Float']['output']
  readonly user: AuthUser
}

export type AuthUser = {
  readonly __typename?: 'AuthUser'
  readonly id: Scalars['ID']['output']
  readonly email: Scalars['String']['output']
  readonly name: Scalars['String']['output']
  readonly orgId: Maybe<Scalars['ID']['output']>
  readonly orgRole: Maybe<Scalars['Int']['output']>
  readonly image_url: Maybe<Scalars['String']['output']>
}

/** POST /user/refresh's result. */
export type RefreshPayload = {
  readonly __typename?: 'RefreshPayload'
  /** The same as accessToken (the public client reads token). */
  readonly token: Scalars['String']['output']
  readonly accessToken: Scalars['String']['output']
  readonly refreshToken: Scalars['String']['output']
  /** The access token's expiry, in seconds since the epoch (a whole number). */
  readonly expiresAt: Scalars['Float']['output']
}

/** One login of the caller (GET /token). */
export type Session = {
  readonly __typename?: 'Session'
  readonly tokenId: Scalars['ID']['output']
  readonly createdAt: Scalars['DateTime']['output']
  readonly lastUsedAt: Scalars['DateTime']['output']
  readonly expiresAt: Scalars['DateTime']['output']
  readonly ipAddress: Maybe<Scalars['String']['output']>
  /** The user agent the client reported in deviceInfo.userAgent at login, else its User-Agent header. */
  readonly userAgent: Maybe<Scalars['String']['output']>
  /** What the client reported at login (at most 5 levels deep, 4 KB), with userAgent. */
  readonly deviceInfo: Maybe<Scalars['JSONObject']['output']>
  /** Whether this request's access token belongs to the session. */
  readonly current: Scalars['Boolean']['output']
  /** The same as tokenId (GET /sessions names it id). */
  readonly id: Scalars['ID']['output']
  /** The same as createdAt. */
  readonly startedAt: Scalars['DateTime']['output']
  /** The same as lastUsedAt: the last refresh or heartbeat. */
  readonly lastActivity: Scalars['DateTime']['output']
  /** PASSWORD for a login (a second factor included) or registration, TRUSTED_DEVICE when a trusted device stood in for the second factor, CLI for npm run token, GOOGLE, GITHUB, MICROSOFT or WEB3_STELLAR for a sign-in (docs/sign-in.md). */
  readonly loginMethod: Scalars['String']['output']
  /** Always null: the gateway does not locate addresses. */
  readonly location: Maybe<Scalars['String']['output']>
}

/** POST /sessions/revoke-all's result. */
export type RevokedSessions = {
  readonly __typename?: 'RevokedSessions'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  /** How many sessions were ended. */
  readonly revoked: Scalars['Int']['output']
}

/** POST /sessions/{id}/heartbeat's result. */
export type SessionHeartbeat = {
  readonly __typename?: 'SessionHeartbeat'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  /** The session's new expiry. */
  readonly newExpiry: Scalars['DateTime']['output']
}

/** An organization's details (GET /organization/{orgId}). */
export type Organization = {
  readonly __typename?: 'Organization'
  readonly id: Scalars['ID']['output']
  readonly name: Scalars['String']['output']
  /** The host name of website; "" without one (the public client's OrganizationData declares a string). */
  readonly domain: Scalars['String']['output']
  readonly address1: Maybe<Scalars['String']['output']>
  readonly address2: Maybe<Scalars['String']['output']>
  readonly city: Maybe<Scalars['String']['output']>
  readonly zipcode: Maybe<Scalars['String']['output']>
  readonly phone: Maybe<Scalars['String']['output']>
  readonly state: Maybe<Scalars['String']['output']>
  readonly country: Maybe<Scalars['String']['output']>
  /** When the organization was closed; null while it is active (never set through this API). */
  readonly deletedAt: Maybe<Scalars['DateTime']['output']>
  readonly reposDisabled: Scalars['Boolean']['output']
  readonly website: Maybe<Scalars['String']['output']>
  readonly is_business: Scalars['Boolean']['output']
  /** Whether members must use multi-factor authentication. */
  readonly mfaEnforced: Scalars['Boolean']['output']
}

/** PUT /organization/{orgId}'s body: any of these, at least one. */
export type OrganizationUpdateInput = {
  readonly name?: InputMaybe<Scalars['String']['input']>
  readonly address1?: InputMaybe<Scalars['String']['input']>
  readonly address2?: InputMaybe<Scalars['String']['input']>
  readonly city?: InputMaybe<Scalars['String']['input']>
  readonly zipcode?: InputMaybe<Scalars['String']['input']>
  readonly phone?: InputMaybe<Scalars['String']['input']>
  readonly state?: InputMaybe<Scalars['String']['input']>
  readonly country?: InputMaybe<Scalars['String']['input']>
  readonly website?: InputMaybe<Scalars['String']['input']>
  readonly is_business?: InputMaybe<Scalars['Boolean']['input']>
  /** OWNER only. */
  readonly mfaEnforced?: InputMaybe<Scalars['Boolean']['input']>
}

/** What an invited user fills in (POST /user/activate's registrationInfo). */
export type ActivationInput = {
  /** At least 8 characters with an upper-case letter, a lower-case letter and a digit. */
  readonly password: Scalars['String']['input']
  readonly firstName?: InputMaybe<Scalars['String']['input']>
  readonly lastName?: InputMaybe<Scalars['String']['input']>
}

export type PreVerifyEmailResult = {
  readonly __typename?: 'PreVerifyEmailResult'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  /** How the account signs in: LOCAL (email and password) for every account here. */
  readonly authMethod: Scalars['String']['output']
  readonly hasPassword: Scalars['Boolean']['output']
}

/**
 * Second factors: GOOGLE_AUTH (TOTP), PASSKEY (WebAuthn passkeys, several per user) and MAGIC_LINK (a
 * single-use link mailed for one login).
 */
export type MfaType = 'GOOGLE_AUTH' | 'MAGIC_LINK' | 'PASSKEY'

export type MfaStatus = {
  readonly __typename?: 'MfaStatus'
  /** An authenticator is set up and enabled. */
  readonly isEnabled: Scalars['Boolean']['output']
  /** Enabled, enforced by the organization, or asked of the user again by resetMfa(enable: true). */
  readonly isRequired: Scalars['Boolean']['output']
  /** The caller's organization enforces MFA. */
  readonly isEnforced: Scalars['Boolean']['output']
  readonly enabledMethods: ReadonlyArray<MfaType>
  readonly primaryMethod: Maybe<MfaType>
  /** Whether the request's token has full access (false with the limited token of an MFA login). */
  readonly sessionVerified: Scalars['Boolean']['output']
}

/** A new authenticator: shown once; the backup codes are stored only as keyed hashes. */
export type MfaSetup = {
  readonly __typename?: 'MfaSetup'
  /** Base32, for typing into the app. */
  readonly secret: Scalars['String']['output']
  readonly otpauthUrl: Scalars['String']['output']
  /** A PNG data URL of otpauthUrl. */
  readonly qrCode: Scalars['String']['output']
  readonly backupCodes: ReadonlyArray<Scalars['String']['output']>
}

export type MfaLoginPayload = {
  readonly __typename?: 'MfaLoginPayload'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  readonly fullAccessToken: Scalars['String']['output']
  readonly refreshToken: Scalars['String']['output']
  readonly tokenId: Scalars['ID']['output']
  readonly expiresAt: Scalars['Float']['output']
}

/** A passkey (WebAuthn credential) registered as a second factor. Its key stays on the authenticator. */
export type Passkey = {
  readonly __typename?: 'Passkey'
  readonly id: Scalars['ID']['output']
  /** The name given at registration (or 'Passkey'). */
  readonly name: Scalars['String']['output']
  /** How the browser reaches the authenticator: usb, nfc, ble, hybrid, internal. */
  readonly transports: ReadonlyArray<Scalars['String']['output']>
  readonly createdAt: Scalars['DateTime']['output']
  readonly lastUsedAt: Maybe<Scalars['DateTime']['output']>
}

/** A device the caller signed in from (docs/devices.md): the client's DeviceItem. */
export type Device = {
  readonly __typename?: 'Device'
  readonly id: Scalars['ID']['output']
  /** deviceInfo.deviceName, else "<browser> on <os>". */
  readonly deviceName: Scalars['String']['output']
  /** DESKTOP, MOBILE, TABLET (deviceInfo.deviceType) or UNKNOWN. */
  readonly deviceType: Scalars['String']['output']
  readonly os: Scalars['String']['output']
  readonly browser: Scalars['String']['output']
  /** The address of its newest login. */
  readonly ipAddress: Maybe<Scalars['String']['output']>
  /** Always null: the gateway does not locate addresses. */
  readonly country: Maybe<Scalars['String']['output']>
  /** Always null: the gateway does not locate addresses. */
  readonly city: Maybe<Scalars['String']['output']>
  /** Trusted and not expired: a login with its device token skips the second factor. */
  readonly isTrusted: Scalars['Boolean']['output']
  /** TRUSTED or KNOWN. */
  readonly trustLevel: Scalars['String']['output']
  /** Its newest login. */
  readonly lastSeen: Scalars['DateTime']['output']
  readonly createdAt: Scalars['DateTime']['output']
  /** When its trust ends; null while it is not trusted. */
  readonly trustExpiresAt: Maybe<Scalars['DateTime']['output']>
  readonly userAgent: Maybe<Scalars['String']['output']>
  /** What recognizes it: the fingerprint the client reported, else derived from the user agent. Not a secret. */
  readonly deviceFingerprint: Scalars['String']['output']
  /** Whether this request's session came from it. */
  readonly current: Scalars['Boolean']['output']
  /** Its live sessions, newest first: a page of at most `limit` (1–100, default 100) after `offset`. */
  readonly sessions: ReadonlyArray<Session>
}

/** A device the caller signed in from (docs/devices.md): the client's DeviceItem. */
export type DeviceSessionsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>
  offset?: InputMaybe<Scalars['Int']['input']>
}

/** trustDevice's result: the device token is shown once and stored only as a hash. */
export type DeviceTrust = {
  readonly __typename?: 'DeviceTrust'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  readonly deviceId: Scalars['ID']['output']
  readonly trustExpiresAt: Scalars['DateTime']['output']
  /** Send it with login (deviceToken, or the X-Device-Token header) to skip the second factor on this device. */
  readonly deviceToken: Scalars['String']['output']
}

/** removeDevice's result. */
export type RemovedDevice = {
  readonly __typename?: 'RemovedDevice'
  readonly success: Scalars['Boolean']['output']
  readonly message: Scalars['String']['output']
  /** How many live sessions of the device were ended. */
  readonly endedSessions: Scalars['Int']['output']
}

export type DemoRequestInput = {
  /** The requester's address (trimmed, lower-cased). */
  readonly email: Scalars['String']['input']
  /** 1–100 characters. */
  readonly name: Scalars['String']['input']
  /** The client's user id, kept as reported (at most 100 characters); a signed-in caller is recorded from its token. */
  readonly userId?: InputMaybe<Scalars['String']['input']>
}

export type DemoRequestResult = {
  readonly __typename?: 'DemoRequestResult'
  readonly success: Scalars['Boolean']['output']
  /** Where to book a slot (DEMO_CALENDAR_URL); null when the server has none. */
  readonly calendarUrl: Maybe<Scalars['String']['output']>
}

/** The providers of OpenID Connect / OAuth 2.0 sign-in; each is on only when its AUTH_<PROVIDER>_CLIENT_ID and _SECRET are set. */
export type SignInProvider = 'GOOGLE' | 'GITHUB' | 'MICROSOFT'

/** A started provider sign-in: send the user to authorizationUrl; the provider redirects back with code and state. */
export type ProviderSignInStart = {
  readonly __typename?: 'ProviderSignInStart'
  readonly authorizationUrl: Scalars['String']['output']
  /** Also in authorizationUrl; completeProviderSignIn needs it back (single use, until expiresAt). */
  readonly state: Scalars['String']['output']
  /** Seconds since the epoch. */
  readonly expiresAt: Scalars['Float']['output']
  /** Whether completing it links the identity to the caller (the start carried the caller's access token). */
  readonly linking: Scalars['Boolean']['output']
}

/** The client's AuthState (OAuth2ResponseDTO.authState): the same session, in the public client's names. */
export type AuthState = {
  readonly __typename?: 'AuthState'
  readonly user: AuthStateUser
  /** The same as accessToken. */
  readonly token: Scalars['String']['output']
  readonly accessToken: Scalars['String']['output']
  /** Null while mfaRequired. */
  readonly refreshToken: Maybe<Scalars['String']['output']>
  readonly expiresAt: Scalars['Float']['output']
  /** GOOGLE, GITHUB, MICROSOFT or WEB3_STELLAR. */
  readonly provider: Scalars['String']['output']
}

export type AuthStateUser = {
  readonly __typename?: 'AuthStateUser'
  readonly email: Scalars['String']['output']
  readonly name: Scalars['String']['output']
  readonly imageUrl: Maybe<Scalars['String']['output']>
}

/**
 * A sign-in with a provider or a wallet: login's answer (a session, or a limited MFA token while mfaRequired),
 * what happened to the identity, and the client's authState.
 */
export type ProviderSignInPayload = {
  readonly __typename?: 'ProviderSignInPayload'
  readonly accessToken: Scalars['String']['output']
  readonly refreshToken: Maybe<Scalars['String']['output']>
  readonly tokenId: Maybe<Scalars['ID']['output']>
  readonly mfaRequired: Scalars['Boolean']['output']
  readonly expiresAt: Scalars['Float']['output']
  readonly user: AuthUser
  /** SIGNED_IN (a known identity), CREATED (a new account), LINKED (to the signed-in caller, or to the account of a provider-verified email). */
  readonly outcome: Scalars['String']['output']
  readonly authState: AuthState
}

/** A wallet sign-in challenge (SEP-53 message signing): sign message with the wallet's key, then call web3SignIn. */
export type Web3Challenge = {
  readonly __typename?: 'Web3Challenge'
  /** Single use; web3SignIn's nonce. */
  readonly nonce: Scalars['String']['output']
  /** The exact text to sign. */
  readonly message: Scalars['String']['output']
  /** Seconds since the epoch. */
  readonly expiresAt: Scalars['Float']['output']
}

export type ResolverTypeWrapper<T> = Promise<T> | T

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>
}
export type Resolver<
  TResult,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => Promise<TResult> | TResult

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo,
) => TResult | Promise<TResult>

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs> | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>

export type SubscriptionResolver<
  TResult,
  TKey extends string,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo,
) => Maybe<TTypes> | Promise<Maybe<TTypes>>

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  obj: T,
  context: TContext,
  info: GraphQLResolveInfo,
) => boolean | Promise<boolean>

export type NextResolverFn<T> = () => Promise<T>

export type DirectiveResolverFn<
  TResult = Record<PropertyKey, never>,
  TParent = Record<PropertyKey, never>,
  TContext = Record<PropertyKey, never>,
  TArgs = Record<PropertyKey, never>,
> = (next: NextResolverFn<TResult>, parent: TParent, args: TArgs, context: TContext, info: GraphQLResolveInfo) => TResult | Promise<TResult>

/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  DateTime: ResolverTypeWrapper<Partial<Scalars['DateTime']['output']>>
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>
  ID: ResolverTypeWrapper<Partial<Scalars['ID']['output']>>
  Int: ResolverTypeWrapper<Partial<Scalars['Int']['output']>>
  Profile: ResolverTypeWrapper<Partial<Profile>>
  String: ResolverTypeWrapper<Partial<Scalars['String']['output']>>
  Boolean: ResolverTypeWrapper<Partial<Scalars['Boolean']['output']>>
  MemberRole: ResolverTypeWrapper<Partial<MemberRole>>
  OrganizationUser: ResolverTypeWrapper<Partial<OrganizationUser>>
  SafeInt: ResolverTypeWrapper<Partial<Scalars['SafeInt']['output']>>
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>
  ActionResult: ResolverTypeWrapper<Partial<ActionResult>>
  UserUpdateInput: ResolverTypeWrapper<Partial<UserUpdateInput>>
  RoleChange: ResolverTypeWrapper<Partial<RoleChange>>
  OrganizationUserCreateInput: ResolverTypeWrapper<Partial<OrganizationUserCreateInput>>
  AuthMethod: ResolverTypeWrapper<Partial<AuthMethod>>
  OrganizationUserUpdateInput: ResolverTypeWrapper<Partial<OrganizationUserUpdateInput>>
  OrganizationUserList: ResolverTypeWrapper<Partial<OrganizationUserList>>
  Quota: ResolverTypeWrapper<Partial<Quota>>
  SubscriptionSummary: ResolverTypeWrapper<Partial<SubscriptionSummary>>
  QuotaUsage: ResolverTypeWrapper<Partial<QuotaUsage>>
  Capability: ResolverTypeWrapper<Partial<Capability>>
  PeriodType: ResolverTypeWrapper<Partial<PeriodType>>
  Usage: ResolverTypeWrapper<Partial<Usage>>
  JSONObject: ResolverTypeWrapper<Partial<Scalars['JSONObject']['output']>>
  RegisterInput: ResolverTypeWrapper<Partial<RegisterInput>>
  AuthPayload: ResolverTypeWrapper<Partial<AuthPayload>>
  Float: ResolverTypeWrapper<Partial<Scalars['Float']['output']>>
  AuthUser: ResolverTypeWrapper<Partial<AuthUser>>
  RefreshPayload: ResolverTypeWrapper<Partial<RefreshPayload>>
  Session: ResolverTypeWrapper<Partial<Session>>
  RevokedSessions: ResolverTypeWrapper<Partial<RevokedSessions>>
  SessionHeartbeat: ResolverTypeWrapper<Partial<SessionHeartbeat>>
  Organization: ResolverTypeWrapper<Partial<Organization>>
  OrganizationUpdateInput: ResolverTypeWrapper<Partial<OrganizationUpdateInput>>
  ActivationInput: ResolverTypeWrapper<Partial<ActivationInput>>
  PreVerifyEmailResult: ResolverTypeWrapper<Partial<PreVerifyEmailResult>>
  MfaType: ResolverTypeWrapper<Partial<MfaType>>
  MfaStatus: ResolverTypeWrapper<Partial<MfaStatus>>
  MfaSetup: ResolverTypeWrapper<Partial<MfaSetup>>
  MfaLoginPayload: ResolverTypeWrapper<Partial<MfaLoginPayload>>
  Passkey: ResolverTypeWrapper<Partial<Passkey>>
  Device: ResolverTypeWrapper<Partial<Device>>
  DeviceTrust: ResolverTypeWrapper<Partial<DeviceTrust>>
  RemovedDevice: ResolverTypeWrapper<Partial<RemovedDevice>>
  DemoRequestInput: ResolverTypeWrapper<Partial<DemoRequestInput>>
  DemoRequestResult: ResolverTypeWrapper<Partial<DemoRequestResult>>
  SignInProvider: ResolverTypeWrapper<Partial<SignInProvider>>
  ProviderSignInStart: ResolverTypeWrapper<Partial<ProviderSignInStart>>
  AuthState: ResolverTypeWrapper<Partial<AuthState>>
  AuthStateUser: ResolverTypeWrapper<Partial<AuthStateUser>>
  ProviderSignInPayload: ResolverTypeWrapper<Partial<ProviderSignInPayload>>
  Web3Challenge: ResolverTypeWrapper<Partial<Web3Challenge>>
}

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  DateTime: Partial<Scalars['DateTime']['output']>
  Query: Record<PropertyKey, never>
  ID: Partial<Scalars['ID']['output']>
  Int: Partial<Scalars['Int']['output']>
  Profile: Partial<Profile>
  String: Partial<Scalars['String']['output']>
  Boolean: Partial<Scalars['Boolean']['output']>
  MemberRole: Partial<MemberRole>
  OrganizationUser: Partial<OrganizationUser>
  SafeInt: Partial<Scalars['SafeInt']['output']>
  Mutation: Record<PropertyKey, never>
  ActionResult: Partial<ActionResult>
  UserUpdateInput: Partial<UserUpdateInput>
  RoleChange: Partial<RoleChange>
  OrganizationUserCreateInput: Partial<OrganizationUserCreateInput>
  OrganizationUserUpdateInput: Partial<OrganizationUserUpdateInput>
  OrganizationUserList: Partial<OrganizationUserList>
  Quota: Partial<Quota>
  SubscriptionSummary: Partial<SubscriptionSummary>
  QuotaUsage: Partial<QuotaUsage>
  Capability: Partial<Capability>
  Usage: Partial<Usage>
  JSONObject: Partial<Scalars['JSONObject']['output']>
  RegisterInput: Partial<RegisterInput>
  AuthPayload: Partial<AuthPayload>
  Float: Partial<Scalars['Float']['output']>
  AuthUser: Partial<AuthUser>
  RefreshPayload: Partial<RefreshPayload>
  Session: Partial<Session>
  RevokedSessions: Partial<RevokedSessions>
  SessionHeartbeat: Partial<SessionHeartbeat>
  Organization: Partial<Organization>
  OrganizationUpdateInput: Partial<OrganizationUpdateInput>
  ActivationInput: Partial<ActivationInput>
  PreVerifyEmailResult: Partial<PreVerifyEmailResult>
  MfaStatus: Partial<MfaStatus>
  MfaSetup: Partial<MfaSetup>
  MfaLoginPayload: Partial<MfaLoginPayload>
  Passkey: Partial<Passkey>
  Device: Partial<Device>
  DeviceTrust: Partial<DeviceTrust>
  RemovedDevice: Partial<RemovedDevice>
  DemoRequestInput: Partial<DemoRequestInput>
  DemoRequestResult: Partial<DemoRequestResult>
  ProviderSignInStart: Partial<ProviderSignInStart>
  AuthState: Partial<AuthState>
  AuthStateUser: Partial<AuthStateUser>
  ProviderSignInPayload: Partial<ProviderSignInPayload>
  Web3Challenge: Partial<Web3Challenge>
}

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime'
}

export type QueryResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query'],
> = {
  me?: Resolver<ResolversTypes['Profile'], ParentType, ContextType>
  user?: Resolver<ResolversTypes['MemberRole'], ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>
  organizationUser?: Resolver<ResolversTypes['OrganizationUser'], ParentType, ContextType, RequireFields<QueryOrganizationUserArgs, 'id'>>
  organizationUsers?: Resolver<ResolversTypes['OrganizationUserList'], ParentType, ContextType, Partial<QueryOrganizationUsersArgs>>
  quota?: Resolver<ResolversTypes['Quota'], ParentType, ContextType>
  sessions?: Resolver<ReadonlyArray<ResolversTypes['Session']>, ParentType, ContextType, Partial<QuerySessionsArgs>>
  organization?: Resolver<ResolversTypes['Organization'], ParentType, ContextType, Partial<QueryOrganizationArgs>>
  mfaStatus?: Resolver<ResolversTypes['MfaStatus'], ParentType, ContextType>
  mfaMethods?: Resolver<ReadonlyArray<ResolversTypes['MfaType']>, ParentType, ContextType>
  passkeys?: Resolver<ReadonlyArray<ResolversTypes['Passkey']>, ParentType, ContextType>
  devices?: Resolver<ReadonlyArray<ResolversTypes['Device']>, ParentType, ContextType, Partial<QueryDevicesArgs>>
  device?: Resolver<ResolversTypes['Device'], ParentType, ContextType, RequireFields<QueryDeviceArgs, 'id'>>
  userSettings?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>
  organizationSettings?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>
}

export type ProfileResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Profile'] = ResolversParentTypes['Profile'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  lastName?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  orgRole?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>
  orgRoleDescription?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  orgRoles?: Resolver<ReadonlyArray<ResolversTypes['Int']>, ParentType, ContextType>
  validated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  mfaRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  isBusiness?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
}

export type MemberRoleResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['MemberRole'] = ResolversParentTypes['MemberRole'],
> = {
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  orgRole?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>
  orgRoleDescription?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  orgRoles?: Resolver<ReadonlyArray<ResolversTypes['Int']>, ParentType, ContextType>
}

export type OrganizationUserResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['OrganizationUser'] = ResolversParentTypes['OrganizationUser'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  lastName?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  orgRole?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>
  validated?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  deletedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>
  orgRoleDescription?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  orgRoles?: Resolver<ReadonlyArray<ResolversTypes['Int']>, ParentType, ContextType>
}

export interface SafeIntScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['SafeInt'], any> {
  name: 'SafeInt'
}

export type MutationResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation'],
> = {
  updateUser?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationUpdateUserArgs, 'id' | 'input'>>
  updateUserRole?: Resolver<
    ResolversTypes['RoleChange'],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateUserRoleArgs, 'id' | 'orgRole'>
  >
  createOrganizationUser?: Resolver<
    ResolversTypes['OrganizationUser'],
    ParentType,
    ContextType,
    RequireFields<MutationCreateOrganizationUserArgs, 'input'>
  >
  updateOrganizationUser?: Resolver<
    ResolversTypes['OrganizationUser'],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateOrganizationUserArgs, 'id' | 'input'>
  >
  deleteOrganizationUser?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteOrganizationUserArgs, 'id'>
  >
  activateOrganizationUser?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationActivateOrganizationUserArgs, 'id'>
  >
  register?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationRegisterArgs, 'input'>>
  login?: Resolver<ResolversTypes['AuthPayload'], ParentType, ContextType, RequireFields<MutationLoginArgs, 'email' | 'password'>>
  refresh?: Resolver<ResolversTypes['RefreshPayload'], ParentType, ContextType, RequireFields<MutationRefreshArgs, 'refreshToken'>>
  logout?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationLogoutArgs, 'refreshToken'>>
  revokeSession?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationRevokeSessionArgs, 'tokenId'>>
  revokeOtherSessions?: Resolver<ResolversTypes['RevokedSessions'], ParentType, ContextType>
  sessionHeartbeat?: Resolver<
    ResolversTypes['SessionHeartbeat'],
    ParentType,
    ContextType,
    RequireFields<MutationSessionHeartbeatArgs, 'tokenId'>
  >
  updateOrganization?: Resolver<
    ResolversTypes['Organization'],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateOrganizationArgs, 'id' | 'input'>
  >
  requestPasswordReset?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationRequestPasswordResetArgs, 'email'>
  >
  resetPassword?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationResetPasswordArgs, 'token' | 'newPassword'>
  >
  verifyEmail?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationVerifyEmailArgs, 'token'>>
  preVerifyEmail?: Resolver<
    ResolversTypes['PreVerifyEmailResult'],
    ParentType,
    ContextType,
    RequireFields<MutationPreVerifyEmailArgs, 'token'>
  >
  resendVerification?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationResendVerificationArgs, 'id'>
  >
  resendInvitation?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationResendInvitationArgs, 'id'>>
  activateAccount?: Resolver<
    ResolversTypes['AuthPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationActivateAccountArgs, 'uid' | 'token' | 'registrationInfo'>
  >
  deactivateAccount?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType>
  setupMfa?: Resolver<ResolversTypes['MfaSetup'], ParentType, ContextType, RequireFields<MutationSetupMfaArgs, 'mfaType'>>
  verifyMfaSetup?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationVerifyMfaSetupArgs, 'mfaType' | 'code'>
  >
  enableMfa?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationEnableMfaArgs, 'mfaType'>>
  disableMfa?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationDisableMfaArgs, 'mfaType'>>
  verifyMfaLogin?: Resolver<
    ResolversTypes['MfaLoginPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationVerifyMfaLoginArgs, 'mfaType'>
  >
  passkeyRegistrationOptions?: Resolver<
    ResolversTypes['JSONObject'],
    ParentType,
    ContextType,
    Partial<MutationPasskeyRegistrationOptionsArgs>
  >
  completePasskeyRegistration?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationCompletePasskeyRegistrationArgs, 'credential'>
  >
  passkeyAuthOptions?: Resolver<ResolversTypes['JSONObject'], ParentType, ContextType>
  removePasskey?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationRemovePasskeyArgs, 'id'>>
  sendMfaMagicLink?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType>
  activateMfaMagicLink?: Resolver<
    ResolversTypes['MfaLoginPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationActivateMfaMagicLinkArgs, 'token'>
  >
  enforceOrganizationMfa?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationEnforceOrganizationMfaArgs, 'enforced'>
  >
  setPrimaryMfa?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationSetPrimaryMfaArgs, 'mfaType'>>
  resetMfa?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, Partial<MutationResetMfaArgs>>
  trustDevice?: Resolver<ResolversTypes['DeviceTrust'], ParentType, ContextType, RequireFields<MutationTrustDeviceArgs, 'fingerprint'>>
  untrustDevice?: Resolver<ResolversTypes['ActionResult'], ParentType, ContextType, RequireFields<MutationUntrustDeviceArgs, 'id'>>
  removeDevice?: Resolver<ResolversTypes['RemovedDevice'], ParentType, ContextType, RequireFields<MutationRemoveDeviceArgs, 'id'>>
  replaceUserSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationReplaceUserSettingsArgs, 'settings'>
  >
  updateUserSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateUserSettingsArgs, 'settings'>
  >
  deleteUserSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteUserSettingsArgs, 'keys'>
  >
  replaceOrganizationSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationReplaceOrganizationSettingsArgs, 'settings'>
  >
  updateOrganizationSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationUpdateOrganizationSettingsArgs, 'settings'>
  >
  deleteOrganizationSettings?: Resolver<
    ResolversTypes['ActionResult'],
    ParentType,
    ContextType,
    RequireFields<MutationDeleteOrganizationSettingsArgs, 'keys'>
  >
  requestDemo?: Resolver<ResolversTypes['DemoRequestResult'], ParentType, ContextType, RequireFields<MutationRequestDemoArgs, 'input'>>
  beginProviderSignIn?: Resolver<
    ResolversTypes['ProviderSignInStart'],
    ParentType,
    ContextType,
    RequireFields<MutationBeginProviderSignInArgs, 'provider'>
  >
  completeProviderSignIn?: Resolver<
    ResolversTypes['ProviderSignInPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationCompleteProviderSignInArgs, 'provider' | 'code' | 'state'>
  >
  signInWithIdToken?: Resolver<
    ResolversTypes['ProviderSignInPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationSignInWithIdTokenArgs, 'provider' | 'idToken'>
  >
  refreshProviderSession?: Resolver<
    ResolversTypes['RefreshPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationRefreshProviderSessionArgs, 'provider' | 'refreshToken'>
  >
  web3Challenge?: Resolver<ResolversTypes['Web3Challenge'], ParentType, ContextType, RequireFields<MutationWeb3ChallengeArgs, 'address'>>
  web3SignIn?: Resolver<
    ResolversTypes['ProviderSignInPayload'],
    ParentType,
    ContextType,
    RequireFields<MutationWeb3SignInArgs, 'address' | 'network' | 'signature' | 'nonce'>
  >
}

export type ActionResultResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['ActionResult'] = ResolversParentTypes['ActionResult'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
}

export type RoleChangeResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['RoleChange'] = ResolversParentTypes['RoleChange'],
> = {
  userId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  previousRole?: Resolver<ResolversTypes['Int'], ParentType, ContextType>
  newRole?: Resolver<ResolversTypes['Int'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
}

export type OrganizationUserListResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['OrganizationUserList'] = ResolversParentTypes['OrganizationUserList'],
> = {
  data?: Resolver<ReadonlyArray<ResolversTypes['OrganizationUser']>, ParentType, ContextType>
  total?: Resolver<ResolversTypes['Int'], ParentType, ContextType>
}

export type QuotaResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Quota'] = ResolversParentTypes['Quota'],
> = {
  subscription?: Resolver<ResolversTypes['SubscriptionSummary'], ParentType, ContextType>
  quotaUsage?: Resolver<ReadonlyArray<ResolversTypes['QuotaUsage']>, ParentType, ContextType>
}

export type SubscriptionSummaryResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['SubscriptionSummary'] = ResolversParentTypes['SubscriptionSummary'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>
}

export type QuotaUsageResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['QuotaUsage'] = ResolversParentTypes['QuotaUsage'],
> = {
  capability?: Resolver<ResolversTypes['Capability'], ParentType, ContextType>
  usage?: Resolver<ResolversTypes['Usage'], ParentType, ContextType>
}

export type CapabilityResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Capability'] = ResolversParentTypes['Capability'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  code?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  description?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  type?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  periodType?: Resolver<ResolversTypes['PeriodType'], ParentType, ContextType>
}

export type UsageResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Usage'] = ResolversParentTypes['Usage'],
> = {
  current?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>
  max?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>
  percentage?: Resolver<ResolversTypes['SafeInt'], ParentType, ContextType>
}

export interface JsonObjectScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['JSONObject'], any> {
  name: 'JSONObject'
}

export type AuthPayloadResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['AuthPayload'] = ResolversParentTypes['AuthPayload'],
> = {
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  refreshToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  tokenId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  mfaRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  verificationTokenId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
  user?: Resolver<ResolversTypes['AuthUser'], ParentType, ContextType>
}

export type AuthUserResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['AuthUser'] = ResolversParentTypes['AuthUser'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  orgId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  orgRole?: Resolver<Maybe<ResolversTypes['Int']>, ParentType, ContextType>
  image_url?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
}

export type RefreshPayloadResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['RefreshPayload'] = ResolversParentTypes['RefreshPayload'],
> = {
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
}

export type SessionResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Session'] = ResolversParentTypes['Session'],
> = {
  tokenId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  lastUsedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  ipAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  userAgent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  deviceInfo?: Resolver<Maybe<ResolversTypes['JSONObject']>, ParentType, ContextType>
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  startedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  lastActivity?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  loginMethod?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  location?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
}

export type RevokedSessionsResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['RevokedSessions'] = ResolversParentTypes['RevokedSessions'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  revoked?: Resolver<ResolversTypes['Int'], ParentType, ContextType>
}

export type SessionHeartbeatResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['SessionHeartbeat'] = ResolversParentTypes['SessionHeartbeat'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  newExpiry?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
}

export type OrganizationResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Organization'] = ResolversParentTypes['Organization'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  domain?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  address1?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  address2?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  zipcode?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  phone?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  state?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  deletedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>
  reposDisabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  website?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  is_business?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  mfaEnforced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
}

export type PreVerifyEmailResultResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['PreVerifyEmailResult'] = ResolversParentTypes['PreVerifyEmailResult'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  authMethod?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  hasPassword?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
}

export type MfaStatusResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['MfaStatus'] = ResolversParentTypes['MfaStatus'],
> = {
  isEnabled?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  isRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  isEnforced?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  enabledMethods?: Resolver<ReadonlyArray<ResolversTypes['MfaType']>, ParentType, ContextType>
  primaryMethod?: Resolver<Maybe<ResolversTypes['MfaType']>, ParentType, ContextType>
  sessionVerified?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
}

export type MfaSetupResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['MfaSetup'] = ResolversParentTypes['MfaSetup'],
> = {
  secret?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  otpauthUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  qrCode?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  backupCodes?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>
}

export type MfaLoginPayloadResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['MfaLoginPayload'] = ResolversParentTypes['MfaLoginPayload'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  fullAccessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  refreshToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  tokenId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
}

export type PasskeyResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Passkey'] = ResolversParentTypes['Passkey'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  transports?: Resolver<ReadonlyArray<ResolversTypes['String']>, ParentType, ContextType>
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  lastUsedAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>
}

export type DeviceResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Device'] = ResolversParentTypes['Device'],
> = {
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  deviceName?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  deviceType?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  os?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  browser?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  ipAddress?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  country?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  city?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  isTrusted?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  trustLevel?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  lastSeen?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  trustExpiresAt?: Resolver<Maybe<ResolversTypes['DateTime']>, ParentType, ContextType>
  userAgent?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  deviceFingerprint?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  current?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  sessions?: Resolver<ReadonlyArray<ResolversTypes['Session']>, ParentType, ContextType, Partial<DeviceSessionsArgs>>
}

export type DeviceTrustResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['DeviceTrust'] = ResolversParentTypes['DeviceTrust'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  deviceId?: Resolver<ResolversTypes['ID'], ParentType, ContextType>
  trustExpiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>
  deviceToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
}

export type RemovedDeviceResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['RemovedDevice'] = ResolversParentTypes['RemovedDevice'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  endedSessions?: Resolver<ResolversTypes['Int'], ParentType, ContextType>
}

export type DemoRequestResultResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['DemoRequestResult'] = ResolversParentTypes['DemoRequestResult'],
> = {
  success?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  calendarUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
}

export type ProviderSignInStartResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['ProviderSignInStart'] = ResolversParentTypes['ProviderSignInStart'],
> = {
  authorizationUrl?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  state?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
  linking?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
}

export type AuthStateResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['AuthState'] = ResolversParentTypes['AuthState'],
> = {
  user?: Resolver<ResolversTypes['AuthStateUser'], ParentType, ContextType>
  token?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  refreshToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
  provider?: Resolver<ResolversTypes['String'], ParentType, ContextType>
}

export type AuthStateUserResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['AuthStateUser'] = ResolversParentTypes['AuthStateUser'],
> = {
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  imageUrl?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
}

export type ProviderSignInPayloadResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['ProviderSignInPayload'] = ResolversParentTypes['ProviderSignInPayload'],
> = {
  accessToken?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  refreshToken?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>
  tokenId?: Resolver<Maybe<ResolversTypes['ID']>, ParentType, ContextType>
  mfaRequired?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
  user?: Resolver<ResolversTypes['AuthUser'], ParentType, ContextType>
  outcome?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  authState?: Resolver<ResolversTypes['AuthState'], ParentType, ContextType>
}

export type Web3ChallengeResolvers<
  ContextType = GatewayContext,
  ParentType extends ResolversParentTypes['Web3Challenge'] = ResolversParentTypes['Web3Challenge'],
> = {
  nonce?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  message?: Resolver<ResolversTypes['String'], ParentType, ContextType>
  expiresAt?: Resolver<ResolversTypes['Float'], ParentType, ContextType>
}

export type Resolvers<ContextType = GatewayContext> = {
  DateTime?: GraphQLScalarType
  Query?: QueryResolvers<ContextType>
  Profile?: ProfileResolvers<ContextType>
  MemberRole?: MemberRoleResolvers<ContextType>
  OrganizationUser?: OrganizationUserResolvers<ContextType>
  SafeInt?: GraphQLScalarType
  Mutation?: MutationResolvers<ContextType>
  ActionResult?: ActionResultResolvers<ContextType>
  RoleChange?: RoleChangeResolvers<ContextType>
  OrganizationUserList?: OrganizationUserListResolvers<ContextType>
  Quota?: QuotaResolvers<ContextType>
  SubscriptionSummary?: SubscriptionSummaryResolvers<ContextType>
  QuotaUsage?: QuotaUsageResolvers<ContextType>
  Capability?: CapabilityResolvers<ContextType>
  Usage?: UsageResolvers<ContextType>
  JSONObject?: GraphQLScalarType
  AuthPayload?: AuthPayloadResolvers<ContextType>
  AuthUser?: AuthUserResolvers<ContextType>
  RefreshPayload?: RefreshPayloadResolvers<ContextType>
  Session?: SessionResolvers<ContextType>
  RevokedSessions?: RevokedSessionsResolvers<ContextType>
  SessionHeartbeat?: SessionHeartbeatResolvers<ContextType>
  Organization?: OrganizationResolvers<ContextType>
  PreVerifyEmailResult?: PreVerifyEmailResultResolvers<ContextType>
  MfaStatus?: MfaStatusResolvers<ContextType>
  MfaSetup?: MfaSetupResolvers<ContextType>
  MfaLoginPayload?: MfaLoginPayloadResolvers<ContextType>
  Passkey?: PasskeyResolvers<ContextType>
  Device?: DeviceResolvers<ContextType>
  DeviceTrust?: DeviceTrustResolvers<ContextType>
  RemovedDevice?: RemovedDeviceResolvers<ContextType>
  DemoRequestResult?: DemoRequestResultResolvers<ContextType>
  ProviderSignInStart?: ProviderSignInStartResolvers<ContextType>
  AuthState?: AuthStateResolvers<ContextType>
  AuthStateUser?: AuthStateUserResolvers<ContextType>
  ProviderSignInPayload?: ProviderSignInPayloadResolvers<ContextType>
  Web3Challenge?: Web3ChallengeResolvers<ContextType>
}
