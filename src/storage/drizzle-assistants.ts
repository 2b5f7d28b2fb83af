import { eq } from 'drizzle-orm'
import { type Driver, run, type Tables } from './driver'
import { binary, upsert } from './drizzle-dialect'
import { iso } from './rows'
import type { Metadata, Store, StoredAssistant } from './store'

type AssistantRow = Tables['assistants']['$inferSelect']

const toAssistant = (r: AssistantRow): StoredAssistant => ({
  id: r.id,
  spec: JSON.parse(r.spec) as Metadata,
  created_at: iso(r.createdAt),
  updated_at: iso(r.updatedAt),
})

type Methods =
  | 'listAssistants'
  | 'getAssistant'
  | 'createAssistant'
  | 'updateAssistant'
  | 'deleteAssistant'
  | 'getQuota'
  | 'setQuota'
  | 'anyQuotas'

/** Assistants created over the API and per-user quotas: JSON text kept byte for byte. */
export function assistantQueries(driver: Driver): Pick<Store, Methods> {
  const { db } = driver
  const { assistants: a, conversations: c, quotas: qu } = driver.tables
  return {
    async listAssistants() {
      const rows = await db.select().from(a).orderBy(binary(driver.dialect, a.id))
      return rows.map(toAssistant)
    },

    async getAssistant(id) {
      const [row] = await db.select().from(a).where(eq(a.id, id))
      return row ? toAssistant(row) : null
    },

    async createAssistant(id, spec) {
      const now = Date.now()
      const row: AssistantRow = { id, spec: JSON.stringify(spec), createdAt: now, updatedAt: now }
      try {
        // Alone, not in a transaction: a taken id fails this one statement (on PostgreSQL a
        // failed statement would abort a transaction around it).
        await db.insert(a).values(row)
      } catch (error) {
        if (driver.isUniqueViolation(error)) return null
        throw error
      }
      return toAssistant(row)
    },

    updateAssistant(id, spec) {
      return driver.transaction(function* (tx) {
        const [old] = yield* run(tx.select().from(a).where(eq(a.id, id)))
        if (!old) return null
        // Never before its creation, whatever the clock did (an import checks the order).
        const row: AssistantRow = { ...old, spec: JSON.stringify(spec), updatedAt: Math.max(Date.now(), old.createdAt) }
        yield* run(tx.update(a).set({ spec: row.spec, updatedAt: row.updatedAt }).where(eq(a.id, id)))
        return toAssistant(row)
      })
    },

    deleteAssistant(id) {
      return driver.transaction(function* (tx) {
        const [row] = yield* run(tx.select({ id: a.id }).from(a).where(eq(a.id, id)))
        if (!row) return false
        yield* run(tx.delete(a).where(eq(a.id, id)))
        // Its conversations go to the default assistant. conversations.assistant_id has no
        // index: this scans the table, once per deleted assistant (rare), rather than every
        // conversation write maintaining an index for it. No event: the conversations did not
        // change for their readers beyond who answers next, and updated_at stays.
        yield* run(tx.update(c).set({ assistantId: null }).where(eq(c.assistantId, id)))
        return true
      })
    },

    async getQuota(userId) {
      const [row] = await db.select({ limits: qu.limits }).from(qu).where(eq(qu.userId, userId))
      return row ? (JSON.parse(row.limits) as Metadata) : null
    },

    async anyQuotas() {
      const [row] = await db.select({ userId: qu.userId }).from(qu).limit(1)
      return row !== undefined
    },

    async setQuota(userId, limits) {
      if (limits === null) {
        await db.delete(qu).where(eq(qu.userId, userId))
        return
      }
      const row = { userId, limits: JSON.stringify(limits), updatedAt: Date.now() }
      await upsert(driver.dialect, db.insert(qu).values(row), [qu.userId], {
        limits: row.limits,
        updatedAt: row.updatedAt,
      })
    },
  }
}
