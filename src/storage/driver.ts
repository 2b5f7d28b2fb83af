import type { BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite'
import type { schema } from './schema/sqlite'

/**
 * The query builder shared code is written against. Every dialect's schema infers the same
 * row types (checked in schema/index.ts), and the Drizzle subset used by drizzle-store.ts
 * builds the same queries on each, so the SQLite flavour stands for all three.
 */
export type Db = BunSQLiteDatabase<typeof schema>
export type Tables = typeof schema

/**
 * A transaction body is a generator that yields queries and receives their results.
 * bun:sqlite transactions must stay synchronous (an `await` inside one commits early), while
 * PostgreSQL/MySQL transactions are asynchronous: a generator lets one body run both ways.
 */
export type TxBody<T> = Generator<PromiseLike<unknown>, T, any>

/** A prepared query: call it with its parameters' values. */
export type Prepared<T> = (values: Record<string, unknown>, tx?: Db) => PromiseLike<T>

/** Yields one query to the transaction runner and returns its typed result. */
export function* run<T>(query: PromiseLike<T>): Generator<PromiseLike<T>, T, T> {
  return yield query
}

/** Thrown inside a transaction body to roll back and make the transaction return `value`. */
export class Rollback<T> {
  constructor(readonly value: T) {}
}

/** What a dialect provides to the shared store: a query builder and a transaction runner. */
export interface Driver {
  readonly dialect: 'sqlite' | 'postgres' | 'mysql'
  readonly db: Db
  readonly tables: Tables
  /** Runs `body` atomically; a thrown Rollback rolls back and returns its value. */
  transaction<T>(body: (tx: Db) => TxBody<T>): Promise<T>
  /**
   * Runs a body of reads. On SQLite they read one snapshot (a deferred transaction), which
   * also takes the file's read lock once instead of once per query. Elsewhere they run as
   * separate queries, as they would outside a body.
   */
  read<T>(body: (tx: Db) => TxBody<T>): Promise<T>
  /**
   * A query with named parameters (`p('name')`), for the hot paths. On SQLite it is compiled
   * once (Drizzle's query building costs several times more than running these small indexed
   * queries); elsewhere it is built per call with the values. Inside a transaction body, pass
   * the body's `tx`. `selection`: what a select selects (its `.select()` argument, or the
   * table's columns), so SQLite can return its rows keyed as Drizzle would.
   */
  prepare<T>(build: (db: Db, p: (name: string) => any) => unknown, selection?: Record<string, unknown>): Prepared<T>
  /** True when `error` is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean
  /**
   * SQLite only: a number that changes when another connection commits to the file (`PRAGMA
   * data_version`); this connection's own commits leave it as it is.
   */
  dataVersion?(): number
  ping(): Promise<void>
  close(): Promise<void>
}

/** Drives a transaction body synchronously: each yielded query runs at once (bun:sqlite). */
export function runSync<T>(body: TxBody<T>, exec: (query: PromiseLike<unknown>) => unknown): T {
  let step = body.next()
  while (!step.done) step = body.next(exec(step.value))
  return step.value
}

/** Drives a transaction body asynchronously (network databases). */
export async function runAsync<T>(body: TxBody<T>): Promise<T> {
  let step = body.next()
  while (!step.done) step = body.next(await step.value)
  return step.value
}
