// The TOTP building blocks: AES-256-GCM sealing bound to the user, ±1 step, each step once.
import t from 'tap'
import { randomBytes } from 'node:crypto'
import { generate } from 'otplib'
import { createSecretBox } from '../../src/mfa/secretBox.js'
import { matchTotp, newBackupCodes, newEnrollment, normalizeBackupCode, normalizeTotpCode } from '../../src/mfa/totp.js'

t.test('sealed secrets open only with the same key for the same user', async (t) => {
  const box = createSecretBox(randomBytes(32))
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'user-1')
  t.notMatch(sealed, /JBSWY3DPEHPK3PXP/)
  t.not(box.seal('JBSWY3DPEHPK3PXP', 'user-1'), sealed, 'a fresh IV every time')
  t.equal(box.open(sealed, 'user-1'), 'JBSWY3DPEHPK3PXP')
  t.throws(() => box.open(sealed, 'user-2'), 'bound to its user')
  t.throws(() => createSecretBox(randomBytes(32)).open(sealed, 'user-1'), 'another key fails')
  const [v, iv, tag, body] = sealed.split(':')
  const flipped = Buffer.from(body!, 'base64url')
  flipped[0] = flipped[0]! ^ 1
  t.throws(() => box.open([v, iv, tag, flipped.toString('base64url')].join(':'), 'user-1'), 'tampering is detected')
  t.throws(() => box.open('garbage', 'user-1'))
  t.throws(() => createSecretBox(randomBytes(16)), 'a 32-byte key is required')
  t.equal(box.digest('abc'), box.digest('abc'))
  t.not(box.digest('abc'), createSecretBox(randomBytes(32)).digest('abc'), 'backup code hashes are keyed')
})

t.test('TOTP: ±1 step, never the same step twice', async (t) => {
  const { secret, otpauthUrl, qrCode } = await newEnrollment('Acme', 'ann@example.test')
  t.match(otpauthUrl, /^otpauth:\/\/totp\/Acme:ann%40example\.test\?secret=/)
  t.match(qrCode, /^data:image\/png;base64,/)
  const epoch = 1_800_000_015
  const at = (offset: number) => generate({ secret, epoch: epoch + offset * 30 })
  const step = await matchTotp(secret, await at(0), null, epoch)
  t.equal(step, Math.floor(epoch / 30))
  t.equal(await matchTotp(secret, await at(-1), null, epoch), step! - 1)
  t.equal(await matchTotp(secret, await at(1), null, epoch), step! + 1)
  t.equal(await matchTotp(secret, await at(-2), null, epoch), null)
  t.equal(await matchTotp(secret, await at(2), null, epoch), null)
  t.equal(await matchTotp(secret, await at(0), step, epoch), null, 'a used step is refused')
  t.equal(await matchTotp(secret, await at(-1), step, epoch), null, 'and so is an earlier one')
})

t.test('code shapes', async (t) => {
  t.equal(normalizeTotpCode(' 123 456 '), '123456')
  t.equal(normalizeTotpCode('12345'), null)
  t.equal(normalizeTotpCode('abcdef'), null)
  const codes = newBackupCodes()
  t.equal(codes.length, 10)
  t.equal(new Set(codes).size, 10)
  for (const code of codes) t.match(code, /^[a-z2-9]{4}-[a-z2-9]{4}$/)
  t.equal(normalizeBackupCode('AB12-CD34'), 'ab12cd34')
})
