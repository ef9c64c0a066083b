// The caller's organization's details: organization(id) and updateOrganization(id, input).
import type { Resolvers } from './schemaTypes.js'
import { changesBetween } from '../domain/audit.js'
import {
  domainOf,
  ORGANIZATION_TEXT_FIELDS,
  organizationChange,
  organizationReadRefusal,
  organizationUpdateRefusal,
  type OrganizationRefusal,
  type OrganizationUpdate,
} from '../domain/organization.js'
import { recordAudit } from '../db/repositories/auditEvents.js'
import { findOrganization, lockOrganization, updateOrganization, type OrganizationRow } from '../db/repositories/organizations.js'
import { inTransaction } from '../db/repositories/transaction.js'
import { activeRequester } from './context.js'
import { badInput, deny, GatewayError } from './errors.js'
import { NO_ORGANIZATION } from './denials.js'
import { acceptFields } from './fieldInput.js'

const ORGANIZATION_NOT_FOUND = 'Organization not found'
const NOTHING_TO_CHANGE = `Provide at least one of ${['name', ...Object.keys(ORGANIZATION_TEXT_FIELDS), 'is_business', 'mfaEnforced'].join(', ')}`

function refused(refusal: OrganizationRefusal, action: 'view' | 'update'): GatewayError {
  if (refusal === 'NO_ORGANIZATION') return deny(NO_ORGANIZATION)
  return new GatewayError('FORBIDDEN', `Insufficient permissions to ${action} organization`)
}

/** The row under the client's names: is_business as the client spells it, domain from the website. */
export function toOrganization(row: OrganizationRow) {
  const { isBusiness, ...rest } = row
  return { ...rest, domain: domainOf(row.website), is_business: isBusiness }
}

export const organizationResolvers: Resolvers = {
  Query: {
    async organization(_root, args: { id?: string | null }, ctx) {
      const caller = await activeRequester(ctx)
      // Ids compare as the database spells them: lower case.
      const id = (args.id ?? caller.orgId ?? '').toLowerCase()
      const refusal = organizationReadRefusal(caller, id)
      if (refusal) throw refused(refusal, 'view')
      const row = await findOrganization(ctx.app.db.prisma, id)
      if (!row) throw new GatewayError('NOT_FOUND', ORGANIZATION_NOT_FOUND)
      return toOrganization(row)
    },
  },

  Mutation: {
    async updateOrganization(_root, args: { id: string; input: OrganizationUpdate }, ctx) {
      const caller = await activeRequester(ctx)
      const change = acceptFields(() => organizationChange(args.input))
      if (!change) throw badInput(NOTHING_TO_CHANGE)
      const id = args.id.toLowerCase()
      const refusal = organizationUpdateRefusal(caller, id, Object.keys(change))
      if (refusal) throw refused(refusal, 'update')
      const updated = await inTransaction(ctx.app.db.prisma, async (tx) => {
        // Locked so that the audit event's old values are the ones this change replaced.
        await lockOrganization(tx, id)
        const before = await findOrganization(tx, id)
        if (!before) return null
        const after = await updateOrganization(tx, id, change)
        const changes = changesBetween(before, change)
        await recordAudit(tx, { actorId: caller.id, targetId: null, orgId: id, action: 'organization.updated', changes })
        return after
      })
      if (!updated) throw new GatewayError('NOT_FOUND', ORGANIZATION_NOT_FOUND)
      return toOrganization(updated)
    },
  },
}
