import { and, eq } from 'drizzle-orm'
import { type Driver, run } from './driver'
import type { Store } from './store'

/** Reply leases (Store.acquireLease/releaseLease), in the Drizzle subset shared by all dialects. */
export function leaseQueries(driver: Driver): Pick<Store, 'acquireLease' | 'releaseLease'> {
  const { replyLeases: l } = driver.tables
  return {
    async acquireLease(conversationId, holder, ttlMs) {
      const now = Date.now()
      const expiresAt = now + ttlMs
      try {
        return await driver.transaction(function* (tx) {
          const [lease] = yield* run(tx.select().from(l).where(eq(l.conversationId, conversationId)))
          if (!lease) {
            yield* run(tx.insert(l).values({ conversationId, holder, expiresAt }))
            return true
          }
          if (lease.holder !== holder && lease.expiresAt > now) return false
          // Compare-and-set on the value read: of two instances taking over an expired lease, one wins.
          const where = and(
            eq(l.conversationId, conversationId),
            eq(l.expiresAt, lease.expiresAt),
            eq(l.holder, lease.holder),
          )
          yield* run(tx.update(l).set({ holder, expiresAt }).where(where))
          const [after] = yield* run(tx.select().from(l).where(eq(l.conversationId, conversationId)))
          return after?.holder === holder && after.expiresAt === expiresAt
        })
      } catch (error) {
        if (driver.isUniqueViolation(error)) return false // another instance inserted it first
        throw error
      }
    },

    async releaseLease(conversationId, holder) {
      // In a transaction body like every lease write, so on SQLite it runs after a renewal
      // queued before it (group commit keeps their order; a direct delete would go first).
      await driver.transaction(function* (tx) {
        yield* run(tx.delete(l).where(and(eq(l.conversationId, conversationId), eq(l.holder, holder))))
      })
    },
  }
}
