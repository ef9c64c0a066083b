// Pure rules: passwords, names and e-mail addresses, quota periods and percentages, audit changes.
import t from 'tap'
import { FieldError, fields, normalizeEmail } from '../../src/domain/fields.js'
import { fieldCode, fieldMessage, WEAK_PASSWORD_MESSAGE } from '../../src/graphql/fieldMessages.js'

/** The API's message for what a rule refuses, or null when it accepts the value. */
function messageOf(check: () => unknown): string | null {
  try {
    check()
    return null
  } catch (err) {
    if (err instanceof FieldError) return fieldMessage(err.field, err.problem)
    throw err
  }
}
import { periodStartOf, usagePercentage } from '../../src/domain/quota.js'
import { changesBetween } from '../../src/domain/audit.js'

t.test('passwords: ≥ 8 characters, upper, lower, digit', async (t) => {
  t.equal(fields.password('Demo-Password-1'), 'Demo-Password-1')
  t.equal(fields.password('Abcdefg1'), 'Abcdefg1')
  for (const weak of ['Abcdef1', 'abcdefg1', 'ABCDEFG1', 'Abcdefgh']) {
    t.equal(
      messageOf(() => fields.password(weak)),
      WEAK_PASSWORD_MESSAGE,
      weak,
    )
  }
  t.equal(
    messageOf(() => fields.password(12345678)),
    'password must be a string',
  )
  t.equal(
    messageOf(() => fields.password('Aa1' + 'x'.repeat(1100))),
    'Password must be at most 1024 characters long',
  )
  t.equal(
    messageOf(() => fields.password('Aa1' + 'x'.repeat(1100), 'newPassword')),
    'Password must be at most 1024 characters long',
  )
  t.throws(() => fields.password(undefined), FieldError)
  t.equal(fieldCode({ reason: 'WEAK_PASSWORD' }), 'WEAK_PASSWORD')
  t.equal(fieldCode({ reason: 'INVALID_EMAIL' }), 'INVALID_EMAIL')
  t.equal(fieldCode({ reason: 'PASSWORD_TOO_LONG', max: 1024 }), 'INVALID_REQUEST')
})

t.test('names and e-mail addresses', async (t) => {
  t.equal(
    messageOf(() => fields.personName('Ann', 'name')),
    null,
  )
  t.equal(
    messageOf(() => fields.personName('  ', 'name')),
    'name must not be empty',
  )
  t.equal(
    messageOf(() => fields.personName(3, 'lastName')),
    'lastName must be a string',
  )
  t.equal(
    messageOf(() => fields.personName('x'.repeat(101), 'name')),
    'name must be at most 100 characters long',
  )
  t.equal(
    messageOf(() => fields.personName('😀'.repeat(100), 'name')),
    null,
    'an emoji is one character',
  )
  t.equal(
    messageOf(() => fields.personName('a\nb', 'name')),
    'name must not contain control characters',
  )
  t.equal(
    messageOf(() => fields.companyWebsite('javascript:alert(1)')),
    'companyWebsite must be an absolute http:// or https:// URL',
  )
  t.equal(
    messageOf(() => fields.companyWebsite('https://u:p@x.test')),
    'companyWebsite must not contain a user name or password',
  )
  t.equal(
    messageOf(() => fields.deviceInfo({ userAgent: 5 })),
    'deviceInfo.userAgent must be a string',
  )
  t.equal(normalizeEmail('  Ann@Example.COM '), 'ann@example.com')
  t.equal(fields.email('ann@example.com'), 'ann@example.com')
  for (const bad of ['ann', 'ann@', '@x.y', 'a b@x.y', 'ann@example', 7])
    t.throws(() => fields.email(bad), FieldError, `rejects ${String(bad)}`)
})

t.test('the current period of each period type starts in UTC; weeks on Monday', async (t) => {
  const now = new Date('2026-03-19T15:04:05.678Z') // a Thursday
  t.equal(periodStartOf('ALL_TIME', now).toISOString(), '1970-01-01T00:00:00.000Z')
  t.equal(periodStartOf('DAILY', now).toISOString(), '2026-03-19T00:00:00.000Z')
  t.equal(periodStartOf('WEEKLY', now).toISOString(), '2026-03-16T00:00:00.000Z')
  t.equal(
    periodStartOf('WEEKLY', new Date('2026-03-22T23:59:59Z')).toISOString(),
    '2026-03-16T00:00:00.000Z',
    'Sunday belongs to the week before',
  )
  t.equal(periodStartOf('WEEKLY', new Date('2026-03-16T00:00:00Z')).toISOString(), '2026-03-16T00:00:00.000Z', 'Monday starts a week')
  t.equal(periodStartOf('WEEKLY', new Date('2026-01-01T10:00:00Z')).toISOString(), '2025-12-29T00:00:00.000Z', 'across a year boundary')
  t.equal(periodStartOf('MONTHLY', now).toISOString(), '2026-03-01T00:00:00.000Z')
  t.equal(periodStartOf('YEARLY', now).toISOString(), '2026-01-01T00:00:00.000Z')
})

t.test('percentage: round(100·current/max), 0 when max is 0, exact for huge numbers', async (t) => {
  t.equal(usagePercentage(3_221_225_472n, 10_737_418_240n), 30n)
  t.equal(usagePercentage(5_368_709_120n, 53_687_091_200n), 10n)
  t.equal(usagePercentage(1n, 200n), 1n, '0.5 rounds up')
  t.equal(usagePercentage(1n, 201n), 0n)
  t.equal(usagePercentage(5n, 0n), 0n)
  t.equal(usagePercentage(0n, 10n), 0n)
  t.equal(usagePercentage(3n, 2n), 150n, 'over quota')
  t.equal(usagePercentage(9_007_199_254_740_991n, 9_007_199_254_740_991n), 100n)
})

t.test('audit changes: old and new values, never a password or hash', async (t) => {
  t.same(changesBetween({ name: 'A', lastName: 'B' }, { name: 'C', lastName: 'B', passwordHash: '$argon2id$secret' }), {
    name: { old: 'A', new: 'C' },
    password: 'changed',
  })
  t.same(changesBetween({}, { password: 'Secret-123' }), { password: 'changed' })
  t.same(changesBetween({ deletedAt: new Date(0) }, { deletedAt: null }), { deletedAt: { old: '1970-01-01T00:00:00.000Z', new: null } })
  t.same(changesBetween({ name: 'A' }, { name: undefined }), {})
})
