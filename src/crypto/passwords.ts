// Password hashing: argon2id at OWASP's parameters, PHC strings, verified in constant time.
import { hash, verify, type Algorithm } from '@node-rs/argon2'

/** @node-rs/argon2's `Algorithm.Argon2id`: a const enum in its types, an empty object in its code. */
export const ARGON2ID: Algorithm.Argon2id = 2

/** How much work one hash costs: argon2id's memory (KiB) and passes; parallelism is always 1. */
export interface PasswordHashCost {
  memoryKiB: number
  iterations: number
}

/**
 * OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, parallelism 1. The floor outside tests:
 * the configuration refuses a cheaper cost unless NODE_ENV=test (see PASSWORD_HASH_* in config.ts).
 */
export const OWASP_HASH_COST: PasswordHashCost = { memoryKiB: 19_456, iterations: 2 }

/** The OWASP parameters as @node-rs/argon2 takes them. */
export const ARGON2_PARAMS = {
  algorithm: ARGON2ID,
  memoryCost: OWASP_HASH_COST.memoryKiB,
  timeCost: OWASP_HASH_COST.iterations,
  parallelism: 1,
} as const

export function hashPassword(password: string, cost: PasswordHashCost = OWASP_HASH_COST): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, memoryCost: cost.memoryKiB, timeCost: cost.iterations, parallelism: 1 })
}

/** Verifies at the parameters the PHC string names, whatever today's cost is. */
export async function verifyPassword(phc: string, password: string): Promise<boolean> {
  try {
    return await verify(phc, password)
  } catch {
    return false
  }
}

/** Whether a stored hash was made with other parameters than `cost`, so it should be redone. */
export function needsRehash(phc: string, cost: PasswordHashCost = OWASP_HASH_COST): boolean {
  const m = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(phc)
  return !m || Number(m[1]) !== cost.memoryKiB || Number(m[2]) !== cost.iterations || Number(m[3]) !== 1
}
