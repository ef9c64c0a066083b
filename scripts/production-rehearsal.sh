#!/usr/bin/env bash
# The Dockerfile and compose.yaml without Docker, in a temporary copy of this checkout, on the image's Node
# major version: the build stage's order (the lockfile copied and installed before the sources) and its RUN
# steps (npm ci, npm run build, npm prune), the runtime stage's COPY --from=build files into a second
# directory (checked free of the Prisma CLI and TypeScript), its CMD with its ENV as an unprivileged user,
# and its HEALTHCHECK; then compose's layout (migrate once, two gateways on one PostgreSQL and one Redis,
# the keys as secret files, mail to a sink, MFA on) when PGURL is set, and the README's recipe,
# NODE_ENV=production npm start, in the pruned build directory.
# Usage: bash scripts/production-rehearsal.sh   (PGURL=postgresql://… REDIS_URL=redis://… for the compose part)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dockerfile=$root/Dockerfile
work=$(mktemp -d "${TMPDIR:-/tmp}/gw-production-XXXXXX")
chmod 755 "$work"
build=$work/app
runtime=$work/runtime
mkdir -p "$build" "$runtime"
pids=()
scratch_db=''
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" "-$pid" 2>/dev/null || true; done
  if [ -n "$scratch_db" ]; then
    (cd "$runtime" && node -e "$PG_ADMIN" "$PGURL" "DROP DATABASE IF EXISTS $scratch_db WITH (FORCE)") || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() {
  echo "production rehearsal FAILED: $*" >&2
  exit 1
}
step() { echo "== production rehearsal: $*"; }
free_port() { node -e "const s = require('net').createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close() })"; }
# Runs one statement with pg from the runtime's node_modules: node -e "$PG_ADMIN" <url> <sql>.
PG_ADMIN="const pg = require('pg'); const c = new pg.Client({ connectionString: process.argv[1] });
c.connect().then(() => c.query(process.argv[2])).then(() => c.end(), (e) => { console.error(e.message); process.exit(1) })"

# Starts "$@" in the background with its output in $work/<name>.log; waits for the HEALTHCHECK to pass.
healthcheck=$(sed -n 's/^HEALTHCHECK .* CMD //p' "$dockerfile")
[ -n "$healthcheck" ] || fail "no HEALTHCHECK … CMD in the Dockerfile"
start_server() {
  local name=$1 port=$2
  shift 2
  "$@" >"$work/$name.log" 2>&1 &
  pids+=($!)
  local pid=$!
  for _ in $(seq 1 600); do
    if PORT=$port sh -c "$healthcheck" 2>/dev/null; then return 0; fi
    kill -0 "$pid" 2>/dev/null || { cat "$work/$name.log" >&2; fail "$name exited before it was ready"; }
    sleep 0.2
  done
  cat "$work/$name.log" >&2
  fail "$name was not ready within 120 s"
}
stop_server() {
  local name=$1 pid=${pids[-1]}
  kill -TERM "$pid"
  local code=0
  wait "$pid" || code=$?
  [ "$code" -eq 0 ] || { cat "$work/$name.log" >&2; fail "$name exited $code on SIGTERM"; }
}
expect_status() {
  local want=$1 url=$2
  shift 2
  local got
  got=$(curl -s -o /dev/null -w '%{http_code}' "$@" "$url")
  [ "$got" = "$want" ] || fail "$url answered $got, expected $want"
}
login_refused() { expect_status 401 "$1/user/login" -H 'content-type: application/json' -d '{"email":"nobody@example.com","password":"Not-The-Password-1"}'; }

image_major=$(sed -nE 's/^ARG NODE_IMAGE=node:([0-9]+).*/\1/p' "$dockerfile")
[ -n "$image_major" ] || fail "no ARG NODE_IMAGE=node:<major>… in the Dockerfile"
grep -qE '^ARG NODE_IMAGE=node:[^@]+@sha256:[0-9a-f]{64}$' "$dockerfile" || fail "the base image is not pinned by digest"
[ "$(node -p 'process.versions.node.split(".")[0]')" = "$image_major" ] ||
  fail "this runs on Node $(node --version); the image has Node $image_major (put that node first on PATH)"
step "node $(node --version) (the image's major, $image_major), npm $(npm --version)"

