// The permission rules as tables: every caller role (and none) × target role × requested role,
// in the same and in another organization. Expected outcomes are written out, not recomputed.
import t from 'tap'
import type { Member } from '../../src/domain/access.js'
import {
  activationRefusal,
  creationRefusal,
  deletionRefusal,
  outranks,
  profileUpdateRefusal,
  roleChangeRefusal,
  type ProfileField,
  type Refusal,
} from '../../src/domain/permissions.js'

const ORG = 'org-a'
const ELSEWHERE = 'org-b'
const ROLES = [0, 1, 2, 254, 255] as const
const RESERVED = 100
const REQUESTED = [...ROLES, RESERVED] as const
type CallerRole = (typeof ROLES)[number] | null
const CALLERS: CallerRole[] = [null, ...ROLES]
const NAME: Record<string, string> = {
  null: 'NO_ORG',
  0: 'USER',
  1: 'BILLING',
  2: 'WORKSPACES',
  254: 'ADMINISTRATORS',
  255: 'OWNER',
  100: 'RESERVED',
}

const CODE: Record<string, Refusal | null> = {
  '.': null,
  F: 'NOT_PERMITTED',
  I: 'INVALID_ROLE',
  L: 'LAST_OWNER',
  N: 'NOT_FOUND',
  O: 'OTHER_ORGANIZATION',
  S: 'SELF',
  A: 'ALREADY_DELETED',
  D: 'NOT_DELETED',
}

const caller = (role: CallerRole): Member => ({ id: 'caller', orgId: role === null ? null : ORG, orgRole: role, deletedAt: null })
const target = (role: number, orgId = ORG, deletedAt: Date | null = null): Member => ({ id: 'target', orgId, orgRole: role, deletedAt })

/** Rows: the target's current role (0, 1, 2, 254, 255); columns: requested 0 1 2 254 255 RESERVED. */
const ALL_FORBIDDEN = ['FFFFFI', 'FFFFFI', 'FFFFFI', 'FFFFFI', 'FFFFFI']
const SAME_ORG_ONE_OWNER: Record<string, string[]> = {
  NO_ORG: ALL_FORBIDDEN,
  USER: ALL_FORBIDDEN,
  BILLING: ALL_FORBIDDEN,
  WORKSPACES: ['..FFFI', '..FFFI', 'FFFFFI', 'FFFFFI', 'FFFFFI'],
  ADMINISTRATORS: ['...FFI', '...FFI', '...FFI', 'FFFFFI', 'FFFFFI'],
  OWNER: ['.....I', '.....I', '.....I', '.....I', 'LLLL.I'],
}
const SAME_ORG_TWO_OWNERS: Record<string, string[]> = { ...SAME_ORG_ONE_OWNER, OWNER: ['.....I', '.....I', '.....I', '.....I', '.....I'] }
const ALL_ELSEWHERE = ['OOOOOI', 'OOOOOI', 'OOOOOI', 'OOOOOI', 'OOOOOI']
const OTHER_ORG: Record<string, string[]> = {
  NO_ORG: ALL_FORBIDDEN,
  USER: ALL_FORBIDDEN,
  BILLING: ALL_FORBIDDEN,
  WORKSPACES: ALL_ELSEWHERE,
  ADMINISTRATORS: ALL_ELSEWHERE,
  OWNER: ALL_ELSEWHERE,
}

t.test('role changes: every caller × current role × requested role', async (t) => {
  const cases: [string, Record<string, string[]>, string, number][] = [
    ['same organization, one owner', SAME_ORG_ONE_OWNER, ORG, 1],
    ['same organization, two owners', SAME_ORG_TWO_OWNERS, ORG, 2],
    ['another organization', OTHER_ORG, ELSEWHERE, 1],
  ]
  let checked = 0
  for (const [label, table, orgId, owners] of cases) {
    for (const c of CALLERS) {
      const rows = table[NAME[String(c)]!]!
      ROLES.forEach((current, r) => {
        REQUESTED.forEach((requested, q) => {
          const expected = CODE[rows[r]![q]!]
          const got = roleChangeRefusal(caller(c), target(current, orgId), requested, owners)
          t.equal(got, expected, `${label}: ${NAME[String(c)]} moves ${NAME[current]} to ${NAME[requested]}`)
          checked++
        })
      })
    }
  }
  t.equal(checked, 3 * 6 * 5 * 6)
})

