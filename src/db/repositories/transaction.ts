// The handle every repository function takes: the Prisma client itself or an open transaction.
import type { Prisma, PrismaClient } from '../../generated/prisma/client.js'

/** Either the client or an interactive transaction: a repository function works in both. */
export type Tx = Prisma.TransactionClient

export interface TransactionOptions {
  /** How long to wait for a connection (and, queued behind a lock, for the transaction to start). */
  maxWait?: number
  /** How long the transaction may run before it is rolled back. */
  timeout?: number
}

/** Runs `work` in one interactive transaction: committed when it resolves, rolled back when it throws. */
export function inTransaction<T>(prisma: PrismaClient, work: (tx: Tx) => Promise<T>, options?: TransactionOptions): Promise<T> {
  return prisma.$transaction(work, options)
}

/** A write that lost to a unique index (e.g. a concurrent registration of the same email). */
export function isUniqueViolation(err: unknown, column?: string): boolean {
  const e = err as { code?: string; meta?: unknown }
  if (e?.code !== 'P2002') return false
  return column === undefined || JSON.stringify(e.meta ?? {}).includes(column)
}
