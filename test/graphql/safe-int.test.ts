// The SafeInt scalar: exact JSON numbers up to 2^53 − 1 each way; never a rounded value.
import t from 'tap'
import { Kind } from 'graphql'
import { SafeInt } from '../../src/graphql/scalars.js'

t.equal(SafeInt.serialize(5_368_709_120n), 5368709120)
t.equal(SafeInt.serialize(9_007_199_254_740_991n), 9007199254740991)
t.equal(SafeInt.serialize(42), 42)
t.throws(() => SafeInt.serialize(9_007_199_254_740_992n))
t.throws(() => SafeInt.serialize(1.5))
t.throws(() => SafeInt.serialize('7'))
t.equal(SafeInt.parseValue(4294967296), 4294967296n)
t.throws(() => SafeInt.parseValue(2 ** 60))
t.equal(SafeInt.parseLiteral({ kind: Kind.INT, value: '9007199254740991' }), 9007199254740991n)
t.throws(() => SafeInt.parseLiteral({ kind: Kind.INT, value: '9007199254740993' }))
t.throws(() => SafeInt.parseLiteral({ kind: Kind.STRING, value: '1' }))
