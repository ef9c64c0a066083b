// GET /devices, GET /devices/{id}, POST /devices/trust, POST /devices/{id}/untrust, DELETE /devices/{id}.
import type { CompatRoute } from './compat.js'
import { omitNulls } from './envelope.js'
import { errorEnvelope, messageEnvelope, messageEnvelopeWith, named, nullable, responses, uuid } from './schemas.js'
import { CLIENT_SESSION_FIELDS, sessionPageQuery, sessionPageVariables } from './sessions.js'

const TAGS = ['Devices']

const DEVICE_FIELDS =
  'id deviceName deviceType os browser ipAddress country city isTrusted trustLevel lastSeen createdAt trustExpiresAt userAgent deviceFingerprint current'
/** The client's DeviceItem declares these optional: left out rather than null. */
const OPTIONAL_DEVICE_FIELDS = ['ipAddress', 'country', 'city', 'trustExpiresAt', 'userAgent']
const OPTIONAL_SESSION_FIELDS = ['ipAddress', 'location']

const deviceProperties = {
  id: uuid,
  deviceName: { type: 'string', description: 'deviceInfo.deviceName at login, else "<browser> on <os>"' },
  deviceType: { type: 'string', description: 'DESKTOP, MOBILE, TABLET or UNKNOWN' },
  os: { type: 'string' },
  browser: { type: 'string' },
  isTrusted: { type: 'boolean', description: 'Trusted and not expired: a login with its device token skips the MFA code' },
  trustLevel: { type: 'string', enum: ['TRUSTED', 'KNOWN'] },
  lastSeen: { type: 'string', format: 'date-time', description: 'Its newest login' },
  createdAt: { type: 'string', format: 'date-time' },
  deviceFingerprint: { type: 'string', description: 'What recognizes it (POST /devices/trust takes it); not a secret' },
  current: { type: 'boolean', description: "Whether this request's session came from it" },
  // Optional, so last: the serializer writes the required fields first.
  ipAddress: { type: 'string', description: 'The address of its newest login' },
  country: { type: 'string', description: 'Never sent: the gateway does not locate addresses' },
  city: { type: 'string', description: 'Never sent: the gateway does not locate addresses' },
  trustExpiresAt: { type: 'string', format: 'date-time', description: 'Left out while not trusted' },
  userAgent: { type: 'string' },
}
const deviceRequired = [
  'id',
  'deviceName',
  'deviceType',
  'os',
  'browser',
  'isTrusted',
  'trustLevel',
  'lastSeen',
  'createdAt',
  'deviceFingerprint',
  'current',
]

const deviceItem = named('Device', { type: 'object', properties: deviceProperties, required: deviceRequired })

const deviceSession = named('DeviceSession', {
  type: 'object',
  properties: {
    id: uuid,
    startedAt: { type: 'string', format: 'date-time' },
    lastActivity: { type: 'string', format: 'date-time' },
    expiresAt: { type: 'string', format: 'date-time' },
    loginMethod: { type: 'string' },
    userAgent: nullable('string'),
    current: { type: 'boolean' },
    ipAddress: { type: 'string' },
    location: { type: 'string' },
  },
  required: ['id', 'startedAt', 'lastActivity', 'expiresAt', 'loginMethod', 'userAgent', 'current'],
})

const deviceDetails = named('DeviceDetails', {
  type: 'object',
  properties: {
    ...deviceProperties,
    sessions: { type: 'array', items: deviceSession, description: 'Its live sessions, newest first (at most 100)' },
  },
  required: [...deviceRequired, 'sessions'],
})

const deviceIdParam = {
  type: 'object',
  properties: { id: { type: 'string', description: 'The device id (a UUID)' } },
  required: ['id'],
} as const
const byDeviceId = (request: { params: unknown }) => ({ id: (request.params as { id: string }).id })

const NOT_FOUND_EXAMPLE = { 404: { success: false, message: 'Device not found' } }

type DeviceData = Record<string, unknown> & { sessions?: Record<string, unknown>[] }
const deviceBody = (device: DeviceData) => {
  const item = omitNulls(device, OPTIONAL_DEVICE_FIELDS)
  return device.sessions ? { ...item, sessions: device.sessions.map((s) => omitNulls(s, OPTIONAL_SESSION_FIELDS)) } : item
}

