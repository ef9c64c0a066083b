// GET /organization/{orgId}, PUT /organization/{orgId}: the organization's details.
import type { CompatRoute } from './compat.js'
import type { ErrorBody, RestError } from './envelope.js'
import { exampleOf, named, nullable, responses, uuid } from './schemas.js'
import { MAX_COMPANY_NAME_LENGTH } from '../domain/fields.js'
import { ORGANIZATION_TEXT_FIELDS } from '../domain/organization.js'

const TAGS = ['Organization']

export const ORGANIZATION_FIELDS =
  'id name domain address1 address2 city zipcode phone state country deletedAt reposDisabled website is_business mfaEnforced'

const text = (description?: string) => ({ ...nullable('string'), ...(description && { description }) })

export const organization = named('Organization', {
  type: 'object',
  properties: {
    id: uuid,
    name: { type: 'string' },
    domain: { type: 'string', description: 'The host name of website; "" without one' },
    address1: text(),
    address2: text(),
    city: text(),
    zipcode: text(),
    phone: text(),
    state: text(),
    country: text(),
    deletedAt: { type: ['string', 'null'], format: 'date-time' },
    reposDisabled: { type: 'boolean' },
    website: text(),
    is_business: { type: 'boolean' },
    mfaEnforced: { type: 'boolean' },
  },
  required: [
    'id',
    'name',
    'domain',
    'address1',
    'address2',
    'city',
    'zipcode',
    'phone',
    'state',
    'country',
    'deletedAt',
    'reposDisabled',
    'website',
    'is_business',
    'mfaEnforced',
  ],
  examples: [
    {
      id: '0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b',
      name: 'Demo Org',
      domain: 'demo.test',
      address1: '1 Main Street',
      address2: null,
      city: 'Springfield',
      zipcode: '12345',
      phone: '+1 555 0100',
      state: null,
      country: 'US',
      deletedAt: null,
      reposDisabled: false,
      website: 'https://demo.test',
      is_business: true,
      mfaEnforced: false,
    },
  ],
})

/** The client's envelope: `data` is null on every error but the contract's 401. */
const withNullData = (error: RestError, standard: ErrorBody): ErrorBody => (error.status === 401 ? standard : { ...standard, data: null })

const errorWithNullData = named('OrganizationError', {
  type: 'object',
  properties: {
    success: { type: 'boolean', const: false },
    data: { type: 'null' },
    error_code: { type: 'string' },
    message: { type: 'string' },
    error: { type: 'string', description: 'With 500: a fixed phrase for what failed' },
  },
  required: ['success'],
})

const orgIdParam = {
  type: 'object',
  properties: { orgId: { type: 'string', description: "The organization's id (a UUID): the caller's own" } },
  required: ['orgId'],
} as const

const byOrgId = (request: { params: unknown }) => ({ id: (request.params as { orgId: string }).orgId })

const envelope = (withMessage: boolean) =>
  named(withMessage ? 'OrganizationUpdateResponse' : 'OrganizationResponse', {
    type: 'object',
    properties: { success: { type: 'boolean', const: true }, data: organization, ...(withMessage && { message: { type: 'string' } }) },
    required: ['success', 'data', ...(withMessage ? ['message'] : [])],
    examples: [{ success: true, data: exampleOf(organization), ...(withMessage && { message: 'Organization updated successfully' }) }],
  })

const optionalText = (maxLength: number) => ({ type: 'string', maxLength })

export const organizationRoutes: CompatRoute[] = [
  {
    method: 'GET',
    url: '/organization/:orgId',
    tags: TAGS,
    summary: 'Get Organization',
    description: "The caller's organization's details; any member reads them. Any other organization's id is 403.",
    authenticated: true,
    operation: `query RestOrganization($id: ID) { organization(id: $id) { ${ORGANIZATION_FIELDS} } }`,
    variables: byOrgId,
    params: orgIdParam,
    success: (data) => ({ status: 200, body: { success: true, data: data.organization } }),
    errorBody: withNullData,
    response: responses({ 200: envelope(false) }, [401, 403, 404, 500], errorWithNullData, {
      403: { success: false, data: null, message: 'Insufficient permissions to view organization' },
      404: { success: false, data: null, message: 'Organization not found' },
    }),
  },
  {
    method: 'PUT',
    url: '/organization/:orgId',
    tags: TAGS,
    summary: 'Update Organization',
    description:
      "Changes the caller's organization's details (ADMINISTRATORS or OWNER; mfaEnforced: OWNER only). An empty text clears an optional field.",
    authenticated: true,
    operation: `mutation RestUpdateOrganization($id: ID!, $input: OrganizationUpdateInput!) {
      updateOrganization(id: $id, input: $input) { ${ORGANIZATION_FIELDS} } }`,
    variables: (request) => ({ ...byOrgId(request), input: request.body ?? {} }),
    params: orgIdParam,
    body: {
      type: 'object',
      properties: {
        name: { type: 'string', maxLength: MAX_COMPANY_NAME_LENGTH },
        ...Object.fromEntries(Object.entries(ORGANIZATION_TEXT_FIELDS).map(([field, max]) => [field, optionalText(max)])),
        is_business: { type: 'boolean' },
        mfaEnforced: { type: 'boolean', description: 'OWNER only' },
      },
      additionalProperties: false,
    },
    success: (data) => ({
      status: 200,
      body: { success: true, data: data.updateOrganization, message: 'Organization updated successfully' },
    }),
    errorBody: withNullData,
    response: responses({ 200: envelope(true) }, [400, 401, 403, 404, 500], errorWithNullData, {
      400: { success: false, data: null, message: 'name must not be empty' },
      403: { success: false, data: null, message: 'Insufficient permissions to update organization' },
      404: { success: false, data: null, message: 'Organization not found' },
    }),
  },
]
