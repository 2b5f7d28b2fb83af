import type { Actor } from '../../auth/actor'
import { isUser } from '../../auth/actor'
import { type Assistant, type Assistants, publicView } from '../../bots/assistants'
import { checkText } from '../../chat/checks'
import { type Quotas, resetOf, type UserLimits } from '../../chat/quotas'
import type { Config } from '../../config'
import type { AssistantSpec } from '../../config-file'
import { AppError } from '../../errors'
import type { Store, UsageQuery } from '../../storage/store'

type Deps = {
  store: Store
  assistants: Assistants
  quotas: Quotas
  config: Pick<Config, 'QUOTA_TOKENS_PER_DAY' | 'QUOTA_TOKENS_PER_MONTH'>
}

export const operatorsOnly = (actor: Actor) => {
  if (isUser(actor)) throw new AppError('forbidden', 'Only API-key callers manage assistants and quotas')
}
/** A user reads only their own usage and quota. */
const ownOnly = (actor: Actor, userId: string | undefined): string | undefined => {
  if (!isUser(actor)) return userId
  if (userId !== undefined && userId !== actor.userId) throw new AppError('forbidden', 'user_id must be your own')
  return actor.userId
}
type UsageFilter = Partial<Record<'user_id' | 'assistant_id' | 'model' | 'from' | 'to', string>> & {
  limit?: number | undefined
}
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** Assistants, usage and quotas as an actor may see and change them. */
export function assistantService({ store, assistants, quotas, config }: Deps) {
  const view = (actor: Actor, a: Assistant) => (isUser(actor) ? publicView(a) : a)
  async function quotaState(userId: string) {
    const now = Date.now()
    const today = day(now)
    const total = async (from: string) => {
      const { totals } = await store.usage({ userId, from, limit: 0 })
      return totals.input_tokens + totals.output_tokens
    }
    return {
      user_id: userId,
      limits: ((await store.getQuota(userId)) as UserLimits | null) ?? null,
      global: { tokens_per_day: config.QUOTA_TOKENS_PER_DAY, tokens_per_month: config.QUOTA_TOKENS_PER_MONTH },
      used: { today: await total(today), this_month: await total(`${today.slice(0, 7)}-01`) },
      resets: { day: resetOf('day', now).toISOString(), month: resetOf('month', now).toISOString() },
    }
  }
  return {
    async list(actor: Actor) {
      const all = await assistants.list()
      return { assistants: all.map((a) => view(actor, a)), default_id: assistants.defaultId }
    },
    async get(actor: Actor, id: string) {
      const found = await assistants.get(id)
      if (!found) throw new AppError('assistant_not_found', 'Assistant not found')
      return view(actor, found)
    },
    async create(actor: Actor, spec: AssistantSpec) {
      operatorsOnly(actor)
      const made = await assistants.create(spec)
      if (spec.quota) quotas.changed()
      return made
    },
    async update(actor: Actor, id: string, patch: Record<string, unknown>) {
      operatorsOnly(actor)
      const changed = await assistants.update(id, patch)
      if ('quota' in patch) quotas.changed()
      return changed
    },
    async remove(actor: Actor, id: string) {
      operatorsOnly(actor)
      await assistants.delete(id)
      quotas.changed()
    },
    async usage(actor: Actor, q: UsageFilter) {
      checkText(q.user_id, ['query', 'user_id'])
      checkText(q.assistant_id, ['query', 'assistant_id'])
      checkText(q.model, ['query', 'model'])
      const query: UsageQuery = {
        userId: ownOnly(actor, q.user_id),
        assistantId: q.assistant_id,
        model: q.model,
        from: q.from,
        to: q.to,
        limit: q.limit ?? 100,
      }
      return store.usage(query)
    },
    async quota(actor: Actor, userId: string) {
      checkText(userId, ['path', 'user_id'])
      return quotaState(ownOnly(actor, userId) as string)
    },
    async setQuota(actor: Actor, userId: string, limits: UserLimits | null) {
      operatorsOnly(actor)
      checkText(userId, ['path', 'user_id'])
      await store.setQuota(userId, limits)
      quotas.changed()
      return quotaState(userId)
    },
  }
}
