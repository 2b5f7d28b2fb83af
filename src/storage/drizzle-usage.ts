import { and, desc, eq, gte, lte, type SQL, sql } from 'drizzle-orm'
import type { Db, Driver, Tables } from './driver'
import { binary, upsert } from './drizzle-dialect'
import type { Generation, Store, UsageRow } from './store'

type UsageTableRow = Tables['usage']['$inferSelect']

/** The longest assistant id and model a usage row keys on, in characters (code points). */
export const USAGE_ASSISTANT_CHARS = 64
export const USAGE_MODEL_CHARS = 200

/** The UTC day of an epoch-ms time, YYYY-MM-DD. */
export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * A usage key as every database stores it the same way: a provider may report any model name,
 * and a reply is not lost over it, so NULs (which PostgreSQL's text cannot hold) go, lone
 * surrogates become U+FFFD and the name is cut to `max` code points (MySQL's varchar counts
 * those). Almost always the value itself, untouched.
 */
export function usageKey(value: string | null | undefined, max: number): string {
  if (!value) return ''
  const text = value.includes('\u0000') ? value.replaceAll('\u0000', '') : value
  const valid = text.isWellFormed() ? text : text.toWellFormed()
  return valid.length <= max ? valid : Array.from(valid).slice(0, max).join('')
}

/** The values of `addUsage` for a reply stored at `now` in a conversation of `userId`. */
export function usageValues(userId: string, generation: Generation, now: number) {
  return {
    userId,
    day: utcDay(now),
    assistantId: usageKey(generation.assistant_id, USAGE_ASSISTANT_CHARS),
    model: usageKey(generation.model, USAGE_MODEL_CHARS),
    input: generation.usage?.input_tokens ?? 0,
    output: generation.usage?.output_tokens ?? 0,
  }
}

/**
 * Adds one reply to its usage row (the row made by the first reply of its key): an upsert, so
 * concurrent replies of one user, day, assistant and model all count. Built with the named
 * parameters of usageValues (see Driver.prepare).
 */
export function addUsageQuery(driver: Driver, d: Db, p: (name: string) => unknown) {
  const { usage: u } = driver.tables
  const insert = d.insert(u).values({
    userId: p('userId') as string,
    day: p('day') as string,
    assistantId: p('assistantId') as string,
    model: p('model') as string,
    inputTokens: p('input') as number,
    outputTokens: p('output') as number,
    replies: 1,
  })
  return upsert(driver.dialect, insert, [u.userId, u.day, u.assistantId, u.model], {
    inputTokens: sql`${u.inputTokens} + ${p('input')}`,
    outputTokens: sql`${u.outputTokens} + ${p('output')}`,
    replies: sql`${u.replies} + 1`,
  })
}

const toUsage = (r: UsageTableRow): UsageRow => ({
  user_id: r.userId,
  day: r.day,
  assistant_id: r.assistantId,
  model: r.model,
  input_tokens: r.inputTokens,
  output_tokens: r.outputTokens,
  replies: r.replies,
})

type Sums = { input: unknown; output: unknown; replies: unknown }

/** Store.usage: rows and their totals, read together (one snapshot on SQLite). */
export function usageQueries(driver: Driver): Pick<Store, 'usage'> {
  const { usage: u } = driver.tables
  const text = (column: Parameters<typeof binary>[1]) => binary(driver.dialect, column)
  return {
    usage({ userId, assistantId, model, from, to, limit }) {
      const where: (SQL | undefined)[] = [
        userId === undefined ? undefined : eq(u.userId, userId),
        assistantId === undefined ? undefined : eq(u.assistantId, assistantId),
        model === undefined ? undefined : eq(u.model, model),
        // Days compare as strings: every one is YYYY-MM-DD.
        from === undefined ? undefined : gte(u.day, from),
        to === undefined ? undefined : lte(u.day, to),
      ]
      return driver.read(function* (tx) {
        // `limit: 0` asks for the totals alone (a quota check): no rows query at all.
        const rows =
          limit <= 0
            ? []
            : ((yield tx
                .select()
                .from(u)
                .where(and(...where))
                .orderBy(desc(u.day), text(u.userId), text(u.assistantId), text(u.model))
                .limit(limit)) as UsageTableRow[])
        // SUM is an integer on SQLite, numeric (a string) on PostgreSQL, DECIMAL (a string
        // from mysql2) on MySQL, and NULL over no rows: COALESCE, then a number.
        const [sums] = (yield tx
          .select({
            input: sql`coalesce(sum(${u.inputTokens}), 0)`,
            output: sql`coalesce(sum(${u.outputTokens}), 0)`,
            replies: sql`coalesce(sum(${u.replies}), 0)`,
          })
          .from(u)
          .where(and(...where))) as Sums[]
        const totals = {
          input_tokens: Number(sums?.input ?? 0),
          output_tokens: Number(sums?.output ?? 0),
          replies: Number(sums?.replies ?? 0),
        }
        return { rows: rows.map(toUsage), totals }
      })
    },
  }
}
