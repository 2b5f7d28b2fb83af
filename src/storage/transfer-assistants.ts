import { and, asc, eq, inArray, or, type SQL, sql } from 'drizzle-orm'
import { type Db, type Driver, run } from './driver'
import { binary } from './drizzle-dialect'
import { iso } from './rows'
import { type AssistantRow, type QuotaRow, TAIL, type UsageTableRow } from './transfer-lines'

// Assistants, quotas and usage rows in an export (format 4): written after the files, each
// kind in the byte order of its key (the same on every dialect, so the same bytes), read back
// by keyset pages; imported in batches, a row whose key is stored already skipped.

const PAGE = 500
// Rows per import transaction (a usage batch is 4 parameters a row in its lookup).
const BATCH_ROWS = 100
const BATCH_CHARS = 256 * 1024

export type TailExportLine =
  | { type: 'assistant'; id: string; spec: unknown; createdAt: string; updatedAt: string }
  | { type: 'quota'; userId: string; limits: unknown; updatedAt: string }
  | ({ type: 'usage' } & UsageTableRow)

/** The assistant, quota and usage lines of an export, as records (not yet serialized). */
export async function* exportTail(driver: Driver): AsyncGenerator<TailExportLine> {
  const { db, tables, dialect } = driver
  const { assistants: a, quotas: qu, usage: u } = tables
  const text = (column: Parameters<typeof binary>[1]) => binary(dialect, column)
  for (let after: string | null = null; ; ) {
    const rows: AssistantRow[] = await db
      .select()
      .from(a)
      .where(after === null ? undefined : sql`${text(a.id)} > ${after}`)
      .orderBy(text(a.id))
      .limit(PAGE)
    for (const r of rows) {
      const { spec, createdAt, updatedAt } = r
      yield {
        type: 'assistant',
        id: r.id,
        spec: JSON.parse(spec),
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
      }
    }
    if (rows.length < PAGE) break
    after = (rows.at(-1) as AssistantRow).id
  }
  for (let after: string | null = null; ; ) {
    const rows: QuotaRow[] = await db
      .select()
      .from(qu)
      .where(after === null ? undefined : sql`${text(qu.userId)} > ${after}`)
      .orderBy(text(qu.userId))
      .limit(PAGE)
    for (const r of rows) {
      yield { type: 'quota', userId: r.userId, limits: JSON.parse(r.limits), updatedAt: iso(r.updatedAt) }
    }
    if (rows.length < PAGE) break
    after = (rows.at(-1) as QuotaRow).userId
  }
  // Keyset pages over the four-column key, compared as a row value (every dialect has them).
  const key = sql`(${text(u.userId)}, ${u.day}, ${text(u.assistantId)}, ${text(u.model)})`
  for (let after: UsageTableRow | null = null; ; ) {
    const rows: UsageTableRow[] = await db
      .select()
      .from(u)
      .where(after ? sql`${key} > (${after.userId}, ${after.day}, ${after.assistantId}, ${after.model})` : undefined)
      .orderBy(text(u.userId), asc(u.day), text(u.assistantId), text(u.model))
      .limit(PAGE)
    for (const r of rows) yield { type: 'usage', ...r }
    if (rows.length < PAGE) break
    after = rows.at(-1) as UsageTableRow
  }
}

export type TailRecord =
  | { type: 'assistant'; row: AssistantRow }
  | { type: 'quota'; row: QuotaRow }
  | { type: 'usage'; row: UsageTableRow }
type Kind = TailRecord['type']

export type TailResult = Record<'assistants' | 'quotas' | 'usage', number> &
  Record<'assistantsSkipped' | 'quotasSkipped' | 'usageSkipped', number>

/**
 * Writes assistant, quota and usage rows in small transactions, skipping those whose key is
 * stored already (this data imported before, or made since): never overwritten, never merged.
 * Usage comes only from these lines: imported messages add none.
 */
export function tailWriter(driver: Driver, pace: (started: number) => Promise<void>) {
  const { assistants: a, quotas: qu, usage: u } = driver.tables
  const result: TailResult = {
    assistants: 0,
    assistantsSkipped: 0,
    quotas: 0,
    quotasSkipped: 0,
    usage: 0,
    usageSkipped: 0,
  }
  let kind: Kind | null = null
  let batch: TailRecord['row'][] = []
  let chars = 0

  /** The keys of `rows` already stored, as TAIL keys them. */
  function* stored(tx: Db, type: Kind, rows: TailRecord['row'][]) {
    let found: unknown[]
    if (type === 'assistant') {
      const ids = (rows as AssistantRow[]).map((r) => r.id)
      found = yield* run(tx.select({ id: a.id }).from(a).where(inArray(a.id, ids)))
    } else if (type === 'quota') {
      const ids = (rows as QuotaRow[]).map((r) => r.userId)
      found = yield* run(tx.select({ userId: qu.userId }).from(qu).where(inArray(qu.userId, ids)))
    } else {
      const keys: SQL[] = (rows as UsageTableRow[]).map(
        (r) =>
          and(eq(u.userId, r.userId), eq(u.day, r.day), eq(u.assistantId, r.assistantId), eq(u.model, r.model)) as SQL,
      )
      found = yield* run(
        tx
          .select()
          .from(u)
          .where(or(...keys)),
      )
    }
    return new Set(found.map((row) => TAIL[type].key(row as never)))
  }

  async function flush() {
    const type = kind
    const rows = batch
    if (!type || rows.length === 0) return
    batch = []
    chars = 0
    const table = type === 'assistant' ? a : type === 'quota' ? qu : u
    const started = performance.now()
    const written = await driver.transaction(function* (tx) {
      const have = yield* stored(tx, type, rows)
      const fresh = rows.filter((r) => !have.has(TAIL[type].key(r as never)))
      if (fresh.length > 0) yield* run(tx.insert(table).values(fresh as never))
      return fresh.length
    })
    const counted = type === 'assistant' ? 'assistants' : type === 'quota' ? 'quotas' : 'usage'
    result[counted] += written
    result[`${counted}Skipped`] += rows.length - written
    await pace(started)
  }

  return {
    result,
    async add(record: TailRecord) {
      if (kind !== record.type) await flush()
      kind = record.type
      batch.push(record.row)
      chars += 'spec' in record.row ? record.row.spec.length : 'limits' in record.row ? record.row.limits.length : 64
      if (batch.length >= BATCH_ROWS || chars >= BATCH_CHARS) await flush()
    },
    flush,
  }
}
