// npm run bench's database name: a setting, checked before anything is dropped.
import t from 'tap'
import { benchDatabaseName } from '../../bench/settings.js'

const ADMIN = 'postgresql://postgres@127.0.0.1:5432/test'

t.test('BENCH_DATABASE names the database the benchmark re-creates', async (t) => {
  t.equal(benchDatabaseName({}, ADMIN), 'gw_bench', 'default')
  t.equal(benchDatabaseName({ BENCH_DATABASE: '' }, ADMIN), 'gw_bench', 'empty is the default')
  t.equal(benchDatabaseName({ BENCH_DATABASE: 'gw_bench_ada' }, ADMIN), 'gw_bench_ada')
})

t.test('a name that is not a plain identifier, or a database that is not its own, is refused', async (t) => {
  for (const name of ['GW', 'gw-bench', 'x; DROP DATABASE test', '1gw', 'a'.repeat(64)]) {
    t.throws(() => benchDatabaseName({ BENCH_DATABASE: name }, ADMIN), /BENCH_DATABASE must be a plain PostgreSQL name/, name)
  }
  for (const name of ['postgres', 'template1', 'test']) {
    t.throws(() => benchDatabaseName({ BENCH_DATABASE: name }, ADMIN), /is refused: the benchmark drops its database/, name)
  }
})
