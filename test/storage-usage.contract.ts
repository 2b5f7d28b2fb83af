import { expect, setSystemTime, test } from 'bun:test'
import type { Generation, NewMessage, Store, UsageQuery } from '../src/storage/store'

/** Ids nobody else in the shared contract database uses. */
export const unique = (prefix: string) => `${prefix}-${Bun.randomUUIDv7()}`

/** A generation as the reply runner stores it: model, tokens (null: none reported), assistant. */
export const gen = (
  model: string | null,
  tokens: [number, number] | null,
  assistant_id?: string | null,
): Generation => ({
  ...(assistant_id !== undefined && { assistant_id }),
  model,
  finish_reason: 'stop',
  usage: tokens && { input_tokens: tokens[0], output_tokens: tokens[1], estimated: false },
  duration_ms: 5,
})

/**
 * The usage and quotas part of the Store contract (run inside storeContract, once per dialect):
 * usage rows summed from replies in their transaction, filtered, limited and totalled; per-user
 * quotas.
 */
export function usageCases(store: () => Store) {
  const reply = async (conversationId: string, generation: Generation, extra: Partial<NewMessage> = {}) => {
    const r = await store().createMessage({
      conversationId,
      sender: 'ai',
      content: 'r',
      metadata: {},
      generation,
      ...extra,
    })
    if (!r) throw new Error('conversation missing')
    return r
  }

  test('usage: replies add to their row in their transaction, exactly; a duplicate adds nothing; deletes keep it', async () => {
    const user = unique('spender')
    const c = await store().createConversation({ userId: user, title: null, metadata: {} })
    setSystemTime(new Date('2091-03-04T23:59:59.999Z'))
    const first = await reply(c.id, gen('m1', [10, 20], 'helper'), { clientId: 'r1' })
    await reply(c.id, gen('m1', [5, 7], 'helper'))
    expect((await reply(c.id, gen('m1', [999, 999], 'helper'), { clientId: 'r1' })).duplicate).toBe(true)
    await reply(c.id, gen('m2', null, 'helper'))
    await reply(c.id, gen('m1', [1, 1], null))
    await reply(c.id, gen(null, [2, 3]))
    await reply(c.id, gen('m1 ', [1, 0], 'helper')) // another key: a trailing space counts
    await store().createMessage({ conversationId: c.id, sender: 'user', content: 'no generation', metadata: {} })
    setSystemTime(new Date('2091-03-05T00:00:00.000Z'))
    await reply(c.id, gen('m1', [100, 200], 'helper'))
    // Concurrent replies on one new key: every one counts (one insert, the others update).
    await Promise.all(Array.from({ length: 12 }, () => reply(c.id, gen('m3', [1, 2], 'helper'))))
    setSystemTime()
    // The conversation's own totals: every reply but the duplicate.
    expect((await store().getConversation(c.id))?.usage).toEqual({ input_tokens: 131, output_tokens: 255 })

    const row = (day: string, assistant_id: string, model: string, i: number, o: number, replies: number) => ({
      user_id: user,
      day,
      assistant_id,
      model,
      input_tokens: i,
      output_tokens: o,
      replies,
    })
    const all = [
      row('2091-03-05', 'helper', 'm1', 100, 200, 1),
      row('2091-03-05', 'helper', 'm3', 12, 24, 12),
      row('2091-03-04', '', '', 2, 3, 1),
      row('2091-03-04', '', 'm1', 1, 1, 1),
      row('2091-03-04', 'helper', 'm1', 15, 27, 2),
      row('2091-03-04', 'helper', 'm1 ', 1, 0, 1),
      row('2091-03-04', 'helper', 'm2', 0, 0, 1),
    ]
    const totals = (rows: typeof all) => ({
      input_tokens: rows.reduce((n, r) => n + r.input_tokens, 0),
      output_tokens: rows.reduce((n, r) => n + r.output_tokens, 0),
      replies: rows.reduce((n, r) => n + r.replies, 0),
    })
    const usage = (q: Omit<UsageQuery, 'limit'> & { limit?: number } = {}) =>
      store().usage({ userId: user, ...q, limit: q.limit ?? 100 })
    expect(await usage()).toEqual({ rows: all, totals: totals(all) })

    // Filters, each alone and together; the limit cuts the rows, never the totals.
    const only = (keep: (r: (typeof all)[number]) => boolean) => all.filter(keep)
    expect((await usage({ assistantId: 'helper' })).rows).toEqual(only((r) => r.assistant_id === 'helper'))
    expect((await usage({ model: 'm1' })).rows).toEqual(only((r) => r.model === 'm1'))
    expect((await usage({ assistantId: '' })).rows).toEqual(only((r) => r.assistant_id === ''))
    expect((await usage({ from: '2091-03-05' })).rows).toEqual(only((r) => r.day === '2091-03-05'))
    expect((await usage({ to: '2091-03-04' })).rows).toEqual(only((r) => r.day === '2091-03-04'))
    const oneDay = await usage({ from: '2091-03-04', to: '2091-03-04', model: 'm1', assistantId: 'helper' })
    expect(oneDay.rows).toEqual(all.slice(4, 5))
    const limited = await usage({ limit: 2 })
    expect(limited).toEqual({ rows: all.slice(0, 2), totals: totals(all) })
    // The totals alone (what a quota check asks).
    expect(await usage({ limit: 0, from: '2091-03-05' })).toEqual({ rows: [], totals: totals(all.slice(0, 2)) })
    expect(await usage({ from: '2091-03-06' })).toEqual({
      rows: [],
      totals: { input_tokens: 0, output_tokens: 0, replies: 0 },
    })
    // Every user's rows of those days (no other test writes them).
    const everyone = await store().usage({ from: '2091-03-04', to: '2091-03-05', limit: 100 })
    expect(everyone).toEqual({ rows: all, totals: totals(all) })
    expect((await usage({ userId: `${user} ` })).rows).toEqual([])

    // Billing history: deleting replies or the conversation takes nothing back.
    await store().deleteMessage(c.id, first.message.id)
    await store().deleteConversation(c.id)
    expect(await usage()).toEqual({ rows: all, totals: totals(all) })
  })

  test('usage keys every database can store: models cut to 200 characters, without NUL', async () => {
    const user = unique('long-model')
    const c = await store().createConversation({ userId: user, title: null, metadata: {} })
    const model = `${'😀'.repeat(150)}${'m'.repeat(100)}`
    await reply(c.id, gen(model, [1, 1], 'a\u0000b'))
    await reply(c.id, gen(`${model}-other-tail`, [1, 1], 'ab'))
    const { rows } = await store().usage({ userId: user, limit: 10 })
    expect(rows.map((r) => [r.assistant_id, r.model, r.replies])).toEqual([
      ['ab', `${'😀'.repeat(150)}${'m'.repeat(50)}`, 2],
    ])
    // The message keeps its generation as reported.
    const tree = await store().tree(c.id, 0, 10)
    expect(tree?.messages[0]?.generation?.model).toBe(model)
  })

  test('quotas: a JSON object per user, kept byte for byte, replaced, removed with null', async () => {
    const user = unique('limited')
    expect(await store().getQuota(user)).toBeNull()
    const limits = { tokens_per_day: 1000, z: [1, 2], a: { nested: 'é' } }
    await store().setQuota(user, limits)
    expect(JSON.stringify(await store().getQuota(user))).toBe(JSON.stringify(limits))
    expect(await store().getQuota(`${user} `)).toBeNull()
    await store().setQuota(user, { tokens_per_month: 5 })
    expect(await store().getQuota(user)).toEqual({ tokens_per_month: 5 })
    await store().setQuota(user, null)
    expect(await store().getQuota(user)).toBeNull()
    await store().setQuota(user, null) // none: still fine
    expect(await store().anyQuotas()).toBe(false)
    await Promise.all(Array.from({ length: 8 }, (_, i) => store().setQuota(user, { i })))
    expect(Object.keys((await store().getQuota(user)) ?? {})).toEqual(['i'])
    expect(await store().anyQuotas()).toBe(true)
    await store().setQuota(user, null)
  })
}
