// The demo_requests table: what POST /demo/request stores.
import type { Tx } from './transaction.js'

export interface NewDemoRequest {
  email: string
  name: string
  reportedUserId: string | null
  userId: string | null
  ipAddress: string | null
}

export function recordDemoRequest(db: Tx, request: NewDemoRequest): Promise<{ id: string; createdAt: Date }> {
  return db.demoRequest.create({ data: request, select: { id: true, createdAt: true } })
}