export const deviceRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/devices',
    tags: TAGS,
    summary: 'List Devices',
    description: "The caller's devices, most recently seen first. At most 100 per page (`limit`, `offset`).",
    authenticated: true,
    operation: `query RestDevices($limit: Int, $offset: Int) { devices(limit: $limit, offset: $offset) { ${DEVICE_FIELDS} } }`,
    variables: sessionPageVariables,
    querystring: sessionPageQuery,
    success: (data: { devices: DeviceData[] }) => ({ status: 200, body: { success: true, devices: data.devices.map(deviceBody) } }),
    response: responses(
      {
        200: named('DeviceList', {
          type: 'object',
          properties: { success: { type: 'boolean', const: true }, devices: { type: 'array', items: deviceItem } },
          required: ['success', 'devices'],
        }),
      },
      [400, 401, 500],
    ),
  },
  {
    method: 'GET',
    url: '/devices/:id',
    tags: TAGS,
    summary: 'Device Details',
    description: "One of the caller's devices with its live sessions. 404 for another user's device.",
    authenticated: true,
    operation: `query RestDevice($id: ID!) { device(id: $id) { ${DEVICE_FIELDS} sessions { ${CLIENT_SESSION_FIELDS} } } }`,
    variables: byDeviceId,
    params: deviceIdParam,
    success: (data: { device: DeviceData }) => ({ status: 200, body: { success: true, device: deviceBody(data.device) } }),
    response: responses(
      {
        200: named('DeviceDetailsResponse', {
          type: 'object',
          properties: { success: { type: 'boolean', const: true }, device: deviceDetails },
          required: ['success', 'device'],
        }),
      },
      [401, 404, 500],
      errorEnvelope,
      NOT_FOUND_EXAMPLE,
    ),
  },
  {
    method: 'POST',
    url: '/devices/trust',
    tags: TAGS,
    summary: 'Trust Device',
    description:
      "Trusts the device with this fingerprint (one of the caller's, see GET /devices) for TRUSTED_DEVICE_DAYS and answers its " +
      'device token, shown once: a login that sends it (deviceToken, or X-Device-Token) skips the MFA code. Needs a sign-in ' +
      'within RECENT_AUTH_SECONDS or currentPassword (403 REAUTHENTICATION_REQUIRED); 400 TRUSTED_DEVICES_DISABLED when trusting is off.',
    authenticated: true,
    operation: `mutation RestTrustDevice($fingerprint: String!, $currentPassword: String) {
      trustDevice(fingerprint: $fingerprint, currentPassword: $currentPassword) { success message trustExpiresAt deviceId deviceToken } }`,
    variables: (request) => {
      const { fingerprint, currentPassword } = (request.body ?? {}) as Record<string, unknown>
      return { fingerprint, currentPassword }
    },
    body: {
      type: 'object',
      properties: {
        fingerprint: { type: 'string', description: "The deviceFingerprint of one of the caller's devices" },
        currentPassword: { type: 'string', description: 'When the sign-in is older than RECENT_AUTH_SECONDS' },
      },
      required: ['fingerprint'],
    },
    success: (data) => ({ status: 200, body: data.trustDevice }),
    response: responses(
      {
        200: named(
          'TrustDeviceResponse',
          messageEnvelopeWith({
            trustExpiresAt: { type: 'string', format: 'date-time' },
            deviceId: uuid,
            deviceToken: { type: 'string', description: 'Shown once; stored only as a hash' },
          }),
        ),
      },
      [400, 401, 403, 404, 429, 500],
      errorEnvelope,
      NOT_FOUND_EXAMPLE,
    ),
  },
  {
    method: 'POST',
    url: '/devices/:id/untrust',
    tags: TAGS,
    summary: 'Untrust Device',
    description: "Takes the trust away from one of the caller's devices: its device token stops working.",
    authenticated: true,
    operation: 'mutation RestUntrustDevice($id: ID!) { untrustDevice(id: $id) { success message } }',
    variables: byDeviceId,
    params: deviceIdParam,
    success: (data) => ({ status: 200, body: data.untrustDevice }),
    response: responses({ 200: messageEnvelope }, [401, 404, 500], errorEnvelope, NOT_FOUND_EXAMPLE),
  },
  {
    method: 'DELETE',
    url: '/devices/:id',
    tags: TAGS,
    summary: 'Remove Device',
    description: "Forgets one of the caller's devices and ends its live sessions (the current one too, when it is this device).",
    authenticated: true,
    operation: 'mutation RestRemoveDevice($id: ID!) { removeDevice(id: $id) { success message endedSessions } }',
    variables: byDeviceId,
    params: deviceIdParam,
    success: (data) => ({ status: 200, body: data.removeDevice }),
    response: responses(
      {
        200: named(
          'RemoveDeviceResponse',
          messageEnvelopeWith({ endedSessions: { type: 'integer', description: 'How many live sessions were ended' } }),
        ),
      },
      [401, 404, 500],
      errorEnvelope,
      NOT_FOUND_EXAMPLE,
    ),
  },
]