# The build stage's order: package.json and the lockfile, npm ci, and only then the sources (layer caching).
build_stage=$(awk '/^FROM .* AS build/ { s = 1; next } /^FROM / { s = 0 } s && /^(COPY|RUN) /' "$dockerfile")
[ "$(sed -n 1p <<<"$build_stage")" = "COPY package.json package-lock.json ./" ] || fail "the build stage does not copy the lockfile first"
[ "$(sed -n 2p <<<"$build_stage")" = "RUN npm ci --no-audit --no-fund" ] || fail "the build stage does not install right after the lockfile"
[ "$(sed -n 3p <<<"$build_stage")" = "COPY . ." ] || fail "the build stage copies the sources before installing"

step "COPY . . (the checkout, without what .dockerignore and .gitignore leave out)"
git ls-files -z -co --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$build"

step "the build stage's RUN steps"
run_steps=$(awk '/^FROM .* AS build/ { s = 1; next } /^FROM / { s = 0 } s && /^RUN / { sub(/^RUN /, ""); print }' "$dockerfile")
[ -n "$run_steps" ] || fail "no RUN step in the Dockerfile's build stage"
echo "$run_steps"
(cd "$build" && bash -euo pipefail -c "$run_steps") 2>&1 | tee "$work/build.log"
[ "${PIPESTATUS[0]}" -eq 0 ] || fail "the build stage failed"
if grep -q EBADENGINE "$work/build.log"; then fail "npm ci warned EBADENGINE on Node $(node --version)"; fi
if grep -q 'install-scripts' "$work/build.log"; then fail "npm ci warned about install scripts not covered by allowScripts"; fi
for dev in tsx tap eslint autocannon; do
  [ ! -e "$build/node_modules/$dev" ] || fail "npm prune --omit=dev left the dev dependency $dev"
done

