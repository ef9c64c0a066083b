// POST /user/request-reset-password, /user/reset-password, /user/verify-email, /user/pre-verify-email,
// /user/resend-verification/{id}, /user/activate, /user/deactivate, /organization/users/{userId}/resend-invitation.
import type { CompatRoute } from './compat.js'
import { messageEnvelope, named, nullable, responses, uuid, uuidParam, byUserId, messageEnvelopeWith, authUser } from './schemas.js'

const TAGS = ['User Account']
const body = (properties: Record<string, object>, required: string[]) => ({ type: 'object', properties, required })
const message = (field: string) => (data: Record<string, { success: boolean; message: string }>) => ({
  status: 200,
  body: { success: true, message: data[field]!.message },
})

const activationPayload = named('ActivationResponse', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: true },
    accessToken: { type: 'string' },
    refreshToken: { type: 'string' },
    tokenId: uuid,
    expiresAt: { type: 'integer' },
    user: authUser,
  },
  required: ['success', 'accessToken', 'refreshToken', 'tokenId', 'expiresAt', 'user'],
})

export const accountMailRoutes: CompatRoute[] = [
  {
    method: 'POST',
    url: '/user/request-reset-password',
    tags: TAGS,
    summary: 'Request Password Reset',
    description:
      'Mails a single-use link (valid 1 hour) to reset the password when an active account has this email. The answer is the same whether or not it has one.',
    authenticated: false,
    operation: 'mutation RestRequestPasswordReset($email: String!) { requestPasswordReset(email: $email) { success message } }',
    variables: (request) => ({ email: (request.body as { email: string }).email }),
    body: body({ email: { type: 'string' } }, ['email']),
    invalidRequestCode: 'INVALID_REQUEST',
    success: message('requestPasswordReset'),
    response: responses({ 200: messageEnvelope }, [400, 429, 500]),
  },
  {
    method: 'POST',
    url: '/user/reset-password',
    tags: TAGS,
    summary: 'Reset Password',
    description:
      'Sets a new password with the mailed token and ends every session of the user. 400 INVALID_TOKEN for an unknown, expired or spent token; WEAK_PASSWORD.',
    authenticated: false,
    operation:
      'mutation RestResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) { success message } }',
    variables: (request) => {
      const { token, newPassword } = request.body as Record<string, unknown>
      return { token, newPassword }
    },
    body: body({ token: { type: 'string' }, newPassword: { type: 'string', description: 'The register rules apply' } }, [
      'token',
      'newPassword',
    ]),
    invalidRequestCode: 'INVALID_REQUEST',
    success: message('resetPassword'),
    response: responses({ 200: messageEnvelope }, [400, 429, 500]),
  },
  {
    method: 'POST',
    url: '/user/verify-email',
    tags: TAGS,
    summary: 'Verify Email',
    description:
      'Marks the address verified (validated becomes true) with the mailed token. password sets one for an account without any; it is ignored otherwise.',
    authenticated: false,
    operation:
      'mutation RestVerifyEmail($token: String!, $password: String) { verifyEmail(token: $token, password: $password) { success message } }',
    variables: (request) => {
      const { token, password } = request.body as Record<string, unknown>
      return { token, password }
    },
    body: body({ token: { type: 'string' }, password: nullable('string') }, ['token']),
    invalidRequestCode: 'INVALID_REQUEST',
    success: message('verifyEmail'),
    response: responses({ 200: messageEnvelope }, [400, 429, 500]),
  },
  {
    method: 'POST',
    url: '/user/pre-verify-email',
    tags: TAGS,
    summary: 'Pre-verify Email',
    description: 'Whether a verification token is still good, without spending it, and whether its account has a password.',
    authenticated: false,
    operation: 'mutation RestPreVerifyEmail($token: String!) { preVerifyEmail(token: $token) { success message authMethod hasPassword } }',
    variables: (request) => ({ token: (request.body as { token: string }).token }),
    body: body({ token: { type: 'string' } }, ['token']),
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: data.preVerifyEmail }),
    response: responses(
      {
        200: messageEnvelopeWith({
          authMethod: { type: 'string', description: 'LOCAL: email and password' },
          hasPassword: { type: 'boolean' },
        }),
      },
      [400, 429, 500],
    ),
  },
  {
    method: 'POST',
    url: '/user/resend-verification/:id',
    tags: TAGS,
    summary: 'Resend Verification Email',
    description:
      "Mails a new verification link (the earlier one stops working). id: the verificationTokenId that register answered, or the caller's own user id with a Bearer token.",
    authenticated: false,
    operation: 'mutation RestResendVerification($id: ID!) { resendVerification(id: $id) { success message } }',
    variables: (request) => ({ id: (request.params as { id: string }).id }),
    params: {
      type: 'object',
      properties: { id: { type: 'string', description: 'verificationTokenId, or the own user id' } },
      required: ['id'],
    },
    success: message('resendVerification'),
    response: responses({ 200: messageEnvelope }, [400, 404, 429, 500]),
  },
  {
    method: 'POST',
    url: '/organization/users/:userId/resend-invitation',
    tags: ['Organization users'],
    summary: 'Resend Invitation',
    description:
      'Mails a new invitation (the earlier one stops working) to a member who has not accepted one yet: WORKSPACES or higher, a member the caller outranks, from a verified address (403 SENDER_NOT_VERIFIED). Invitation mails are limited per recipient, sender and organization (429 TOO_MANY_ATTEMPTS).',
    authenticated: true,
    operation: 'mutation RestResendInvitation($id: ID!) { resendInvitation(id: $id) { success message } }',
    variables: byUserId,
    params: uuidParam,
    success: message('resendInvitation'),
    response: responses({ 200: messageEnvelope }, [400, 401, 403, 404, 429, 500, 503]),
  },
  {
    method: 'POST',
    url: '/user/activate',
    tags: TAGS,
    summary: 'Activate User',
    description:
      'Accepts an invitation: the invited user (uid) chooses a password with the mailed token, is verified and logged in. Only password, firstName and lastName of registrationInfo are used.',
    authenticated: false,
    operation: `mutation RestActivate($uid: ID!, $token: String!, $registrationInfo: ActivationInput!) {
      activateAccount(uid: $uid, token: $token, registrationInfo: $registrationInfo) { accessToken refreshToken tokenId expiresAt user { id email name orgId orgRole } } }`,
    variables: (request) => {
      const { uid, token, registrationInfo } = request.body as { uid: string; token: string; registrationInfo: Record<string, unknown> }
      const { password, firstName, lastName } = registrationInfo
      return { uid, token, registrationInfo: { password, firstName, lastName } }
    },
    body: body(
      {
        uid: { type: 'string', description: "The invited user's id (from the invitation link)" },
        token: { type: 'string' },
        registrationInfo: body({ password: { type: 'string' }, firstName: { type: 'string' }, lastName: { type: 'string' } }, ['password']),
      },
      ['uid', 'token', 'registrationInfo'],
    ),
    invalidRequestCode: 'INVALID_REQUEST',
    success: (data) => ({ status: 200, body: { success: true, ...data.activateAccount } }),
    response: responses({ 200: activationPayload }, [400, 429, 500]),
  },
  {
    method: 'POST',
    url: '/user/deactivate',
    tags: TAGS,
    summary: 'Deactivate Account',
    description: "Deactivates the caller's own account (a soft delete) and ends every session. The organization's last owner is refused.",
    authenticated: true,
    operation: 'mutation RestDeactivate { deactivateAccount { success message } }',
    success: message('deactivateAccount'),
    response: responses({ 200: messageEnvelope }, [400, 401, 500]),
  },
]
