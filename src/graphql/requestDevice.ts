// The device of a login that sends no deviceInfo (an MFA login's second step, an invitation's activation):
// what its headers say (docs/devices.md).
import type { FastifyRequest } from 'fastify'
import { describeDevice, type DeviceDescriptor } from '../domain/devices.js'
import { userAgentOf } from '../domain/fields.js'

export function deviceOfHeaders(request: FastifyRequest): DeviceDescriptor {
  return describeDevice(null, userAgentOf(request.headers['user-agent']), request.ip, request.headers['x-device-fingerprint'])
}
