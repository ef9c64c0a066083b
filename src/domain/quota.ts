// Quota arithmetic: which usage period is current, and how full it is. Pure, no I/O.

export type PeriodType = 'ALL_TIME' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'YEARLY'

/** The epoch: ALL_TIME usage has one row, keyed by it. */
export const ALL_TIME_START = new Date(0)

/** The start of the UTC period containing `now`; weeks are ISO weeks (they start on Monday). */
export function periodStartOf(periodType: PeriodType, now: Date): Date {
  const y = now.getUTCFullYear()
  const m = now.getUTCMonth()
  const d = now.getUTCDate()
  switch (periodType) {
    case 'ALL_TIME':
      return ALL_TIME_START
    case 'DAILY':
      return new Date(Date.UTC(y, m, d))
    case 'WEEKLY':
      return new Date(Date.UTC(y, m, d - ((now.getUTCDay() + 6) % 7)))
    case 'MONTHLY':
      return new Date(Date.UTC(y, m, 1))
    case 'YEARLY':
      return new Date(Date.UTC(y, 0, 1))
  }
}

/** round(100·current/max) in exact integer arithmetic (byte counts exceed 2^53 / 100); 0 when max is 0. */
export function usagePercentage(current: bigint, max: bigint): bigint {
  if (max <= 0n || current <= 0n) return 0n
  return (200n * current + max) / (2n * max)
}
