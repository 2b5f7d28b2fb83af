import type { Database, SQLQueryBindings } from 'bun:sqlite'
import { Column, is, Param, Placeholder } from 'drizzle-orm'

/** A compiled query: run with named values; returns rows as Drizzle would (`[]` for writes). */
export type CompiledStatement = { all(values: Record<string, unknown>): unknown[] }

type Query = { toSQL(): { sql: string; params: unknown[] }; prepare(): unknown }

/** What a select selects, by key: its `.select()` argument, or the table's columns. */
export type Selection = Record<string, unknown>

/**
 * Runs a query Drizzle built on the connection itself, through Drizzle's public API only: its
 * SQL and parameters (`toSQL()`, placeholders as `Placeholder` or `Param` of one) are prepared on
 * bun:sqlite once, and each call binds the values. A write returns nothing to map. A plain select
 * of columns without decoders, whose `selection` the caller gives, is prepared with each column
 * renamed to its key (`"conversation_id" as "conversationId"`), so SQLite's own row objects are
 * Drizzle's rows: no mapping in JS (~3 µs of a 10-row page). Anything else (decoders, joins,
 * expressions, SQL that does not read as expected) keeps Drizzle's prepared query.
 */
export function compileStatement(query: Query, client?: Database, selection?: Selection): CompiledStatement {
  if (!client) return query.prepare() as CompiledStatement
  const { sql: text, params } = query.toSQL()
  const bind = binder(params)
  if (/^(insert|update|delete) /.test(text) && !/ returning /.test(text)) {
    const statement = client.prepare(text)
    return {
      all(values) {
        statement.run(...bind(values))
        return []
      },
    }
  }
  const keyed = selection && keyedSql(text, selection)
  if (!keyed) return query.prepare() as CompiledStatement
  const statement = client.prepare(keyed)
  return { all: (values) => statement.all(...bind(values)) as unknown[] }
}

type Arg = (values: Record<string, unknown>) => unknown

/** The statement's arguments from named values: placeholders read (and encoded), constants kept. */
function binder(params: unknown[]): (values: Record<string, unknown>) => SQLQueryBindings[] {
  const read = (name: string) => (values: Record<string, unknown>) => {
    const value = values[name]
    // A value may be given as undefined, but its key must be there (as in Drizzle).
    if (value === undefined && !(name in values)) throw new Error(`No value for placeholder "${name}" was provided`)
    return value
  }
  const args: Arg[] = params.map((param) => {
    if (is(param, Placeholder)) return read(param.name)
    if (is(param, Param) && is(param.value, Placeholder)) {
      const value = read(param.value.name)
      const { encoder } = param
      return (values) => encoder.mapToDriverValue(value(values))
    }
    return () => param
  })
  const n = args.length
  return (values) => {
    const out = new Array<SQLQueryBindings>(n)
    for (let i = 0; i < n; i++) out[i] = (args[i] as Arg)(values) as SQLQueryBindings
    return out
  }
}

const identity = Column.prototype.mapFromDriverValue

/** The select with its columns renamed to their keys, or null when it is not a plain select of them. */
function keyedSql(text: string, selection: Selection): string | null {
  const entries = Object.entries(selection)
  if (!entries.every(([key, c]) => is(c, Column) && c.mapFromDriverValue === identity && /^[A-Za-z_]\w*$/.test(key)))
    return null
  const columns = entries as [string, Column][]
  const head = `select ${columns.map(([, c]) => `"${c.name}"`).join(', ')} from `
  if (!text.startsWith(head)) return null
  const renamed = columns.map(([key, c]) => `"${c.name}" as "${key}"`).join(', ')
  return `select ${renamed} from ${text.slice(head.length)}`
}
