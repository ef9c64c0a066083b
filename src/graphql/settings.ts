// User and organization settings: read all, replace, partial update, delete keys; every change audited.
import type { IResolvers } from '@graphql-tools/utils'
import type { Requester } from '../auth/requester.js'
import {
  keysProblem,
  mergeSettings,
  organizationSettingsReadRefusal,
  organizationSettingsWriteRefusal,
  settingsChanges,
  settingsProblem,
  withoutKeys,
  type Settings,
  type SettingsProblem,
} from '../domain/settings.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { findSettings, lockSettings, saveSettings, type SettingsOwner } from '../db/repositories/settings.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { activeRequester, type GatewayContext } from './context.js'
import { badInput, deny } from './errors.js'
import { SETTINGS_DENIALS } from './denials.js'

type Scope = 'user' | 'organization'
type Change = 'replaced' | 'updated' | 'deleted'

const MESSAGES: Record<Change, string> = {
  replaced: 'Settings saved successfully',
  updated: 'Settings updated successfully',
  deleted: 'Settings deleted successfully',
}

/** Whose settings the caller reads (any member, for the organization's). */
async function readableOwner(ctx: GatewayContext, scope: Scope): Promise<SettingsOwner> {
  const caller = await activeRequester(ctx)
  if (scope === 'user') return { kind: 'user', id: caller.id }
  const refusal = organizationSettingsReadRefusal(caller)
  if (refusal) throw deny(SETTINGS_DENIALS[refusal])
  return { kind: 'organization', id: caller.orgId! }
}

/** Whose settings the caller changes (ADMINISTRATORS+, for the organization's). */
async function writableOwner(ctx: GatewayContext, scope: Scope): Promise<{ caller: Requester; owner: SettingsOwner }> {
  const caller = await activeRequester(ctx)
  if (scope === 'user') return { caller, owner: { kind: 'user', id: caller.id } }
  const refusal = organizationSettingsWriteRefusal(caller)
  if (refusal) throw deny(SETTINGS_DENIALS[refusal])
  return { caller, owner: { kind: 'organization', id: caller.orgId! } }
}

/**
 * Checks the caller's right first, then the input (`prepare`, which throws on bad input), then applies the
 * change to the stored settings under a row lock, checks the limits, saves and audits.
 */
async function changeSettings<Input>(
  ctx: GatewayContext,
  scope: Scope,
  kind: Change,
  prepare: () => Input,
  applyTo: (current: Settings, input: Input) => Settings,
) {
  const { caller, owner } = await writableOwner(ctx, scope)
  const input = prepare()
  await inTransaction(ctx.app.db.prisma, async (tx) => {
    const before = await lockSettings(tx, owner)
    const after = applyTo(before, input)
    const problem = settingsProblem(after)
    if (problem) throw badInput(settingsMessage(problem))
    await saveSettings(tx, owner, after)
    await recordAudit(tx, {
      actorId: caller.id,
      targetId: scope === 'user' ? caller.id : null,
      orgId: caller.orgId,
      action: `settings.${scope}.${kind}`,
      changes: settingsChanges(before, after),
    })
  })
  return { success: true, message: MESSAGES[kind] }
}

/** The API's words for a settings problem (the domain says only what is wrong). */
function settingsMessage(problem: SettingsProblem): string {
  switch (problem.reason) {
    case 'EMPTY_KEY':
      return 'Setting keys must not be empty'
    case 'KEY_TOO_LONG':
      return `Setting keys must be at most ${problem.max} characters`
    case 'TOO_MANY_KEYS':
      return `Settings may have at most ${problem.max} keys`
    case 'TOO_DEEP':
      return `Settings may be nested at most ${problem.max} levels deep`
    case 'TOO_BIG':
      return `Settings may take at most ${problem.maxBytes} bytes as JSON`
    case 'NO_KEYS_NAMED':
      return 'keys must name at least one setting'
    case 'TOO_MANY_KEYS_NAMED':
      return `keys may name at most ${problem.max} settings`
  }
}

/** Before any lock: a change that could never fit is refused at once. */
function checkedInput(settings: Settings): Settings {
  const problem = settingsProblem(settings)
  if (problem) throw badInput(settingsMessage(problem))
  return settings
}

function checkedKeys(keys: string[]): string[] {
  const problem = keysProblem(keys)
  if (problem) throw badInput(settingsMessage(problem))
  return keys
}

const resolversFor = (scope: Scope, names: { read: string; replace: string; update: string; remove: string }) => ({
  Query: {
    [names.read]: async (_root: unknown, _args: unknown, ctx: GatewayContext) =>
      findSettings(ctx.app.db.prisma, await readableOwner(ctx, scope)),
  },
  Mutation: {
    [names.replace]: (_root: unknown, args: { settings: Settings }, ctx: GatewayContext) =>
      changeSettings(
        ctx,
        scope,
        'replaced',
        () => checkedInput(args.settings),
        (_current, settings) => settings,
      ),
    [names.update]: (_root: unknown, args: { settings: Settings }, ctx: GatewayContext) =>
      changeSettings(
        ctx,
        scope,
        'updated',
        () => {
          if (Object.keys(args.settings).length === 0) throw badInput('Provide at least one setting to update')
          return checkedInput(args.settings)
        },
        mergeSettings,
      ),
    [names.remove]: (_root: unknown, args: { keys: string[] }, ctx: GatewayContext) =>
      changeSettings(ctx, scope, 'deleted', () => checkedKeys(args.keys), withoutKeys),
  },
})

const user = resolversFor('user', {
  read: 'userSettings',
  replace: 'replaceUserSettings',
  update: 'updateUserSettings',
  remove: 'deleteUserSettings',
})
const organization = resolversFor('organization', {
  read: 'organizationSettings',
  replace: 'replaceOrganizationSettings',
  update: 'updateOrganizationSettings',
  remove: 'deleteOrganizationSettings',
})

export const settingsResolvers: IResolvers<unknown, GatewayContext> = {
  Query: { ...user.Query, ...organization.Query },
  Mutation: { ...user.Mutation, ...organization.Mutation },
}
