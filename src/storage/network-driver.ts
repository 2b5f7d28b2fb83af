import { type Db, type Driver, Rollback, runAsync, type Tables } from './driver'

/**
 * What PostgreSQL and MySQL share: an async Drizzle database whose transactions take an async
 * callback. The dialect file provides the rest (connecting, migrating, closing).
 */
export function networkDriver(
  dialect: 'postgres' | 'mysql',
  db: unknown,
  tables: Tables,
  extra: { ping(): Promise<void>; close(): Promise<void> },
): Driver {
  const typed = db as Db & { transaction<T>(fn: (tx: Db) => Promise<T>): Promise<T> }
  return {
    dialect,
    // Every dialect's schema infers the same rows (schema/index.ts), and drizzle-store.ts only
    // uses builders that exist on all three, so the SQLite-typed view is honest.
    db: typed,
    tables,
    async transaction(body) {
      try {
        return await typed.transaction((tx) => runAsync(body(tx)))
      } catch (error) {
        if (error instanceof Rollback) return error.value
        throw error
      }
    },
    read: (body) => runAsync(body(typed)),
    // Built per call, on the transaction's connection when there is one.
    prepare: (build) => (values, tx) => build(tx ?? typed, (name) => values[name]) as PromiseLike<never>,
    isUniqueViolation,
    ping: extra.ping,
    close: extra.close,
  }
}

/** PostgreSQL 23505, MySQL 1062 (ER_DUP_ENTRY), SQLite UNIQUE — wherever Drizzle wrapped it. */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error; e && typeof e === 'object'; e = (e as { cause?: unknown }).cause) {
    const { errno, code, message } = e as { errno?: unknown; code?: unknown; message?: unknown }
    if (errno === '23505' || code === '23505' || errno === 1062 || code === 'ER_DUP_ENTRY') return true
    if (typeof message === 'string' && /UNIQUE constraint failed|duplicate key value/.test(message)) return true
  }
  return false
}
