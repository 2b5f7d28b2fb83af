import { type Column, sql } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteUpdateSetSource } from 'drizzle-orm/sqlite-core'
import type { Driver, Tables } from './driver'

// The two places where the dialects' SQL differs and the shared store must say which it writes.

/** The part of MySQL's insert builder `upsert` uses (the shared code is typed as SQLite's). */
type MysqlInsert = { onDuplicateKeyUpdate(config: { set: Record<string, unknown> }): unknown }
type Insert = { onConflictDoUpdate(config: { target: SQLiteColumn[]; set: never }): unknown }

/**
 * `insert`, updating the row already stored under the same primary key with `set` instead:
 * `ON CONFLICT (target) DO UPDATE` on SQLite and PostgreSQL, `ON DUPLICATE KEY UPDATE` on
 * MySQL (there the key is implied: each table given here has no unique key but its primary
 * key). One statement, atomic on every dialect: two writers of a new row never both insert.
 */
export function upsert<Q extends Insert, T extends Tables[keyof Tables]>(
  dialect: Driver['dialect'],
  insert: Q,
  target: SQLiteColumn[],
  set: SQLiteUpdateSetSource<T>,
): Q {
  if (dialect === 'mysql') return (insert as unknown as MysqlInsert).onDuplicateKeyUpdate({ set }) as Q
  return insert.onConflictDoUpdate({ target, set: set as never }) as Q
}

/**
 * A text column ordered by its bytes (code points) on every dialect, for keys a person chose
 * (user ids, models, assistant ids): SQLite's BINARY and MySQL's NO PAD binary collation already
 * order so, while a PostgreSQL database's default collation may be a locale's; there it is
 * `COLLATE "C"`. Exports list rows in this order, so every dialect writes the same bytes.
 */
export const binary = (dialect: Driver['dialect'], column: Column) =>
  dialect === 'postgres' ? sql`${column} collate "C"` : sql`${column}`
