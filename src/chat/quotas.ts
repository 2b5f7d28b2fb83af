import type { Limits } from '../config-file'
import { AppError } from '../errors'
import type { Store } from '../storage/store'

/** A user's own limits, set over the API: user-wide, and per assistant. */
export type UserLimits = Limits & { assistants?: Record<string, Limits> }

type Period = 'day' | 'month'
type Limit = { tokens: number; period: Period; assistantId?: string }

/** How often an instance re-reads whether any user or API assistant has limits. */
const REFRESH_MS = 10_000

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)
/** When the period containing `now` ends (UTC midnight, or the first of the next month). */
export function resetOf(period: Period, now = Date.now()): Date {
  const d = new Date(now)
  return period === 'day'
    ? new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1))
    : new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1))
}

/**
 * Token quotas: per user per UTC day and calendar month, over all assistants (QUOTA_TOKENS_*,
 * raised or lowered per user over the API) and per assistant (its `quota`). Checked before a
 * message that makes the bot work; a reply already running finishes, so a user may end a little
 * over. Without any limit configured the check reads nothing.
 */
export class Quotas {
  private anyStored = false
  private checkedAt = Number.NEGATIVE_INFINITY
  private refreshing: Promise<void> | null = null

  constructor(
    private readonly store: Store,
    private readonly global: { day: number; month: number },
    /** Whether a declared assistant has a quota. */
    private readonly declared: boolean,
    private readonly anyStoredLimits: () => Promise<boolean>,
  ) {}

  /** Whether limits may apply to anyone: read without waiting (a stored change shows within REFRESH_MS). */
  mayApply(): boolean {
    if (performance.now() - this.checkedAt > REFRESH_MS) this.refresh()
    return this.global.day > 0 || this.global.month > 0 || this.declared || this.anyStored
  }

  /** After a change on this instance: seen at once here. */
  changed(): void {
    this.checkedAt = Number.NEGATIVE_INFINITY
    void this.refresh()
  }

  refresh(): Promise<void> {
    this.refreshing ??= this.anyStoredLimits()
      .then((any) => {
        this.anyStored = any
        this.checkedAt = performance.now()
      })
      .catch(() => {}) // the database is away: keep the last answer
      .finally(() => {
        this.refreshing = null
      })
    return this.refreshing
  }

  /** Throws 429 quota_exceeded when `userId` has used up a limit that applies to `assistantId`. */
  async check(userId: string, assistantId: string, assistantQuota: Limits | undefined): Promise<void> {
    const own = ((await this.store.getQuota(userId)) ?? {}) as UserLimits
    const limits: Limit[] = []
    const add = (period: Period, value: number | null | undefined, assistant?: string) => {
      if (value != null) limits.push({ tokens: value, period, ...(assistant ? { assistantId: assistant } : {}) })
    }
    const wide = (period: Period, key: keyof Limits, global: number) =>
      add(period, key in own ? own[key] : global > 0 ? global : null)
    wide('day', 'tokens_per_day', this.global.day)
    wide('month', 'tokens_per_month', this.global.month)
    const mine = own.assistants?.[assistantId] ?? {}
    for (const [period, key] of [
      ['day', 'tokens_per_day'],
      ['month', 'tokens_per_month'],
    ] as const) {
      add(period, key in mine ? mine[key] : assistantQuota?.[key], assistantId)
    }
    if (!limits.length) return
    const now = Date.now()
    for (const limit of limits) {
      const from = limit.period === 'day' ? dayOf(now) : `${dayOf(now).slice(0, 7)}-01`
      const { totals } = await this.store.usage({ userId, assistantId: limit.assistantId, from, limit: 0 })
      const used = totals.input_tokens + totals.output_tokens
      if (used < limit.tokens) continue
      const resets = resetOf(limit.period, now)
      const scope = limit.assistantId ? ` with assistant "${limit.assistantId}"` : ''
      const when = limit.period === 'day' ? 'today' : 'this month'
      throw new AppError(
        'quota_exceeded',
        `Token quota exceeded: ${used} of ${limit.tokens} tokens used ${when}${scope}; it resets at ${resets.toISOString()}`,
        { 'retry-after': String(Math.max(1, Math.ceil((resets.getTime() - now) / 1000))) },
        { resets_at: resets.toISOString() },
      )
    }
  }
}