t.test('role changes: missing, deactivated and self', async (t) => {
  t.equal(roleChangeRefusal(caller(255), null, 0, 1), 'NOT_FOUND')
  t.equal(roleChangeRefusal(caller(255), target(0, ORG, new Date()), 1, 1), 'NOT_FOUND')
  t.equal(roleChangeRefusal(caller(2), null, 0, 1), 'NOT_FOUND', 'a manager learns only that nobody is there')
  t.equal(roleChangeRefusal(caller(0), null, 0, 1), 'NOT_PERMITTED', 'a non-manager learns nothing')
  t.equal(roleChangeRefusal(caller(null), null, 3, 1), 'INVALID_ROLE')
  for (const bad of [-1, 3, 253, 256, 1.5, '2', null])
    t.equal(roleChangeRefusal(caller(255), target(0), bad, 1), 'INVALID_ROLE', `rejects ${String(bad)}`)
  const self = { ...caller(255) }
  t.equal(roleChangeRefusal(self, self, 254, 1), 'LAST_OWNER', 'the only owner cannot step down')
  t.equal(roleChangeRefusal(self, self, 254, 2), null, 'one of two owners can step down')
  t.equal(roleChangeRefusal(caller(2), caller(2), 1, 1), 'NOT_PERMITTED', 'WORKSPACES cannot change its own role')
  t.equal(roleChangeRefusal(caller(254), target(255, ORG), 254, 1), 'NOT_PERMITTED', 'below OWNER, an owner is out of reach')
})

t.test('profile updates: who changes whose name, last name, password', async (t) => {
  const FIELDS: ProfileField[][] = [['name'], ['lastName'], ['name', 'lastName'], ['password'], ['name', 'password']]
  // Columns: the FIELDS above. Another member of the same organization, of any role:
  const SAME_ORG: Record<string, string> = {
    NO_ORG: 'OOOOO',
    USER: 'FFFFF',
    BILLING: 'FFFFF',
    WORKSPACES: '...FF',
    ADMINISTRATORS: '...FF',
    OWNER: '...FF',
  }
  let checked = 0
  for (const c of CALLERS) {
    FIELDS.forEach((fields, f) => {
      const who = NAME[String(c)]!
      t.equal(profileUpdateRefusal(caller(c), caller(c), fields), null, `${who} changes its own ${fields}`)
      for (const role of ROLES) {
        t.equal(
          profileUpdateRefusal(caller(c), target(role), fields),
          CODE[SAME_ORG[who]![f]!],
          `${who} changes ${fields} of a ${NAME[role]}`,
        )
        t.equal(profileUpdateRefusal(caller(c), target(role, ELSEWHERE), fields), 'OTHER_ORGANIZATION', `${who}: other org's ${NAME[role]}`)
        t.equal(profileUpdateRefusal(caller(c), target(role, ORG, new Date()), fields), 'NOT_FOUND', `${who}: deactivated ${NAME[role]}`)
        checked += 3
      }
      t.equal(profileUpdateRefusal(caller(c), null, fields), 'NOT_FOUND')
    })
  }
  t.equal(checked, 6 * 5 * 5 * 3)
})

