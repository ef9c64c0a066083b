// The recent-authentication rule alone: a proof covers changes for exactly the window, and never is never.
import t from 'tap'
import { isRecentlyProven } from '../../src/domain/recentAuth.js'

const now = new Date('2026-12-05T12:00:00Z')
const ago = (seconds: number) => new Date(now.getTime() - seconds * 1000)

t.equal(isRecentlyProven(null, now, 300), false, 'a session that never proved anything')
t.equal(isRecentlyProven(ago(0), now, 300), true, 'just now')
t.equal(isRecentlyProven(ago(300), now, 300), true, 'the last second of the window')
t.equal(isRecentlyProven(ago(301), now, 300), false, 'one second past it')
t.equal(isRecentlyProven(ago(3600), now, 300), false, 'an hour later')
t.equal(isRecentlyProven(ago(1), now, 0), false, 'RECENT_AUTH_SECONDS=0: every change carries its proof')
