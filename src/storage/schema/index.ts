import type * as mysql from './mysql'
import type * as postgres from './postgres'
import type * as sqlite from './sqlite'

// The three schemas must infer identical row types: the shared store is typed against SQLite's.
export type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false
type Rows<S extends typeof sqlite.schema | typeof postgres.schema | typeof mysql.schema> = {
  [K in keyof S]: S[K] extends { $inferSelect: infer R } ? R : never
}

export const _postgresMirrorsSqlite: Same<Rows<typeof postgres.schema>, Rows<typeof sqlite.schema>> = true
export const _mysqlMirrorsSqlite: Same<Rows<typeof mysql.schema>, Rows<typeof sqlite.schema>> = true
