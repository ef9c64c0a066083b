import t from 'tap'
import { isValidEmail, MAX_PASSWORD_LENGTH, normalizeEmail, passwordProblem } from '../../src/domain/fields.js'

t.test('normalizeEmail trims and lower-cases', async (t) => {
  t.equal(normalizeEmail('  Alice@Example.COM '), 'alice@example.com')
})

t.test('isValidEmail', async (t) => {
  for (const ok of ['a@b.co', 'first.last+tag@sub.example.org', "o'neil@example.com", 'x_y-z@a-b.example']) {
    t.ok(isValidEmail(ok), ok)
  }
  for (const bad of [
    '',
    'plain',
    '@example.com',
    'a@',
    'a@b',
    'a@@b.com',
    'a@b@c.com',
    'a b@c.com',
    'a@b .com',
    '.a@b.com',
    'a.@b.com',
    'a..b@c.com',
    'a@-b.com',
    'a@b-.com',
    'a@b..com',
    'a@1.2.3.4',
    `${'a'.repeat(65)}@b.com`,
    `a@${'b'.repeat(250)}.com`,
  ]) {
    t.notOk(isValidEmail(bad), JSON.stringify(bad))
  }
})

t.test('passwordProblem', async (t) => {
  t.equal(passwordProblem('Abcdefg1'), null, 'exactly 8 with upper, lower, digit')
  t.equal(passwordProblem('Ünïcödé9'), null, 'non-ASCII letters count')
  t.equal(passwordProblem('Abcdef1'), 'WEAK_PASSWORD', 'too short')
  t.equal(passwordProblem('abcdefg1'), 'WEAK_PASSWORD', 'no upper-case letter')
  t.equal(passwordProblem('ABCDEFG1'), 'WEAK_PASSWORD', 'no lower-case letter')
  t.equal(passwordProblem('Abcdefgh'), 'WEAK_PASSWORD', 'no digit')
  t.equal(passwordProblem(''), 'WEAK_PASSWORD')
  t.equal(passwordProblem('Aa1' + 'x'.repeat(MAX_PASSWORD_LENGTH)), 'TOO_LONG')
})
