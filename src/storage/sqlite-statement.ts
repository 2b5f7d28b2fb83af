import type { Database, Statement } from 'bun:sqlite'
import { Column, is, Param, Placeholder } from 'drizzle-orm'

/** A compiled query: run with named values; returns rows as Drizzle would (`[]` for writes). */
export type CompiledStatement = { all(values: Record<string, unknown>): unknown[] }

/** The parts of Drizzle's bun-sqlite prepared query this uses (not in its public typings). */
type DrizzlePrepared = {
  stmt: Statement
  query: { sql?: unknown; params: unknown[] }
  fields?: { path: string[]; field: unknown }[]
  customResultMapper?: unknown
  all(values: Record<string, unknown>): unknown[]
}

/**
 * Runs a query Drizzle built and prepared without Drizzle's per-call work: its placeholder
 * filling and row mapping (a generic loop over each column) cost as much as SQLite's own work
 * for a 10-row page. Parameters are bound from a precomputed list; given the connection, rows of
 * undecoded columns come keyed from SQLite itself, others are built by a function generated for
 * the selection, with column decoders only where a column has one. Anything unusual (nested
 * selections, SQL expressions, a custom mapper) keeps Drizzle's own path.
 */
export function compileStatement(query: { prepare(): unknown }, client?: Database): CompiledStatement {
  const prepared = query.prepare() as DrizzlePrepared
  const { stmt, fields, customResultMapper } = prepared
  const params = prepared.query?.params
  const plainFields =
    fields?.every((f) => f.path.length === 1 && is(f.field, Column) && /^[A-Za-z_$][\w$]*$/.test(f.path[0] ?? '')) ??
    true
  if (!stmt || !Array.isArray(params) || customResultMapper || !plainFields) return prepared
  const bind = params.map(binder)
  // A loop, not bind.map(b => b(values)): no closure per call on the hot paths.
  const args = (values: Record<string, unknown>) => {
    const out = new Array(bind.length)
    for (let i = 0; i < bind.length; i++) out[i] = (bind[i] as (values: Record<string, unknown>) => unknown)(values)
    return out as never[]
  }
  if (!fields) {
    return {
      all(values) {
        stmt.run(...args(values))
        return []
      },
    }
  }
  const columns = fields as { path: [string]; field: Column }[]
  const keyed = client && keyedStatement(client, prepared, columns)
  if (keyed) {
    stmt.finalize() // Drizzle's own statement for the same query is not used
    return { all: (values) => keyed.all(...args(values)) }
  }
  const toRow = rowMapper(columns)
  return { all: (values) => stmt.values(...args(values)).map(toRow) }
}

/**
 * The same query with each column renamed to its key (`"conversation_id" as "conversationId"`),
 * so SQLite's own row objects are Drizzle's rows: no array per row and no mapping in JS, which
 * measured ~3 µs less for a 10-row page. Only for plain selects of columns without decoders
 * whose SQL starts exactly as Drizzle writes such a select list; anything else is mapped.
 */
function keyedStatement(
  client: Database,
  prepared: DrizzlePrepared,
  columns: { path: [string]; field: Column }[],
): Statement | null {
  const { sql } = prepared.query
  if (typeof sql !== 'string' || columns.some(({ field }) => field.mapFromDriverValue !== identity)) return null
  const head = `select ${columns.map(({ field }) => `"${field.name}"`).join(', ')} from `
  if (!sql.startsWith(head)) return null
  const renamed = columns.map(({ path: [key], field }) => `"${field.name}" as "${key}"`).join(', ')
  return client.prepare(`select ${renamed} from ${sql.slice(head.length)}`)
}

/** How one bound parameter gets its value: a named placeholder, an encoded one, or a constant. */
function binder(param: unknown): (values: Record<string, unknown>) => unknown {
  const named = (name: string) => (values: Record<string, unknown>) => {
    if (!(name in values)) throw new Error(`No value for placeholder "${name}" was provided`)
    return values[name]
  }
  if (is(param, Placeholder)) return named(param.name)
  if (is(param, Param) && is(param.value, Placeholder)) {
    const value = named(param.value.name)
    const { encoder } = param
    return (values) => encoder.mapToDriverValue(value(values))
  }
  return () => param
}

const identity = Column.prototype.mapFromDriverValue

/** `(row) => ({ id: row[0], … })` for this selection; decoders only for columns that have one. */
function rowMapper(fields: { path: [string]; field: Column }[]): (row: unknown[]) => Record<string, unknown> {
  const decoders = fields.map(({ field }) => (field.mapFromDriverValue === identity ? null : field))
  const props = fields.map(({ path: [key] }, i) =>
    decoders[i] ? `${key}: r[${i}] === null ? null : d[${i}].mapFromDriverValue(r[${i}])` : `${key}: r[${i}]`,
  )
  const build = new Function('d', `return (r) => ({ ${props.join(', ')} })`) as (
    d: (Column | null)[],
  ) => (row: unknown[]) => Record<string, unknown>
  return build(decoders)
}
