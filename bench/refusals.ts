// GATEWAY_URL=http://127.0.0.1:3000 npx tsx bench/refusals.ts: how long a started gateway takes to
// refuse the three abusive requests of issue 7, from a self-registered account, over real HTTP.
import { randomBytes } from 'node:crypto'

const base = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000'
const RUNS = Number(process.env.REFUSAL_RUNS ?? 5)

async function post(path: string, body: unknown, token?: string) {
  const started = performance.now()
  const res = await fetch(base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  })
  const json = (await res.json()) as any
  return { ms: performance.now() - started, status: res.status, json }
}

const email = `abuse-${randomBytes(4).toString('hex')}@example.com`
const registered = await post('/user/register', {
  email,
  password: 'Abusive-Passw0rd',
  firstName: 'Abu',
  lastName: 'Sive',
  companyName: 'Abuse Ltd',
  isBusiness: false,
})
if (registered.status !== 201) throw new Error(`register: ${registered.status} ${JSON.stringify(registered.json)}`)
const { accessToken, user } = registered.json
const aliased = (n: number, field: string) => Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')

const requests: [string, string][] = [
  [
    '300 aliased updateUser(password)',
    `mutation { ${aliased(300, `updateUser(id: "${user.id}", input: { password: "Changed-Passw0rd" }) { success message }`)} }`,
  ],
  ['1,000 aliased organizationUsers(limit: 200)', `{ ${aliased(1000, 'organizationUsers(limit: 200) { data { id email } total }')} }`],
  ['60 KB of 10,000 me{id}', `{${'me{id}'.repeat(10_000)}}`],
]
for (const [name, query] of requests) {
  const times: number[] = []
  let last: Awaited<ReturnType<typeof post>> | undefined
  for (let run = 0; run < RUNS; run++) {
    last = await post('/graphql', { query }, accessToken)
    times.push(last.ms)
  }
  const error = last!.json.errors?.[0]
  console.log(
    `${name.padEnd(45)} ${String(Buffer.byteLength(query)).padStart(6)} B  HTTP ${last!.status}  ${error?.extensions?.reason ?? '-'}  ` +
      `ms per run: ${times.map((t) => t.toFixed(1)).join(' ')}  (${error?.message})`,
  )
}
const login = await post('/user/login', { email, password: 'Abusive-Passw0rd' })
console.log(`the original password still logs in: HTTP ${login.status}`)
