import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { t } from 'elysia'
import type { Config } from '../config'
import { Integer } from '../features/messages/model'

/**
 * The API's limits, applied to every imported line as to every request: a file line is held to
 * FILES_MAX_BYTES and FILES_TYPES as an upload is.
 */
export type ImportLimits = Pick<
  Config,
  | 'MAX_MESSAGE_LENGTH'
  | 'MAX_METADATA_BYTES'
  | 'MAX_METADATA_DEPTH'
  | 'MAX_JSON_DEPTH'
  | 'MAX_BODY_BYTES'
  | 'FILES_MAX_BYTES'
  | 'fileTypes'
>

/** A line of an import file that cannot be imported: which line, which field, why. */
export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`line ${line}: ${field === null ? '' : `${field}: `}${reason}`)
  }
}

// The pieces of the line schemas (transfer-checks.ts, transfer-lines.ts).
// Lowercase, as the store makes them (Bun.randomUUIDv7); anything else the API never created.
export const Id = t.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' })
// Counters are int4 columns on PostgreSQL/MySQL; well below 2^31 leaves room to keep counting.
export const Count = (minimum: number) => Integer({ minimum, maximum: 1_000_000_000 })
export const Stamp = t.String()
export const STRICT = { additionalProperties: false }

/** `make(key)`, made once per key. */
export const once = <K, V>(make: (key: K) => V) => {
  const made = new Map<K, V>()
  return (key: K) => {
    const known = made.get(key)
    if (known !== undefined) return known
    const value = make(key)
    made.set(key, value)
    return value
  }
}
const compiled = once((schema: TSchema) => TypeCompiler.Compile(schema))

/** Throws the schema's first complaint about `value`, located at its field. */
export function firstError(schema: TSchema, value: unknown, n: number, rename: Record<string, string> = {}) {
  const check = compiled(schema)
  if (check.Check(value)) return
  const error = check.Errors(value).First()
  const path = (error?.path ?? '').split('/').filter(Boolean)
  const head = path[0] === undefined ? undefined : (rename[path[0]] ?? path[0])
  const got = error && error.value !== undefined ? `, got ${JSON.stringify(error.value).slice(0, 60)}` : ''
  throw new ImportError(n, head === undefined ? null : [head, ...path.slice(1)].join('.'), `${error?.message}${got}`)
}

// Exactly what Date#toISOString writes (the export's form): UTC, milliseconds, years 1970-9999.
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/

/** A record's two times as epoch ms: each as an export writes it, updatedAt not before createdAt. */
export function stamps(r: { createdAt: string; updatedAt: string }, n: number) {
  const ms = (field: 'createdAt' | 'updatedAt') => {
    const text = r[field]
    const value = Date.parse(text)
    if (!ISO.test(text) || Number.isNaN(value) || value < 0 || new Date(value).toISOString() !== text) {
      throw new ImportError(n, field, `expected an ISO-8601 UTC time with milliseconds, got ${JSON.stringify(text)}`)
    }
    return value
  }
  const createdAt = ms('createdAt')
  const updatedAt = ms('updatedAt')
  if (updatedAt < createdAt) throw new ImportError(n, 'updatedAt', 'is before createdAt')
  return { createdAt, updatedAt }
}