t.test('deleting and reactivating users', async (t) => {
  // Rows: caller; columns: target role 0 1 2 254 255 (active), with 1 active owner / 2 active owners.
  const DELETE_ONE_OWNER: Record<string, string> = {
    NO_ORG: 'FFFFF',
    USER: 'FFFFF',
    BILLING: 'FFFFF',
    WORKSPACES: '..FFF',
    ADMINISTRATORS: '...FF',
    OWNER: '....L',
  }
  const DELETE_TWO_OWNERS = { ...DELETE_ONE_OWNER, OWNER: '.....' }
  // A deactivated target: deleting again is ALREADY_DELETED, reactivating is allowed where the rank allows.
  const DELETE_DEACTIVATED: Record<string, string> = {
    NO_ORG: 'FFFFF',
    USER: 'FFFFF',
    BILLING: 'FFFFF',
    WORKSPACES: 'AAFFF',
    ADMINISTRATORS: 'AAAFF',
    OWNER: 'AAAAA',
  }
  const ACTIVATE_ACTIVE: Record<string, string> = {
    NO_ORG: 'FFFFF',
    USER: 'FFFFF',
    BILLING: 'FFFFF',
    WORKSPACES: 'DDFFF',
    ADMINISTRATORS: 'DDDFF',
    OWNER: 'DDDDD',
  }
  const ACTIVATE_DEACTIVATED: Record<string, string> = {
    NO_ORG: 'FFFFF',
    USER: 'FFFFF',
    BILLING: 'FFFFF',
    WORKSPACES: '..FFF',
    ADMINISTRATORS: '...FF',
    OWNER: '.....',
  }
  const gone = new Date()
  for (const c of CALLERS) {
    const who = NAME[String(c)]!
    const manager = c !== null && c >= 2
    ROLES.forEach((role, i) => {
      const at = (row: Record<string, string>) => CODE[row[who]![i]!]
      t.equal(deletionRefusal(caller(c), target(role), 1), at(DELETE_ONE_OWNER), `${who} deletes ${NAME[role]} (one owner)`)
      t.equal(deletionRefusal(caller(c), target(role), 2), at(DELETE_TWO_OWNERS), `${who} deletes ${NAME[role]} (two owners)`)
      t.equal(deletionRefusal(caller(c), target(role, ORG, gone), 1), at(DELETE_DEACTIVATED), `${who} deletes deactivated ${NAME[role]}`)
      t.equal(activationRefusal(caller(c), target(role)), at(ACTIVATE_ACTIVE), `${who} activates active ${NAME[role]}`)
      t.equal(activationRefusal(caller(c), target(role, ORG, gone)), at(ACTIVATE_DEACTIVATED), `${who} activates deactivated ${NAME[role]}`)
      const elsewhere = manager ? 'OTHER_ORGANIZATION' : 'NOT_PERMITTED'
      t.equal(deletionRefusal(caller(c), target(role, ELSEWHERE), 2), elsewhere, `${who} deletes another org's ${NAME[role]}`)
      t.equal(activationRefusal(caller(c), target(role, ELSEWHERE, gone)), elsewhere, `${who} activates another org's ${NAME[role]}`)
    })
    t.equal(deletionRefusal(caller(c), caller(c), 2), manager ? 'SELF' : 'NOT_PERMITTED', `${who} deletes itself`)
    t.equal(deletionRefusal(caller(c), null, 2), manager ? 'NOT_FOUND' : 'NOT_PERMITTED')
    t.equal(activationRefusal(caller(c), null), manager ? 'NOT_FOUND' : 'NOT_PERMITTED')
  }
})

t.test('creating users: the role they may get', async (t) => {
  // Columns: requested 0 1 2 254 255 RESERVED.
  const CREATE: Record<string, string> = {
    NO_ORG: 'FFFFFI',
    USER: 'FFFFFI',
    BILLING: 'FFFFFI',
    WORKSPACES: '..FFFI',
    ADMINISTRATORS: '...FFI',
    OWNER: '.....I',
  }
  for (const c of CALLERS) {
    REQUESTED.forEach((requested, q) => {
      const who = NAME[String(c)]!
      t.equal(creationRefusal(caller(c), requested), CODE[CREATE[who]![q]!], `${who} creates a ${NAME[requested]}`)
    })
  }
})

t.test('outranks', async (t) => {
  t.ok(outranks(255, 255))
  t.notOk(outranks(254, 254))
  t.notOk(outranks(null, 0))
})
