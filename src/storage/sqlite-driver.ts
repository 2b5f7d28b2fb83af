import { Database } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { sql } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/bun-sqlite'
import { type Driver, runSync, type TxBody } from './driver'
import { migrate } from './migrations'
import { isUniqueViolation } from './network-driver'
import { schema } from './schema/sqlite'
import { GroupCommit } from './sqlite-group-commit'
import { type CompiledStatement, compileStatement } from './sqlite-statement'

export type SqliteOptions = {
  path: string
  synchronous: 'NORMAL' | 'FULL'
  migrationsFolder: string
  /** How long a write waits for another process's lock before SQLITE_BUSY (default 5000 ms). */
  busyTimeoutMs?: number
}

/**
 * Opens the one connection this process uses for SQLite (a second connection that meets a lock
 * would block the event loop for the whole busy timeout), with server-safe settings:
 * WAL (readers never block the writer), NORMAL fsync (crash-safe; FULL adds power-loss safety),
 * a busy timeout for other processes on the same file, and enforced foreign keys.
 */
export function openSqlite(options: SqliteOptions): Driver {
  if (options.path !== ':memory:') mkdirSync(dirname(options.path), { recursive: true })
  const client = new Database(options.path, { create: true, strict: true })
  try {
    client.exec('PRAGMA journal_mode = WAL')
    client.exec(`PRAGMA synchronous = ${options.synchronous}`)
    client.exec(`PRAGMA busy_timeout = ${Math.trunc(options.busyTimeoutMs ?? 5000)}`)
    client.exec('PRAGMA foreign_keys = ON')
    const db = drizzle({ client, schema })
    migrate(db, options.migrationsFolder)
    // Built once: bun:sqlite's transaction() sets up a wrapper on every call.
    const commits = new GroupCommit(client)
    const dataVersion = client.prepare('PRAGMA data_version')
    const atomically = client.transaction(<T>(body: (tx: typeof db) => TxBody<T>) => runSync(body(db), runNow))
    // Each query outside a transaction locks and unlocks the file (two fcntl calls and an fstat,
    // ~2.5 µs): a deferred transaction takes the read lock once for all its queries.
    const inSnapshot = atomically.deferred as <T>(body: (tx: typeof db) => TxBody<T>) => T
    return {
      dialect: 'sqlite',
      db,
      tables: schema,
      // Writes of one event-loop turn share a transaction, each in its own savepoint
      // (sqlite-group-commit.ts). BEGIN IMMEDIATE takes the write lock up front, so a body never
      // fails half-way on a lock upgrade; queries run synchronously, so nothing else interleaves.
      transaction: (body) => commits.run(() => runSync(body(db), runNow)),
      read: async (body) => inSnapshot(body),
      prepare: (build, selection) => {
        let compiled: CompiledStatement | undefined
        return (values) => {
          const query = () => build(db, (name) => sql.placeholder(name)) as Parameters<typeof compileStatement>[0]
          compiled ??= compileStatement(query(), client, selection)
          return new PreparedCall(compiled, values) as unknown as PromiseLike<never>
        }
      },
      isUniqueViolation,
      dataVersion: () => (dataVersion.get() as { data_version: number }).data_version,
      ping: async () => {
        client.query('SELECT 1').get()
      },
      close: async () => {
        commits.drain()
        if (options.path !== ':memory:') client.exec('PRAGMA wal_checkpoint(TRUNCATE)')
        client.close()
      },
    }
  } catch (error) {
    client.close()
    throw error
  }
}

/** Runs a query yielded by a transaction body at once (bun:sqlite is synchronous). */
const runNow = (query: PromiseLike<unknown>) => (query as unknown as { all(): unknown }).all()

/**
 * One call of a prepared query, run when it is used: `all` for a transaction body, `then` for an
 * await. A class, so a call is one small object, not an object and two closures (the hot
 * paths make a few per request).
 */
class PreparedCall {
  constructor(
    private readonly compiled: CompiledStatement,
    private readonly values: Record<string, unknown>,
  ) {}
  all(): unknown[] {
    return this.compiled.all(this.values)
  }
  // biome-ignore lint/suspicious/noThenProperty: awaiting a call runs it
  then<A = unknown[], B = never>(
    ok?: ((rows: unknown[]) => A | PromiseLike<A>) | null,
    ko?: ((error: unknown) => B | PromiseLike<B>) | null,
  ): Promise<A | B> {
    try {
      return Promise.resolve(this.all()).then(ok, ko)
    } catch (error) {
      return Promise.reject(error).then(ok, ko)
    }
  }
}