step "the runtime stage's COPY --from=build files"
awk '/^COPY --from=build / { print $(NF-1), $NF }' "$dockerfile" | while read -r src dst; do
  mkdir -p "$(dirname "$runtime/${dst#/app/}")"
  cp -a "$build/${src#/app/}" "$runtime/${dst#/app/}"
done
mkdir -p "$runtime/data"
# Tools of the build only: npm prune --legacy-peer-deps drops what npm keeps as @prisma/client's optional peers.
for tool in typescript prisma @prisma/engines @prisma/studio-core @prisma/schema-engine-wasm effect tsx esbuild; do
  [ ! -e "$runtime/node_modules/$tool" ] || fail "the runtime stage ships $tool"
done
step "the runtime's node_modules: $(du -sh "$runtime/node_modules" | cut -f1)"

# The runtime stage's ENV and CMD; the server runs as nobody when this runs as root (the image's USER node).
read -r -a runtime_env <<<"$(awk '/^FROM / { s++ } s == 2 && /^ENV / { sub(/^ENV /, ""); print }' "$dockerfile")"
mapfile -t cmd < <(node -e 'for (const arg of JSON.parse(process.argv[1])) console.log(arg)' "$(sed -n 's/^CMD //p' "$dockerfile")")
as_user=()
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
  chown nobody "$runtime/data"
  as_user=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
fi
secret=$(node -e "console.log(require('crypto').randomBytes(32).toString('base64'))")
# compose's secrets: the keys as files only the server's user reads (/run/secrets/… in the containers).
secrets=$work/secrets
mkdir -p "$secrets"
echo "$secret" >"$secrets/jwt_secret"
node -e "console.log(require('crypto').randomBytes(32).toString('base64'))" >"$secrets/mfa_key"
chmod 400 "$secrets/jwt_secret" "$secrets/mfa_key"
[ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null || chown nobody "$secrets/jwt_secret" "$secrets/mfa_key"
# exec: started in the background, the server's pid is $!; run in the foreground inside ( ).
runtime_run() {
  cd "$runtime"
  exec "${as_user[@]}" env -i PATH="$PATH" "${runtime_env[@]}" HOST=127.0.0.1 DATA_DIR="$runtime/data" "$@"
}

port=$(free_port)
step "the image's CMD (${cmd[*]}) on the embedded database, port $port"
start_server runtime "$port" runtime_run PORT="$port" JWT_SECRET="$secret" "${cmd[@]}"
base=http://127.0.0.1:$port
expect_status 200 "$base/ready"
login_refused "$base"
expect_status 404 "$base/graphiql" # production: no playground
stop_server runtime

if [ -n "${PGURL:-}" ]; then
  redis=${REDIS_URL:-redis://127.0.0.1:6379}
  scratch_db=gw_rehearsal_$(node -e "console.log(require('crypto').randomBytes(5).toString('hex'))")
  (cd "$runtime" && node -e "$PG_ADMIN" "$PGURL" "CREATE DATABASE $scratch_db")
  db_url=$(node -e "const u = new URL(process.argv[1]); u.pathname = '/' + process.argv[2]; console.log(u.href)" "$PGURL" "$scratch_db")
  # compose's mailpit: an SMTP sink (smtp-server, a dev dependency of this checkout) that counts the mails to each address.
  smtp_port=$(free_port)
  (cd "$root" && exec node -e "
    const { SMTPServer } = require('smtp-server')
    const fs = require('fs')
    new SMTPServer({ authOptional: true, disabledCommands: ['STARTTLS'], onData(stream, session, done) {
      stream.resume().on('end', () => {
        for (const to of session.envelope.rcptTo) fs.appendFileSync(process.argv[1], to.address + '\n')
        done()
      })
    } }).listen(Number(process.argv[2]), '127.0.0.1')
  " "$work/mailbox" "$smtp_port") &
  pids+=($!)
  touch "$work/mailbox"
  compose_env=(DATABASE_URL="$db_url" REDIS_URL="$redis" JWT_SECRET_FILE="$secrets/jwt_secret" MFA_ENCRYPTION_KEY_FILE="$secrets/mfa_key"
    SMTP_URL="smtp://127.0.0.1:$smtp_port" "MAIL_FROM=Account Gateway <no-reply@gateway.test>")
  step "compose: migrate once (node dist/scripts/db-migrate.js), then two gateways on PostgreSQL, Redis and a mail sink, keys from secret files"
  (runtime_run "${compose_env[@]}" node dist/scripts/db-migrate.js) | tee "$work/migrate.log"
  grep -q '^applied: ' "$work/migrate.log" || fail "the migrate service applied nothing"
  port1=$(free_port)
  start_server gateway-1 "$port1" runtime_run PORT="$port1" "${compose_env[@]}" "${cmd[@]}"
  port2=$(free_port)
  start_server gateway-2 "$port2" runtime_run PORT="$port2" "${compose_env[@]}" "${cmd[@]}"
  login_refused "http://127.0.0.1:$port1"
  login_refused "http://127.0.0.1:$port2"
  # Mail and MFA are on: a registration mails its verification link to the sink, and TOTP is offered.
  email="rehearsal-$scratch_db@example.com"
  token=$(curl -s "http://127.0.0.1:$port1/user/register" -H 'content-type: application/json' -d "{\"email\":\"$email\",
    \"password\":\"Rehearsal-Password-1\",\"firstName\":\"Re\",\"lastName\":\"Hearsal\",\"companyName\":\"Rehearsal\",\"isBusiness\":false}" |
    node -e 'let s = ""; process.stdin.on("data", (c) => (s += c)).on("end", () => console.log(JSON.parse(s).accessToken ?? ""))')
  [ -n "$token" ] || fail "the registration on gateway-1 failed"
  for _ in $(seq 1 100); do grep -qx "$email" "$work/mailbox" && break; sleep 0.1; done
  grep -qx "$email" "$work/mailbox" || fail "no verification mail reached the sink"
  curl -s "http://127.0.0.1:$port2/mfa/methods" -H "authorization: Bearer $token" | grep -q GOOGLE_AUTH || fail "MFA is not on (no GOOGLE_AUTH in /mfa/methods)"
  stop_server gateway-2
  unset 'pids[-1]'
  stop_server gateway-1
  unset 'pids[-1]'
fi

port=$(free_port)
step "the README's recipe: NODE_ENV=production npm start in the pruned build directory, port $port"
start_server npm-start "$port" setsid bash -c "cd '$build' && exec env NODE_ENV=production JWT_SECRET='$secret' HOST=127.0.0.1 PORT=$port DATA_DIR='$work/data-npm' npm start"
login_refused "http://127.0.0.1:$port"
if grep -q 'building the' "$work/npm-start.log"; then fail "npm start rebuilt after npm run build"; fi
kill -TERM -- "-${pids[-1]}" # npm, its shell and the server: one process group
wait "${pids[-1]}" || true

echo "production rehearsal: passed"
