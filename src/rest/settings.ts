// GET/POST/PUT/DELETE /settings/user and /settings/organization: read all, replace, partial update, delete keys.
import type { CompatRoute } from './compat.js'
import { messageEnvelope, named, responses } from './schemas.js'

const TAGS = ['Settings']

const SETTINGS_EXAMPLE = { theme: 'dark', notifications: { email: true, digest: 'weekly' } }

const settingsObject = {
  type: 'object',
  additionalProperties: true,
  description: 'Top-level keys (1–100 characters, at most 100) mapping to any JSON value; 8 levels and 16,384 bytes at most',
} as const

const settingsEnvelope = named('SettingsResponse', {
  type: 'object',
  properties: { success: { type: 'boolean', const: true }, settings: settingsObject },
  required: ['success', 'settings'],
  examples: [{ success: true, settings: SETTINGS_EXAMPLE }],
})

const messageOf = (message: string) => ({ $ref: messageEnvelope.$ref, examples: [{ success: true, message }] })

interface Scope {
  path: string
  title: string
  read: string
  replace: string
  update: string
  remove: string
  who: { read: string; write: string }
  errors: { read: number[]; write: number[] }
  forbidden?: { read: string; write: string }
}

function settingsRoutes(scope: Scope): CompatRoute[] {
  const operationName = (field: string) => `Rest${field[0]!.toUpperCase()}${field.slice(1)}`
  const forbidden = (message?: string): Record<number, Record<string, unknown>> => (message ? { 403: { success: false, message } } : {})
  const writeResponses = (message: string) =>
    responses({ 200: messageOf(message) }, [400, ...scope.errors.write], undefined, {
      400: { success: false, message: 'Settings may take at most 16384 bytes as JSON' },
      ...forbidden(scope.forbidden?.write),
    })
  const changed = (field: string) => (data: Record<string, { success: boolean; message: string }>) => ({
    status: 200,
    body: data[field],
  })
  return [
    {
      method: 'GET',
      url: scope.path,
      tags: TAGS,
      summary: `Get ${scope.title} Settings`,
      description: `Every ${scope.title.toLowerCase()} setting ({} until one is saved). ${scope.who.read}`,
      authenticated: true,
      operation: `query ${operationName(scope.read)} { ${scope.read} }`,
      success: (data) => ({ status: 200, body: { success: true, settings: data[scope.read] } }),
      response: responses({ 200: settingsEnvelope }, scope.errors.read, undefined, forbidden(scope.forbidden?.read)),
    },
    {
      method: 'POST',
      url: scope.path,
      tags: TAGS,
      summary: `Replace ${scope.title} Settings`,
      description: `Replaces every ${scope.title.toLowerCase()} setting with \`settings\`. ${scope.who.write} Audited (keys only).`,
      authenticated: true,
      operation: `mutation ${operationName(scope.replace)}($settings: JSONObject!) { ${scope.replace}(settings: $settings) { success message } }`,
      variables: (request) => ({ settings: (request.body as { settings: object }).settings }),
      body: {
        type: 'object',
        properties: { settings: settingsObject },
        required: ['settings'],
        additionalProperties: false,
        examples: [{ settings: SETTINGS_EXAMPLE }],
      },
      success: changed(scope.replace),
      response: writeResponses('Settings saved successfully'),
    },
    {
      method: 'PUT',
      url: scope.path,
      tags: TAGS,
      summary: `Update ${scope.title} Settings`,
      description: `Sets the top-level keys of the body (null is a value), keeping the others. ${scope.who.write} Audited (keys only).`,
      authenticated: true,
      operation: `mutation ${operationName(scope.update)}($settings: JSONObject!) { ${scope.update}(settings: $settings) { success message } }`,
      variables: (request) => ({ settings: request.body }),
      body: { ...settingsObject, examples: [{ theme: 'light' }] },
      success: changed(scope.update),
      response: writeResponses('Settings updated successfully'),
    },
    {
      method: 'DELETE',
      url: scope.path,
      tags: TAGS,
      summary: `Delete ${scope.title} Settings`,
      description: `Removes the named top-level keys (1–100; unknown keys are ignored). ${scope.who.write} Audited.`,
      authenticated: true,
      operation: `mutation ${operationName(scope.remove)}($keys: [String!]!) { ${scope.remove}(keys: $keys) { success message } }`,
      variables: (request) => ({ keys: (request.body as { keys: string[] }).keys }),
      body: {
        type: 'object',
        properties: { keys: { type: 'array', items: { type: 'string' } } },
        required: ['keys'],
        additionalProperties: false,
        examples: [{ keys: ['theme'] }],
      },
      success: changed(scope.remove),
      response: writeResponses('Settings deleted successfully'),
    },
  ]
}

export const settingRoutes: CompatRoute[] = [
  ...settingsRoutes({
    path: '/settings/user',
    title: 'User',
    read: 'userSettings',
    replace: 'replaceUserSettings',
    update: 'updateUserSettings',
    remove: 'deleteUserSettings',
    who: { read: "The caller's own.", write: "The caller's own." },
    errors: { read: [401, 500], write: [401, 500] },
  }),
  ...settingsRoutes({
    path: '/settings/organization',
    title: 'Organization',
    read: 'organizationSettings',
    replace: 'replaceOrganizationSettings',
    update: 'updateOrganizationSettings',
    remove: 'deleteOrganizationSettings',
    who: { read: 'Any member of the organization.', write: 'ADMINISTRATORS or OWNER.' },
    errors: { read: [401, 403, 500], write: [401, 403, 500] },
    forbidden: {
      read: 'User not associated with any organization',
      write: 'Insufficient permissions to update organization settings',
    },
  }),
]
