import { describe, expect, test } from 'bun:test'
import fc from 'fast-check'
import { backends } from './backends'
import { liveServer, type WsClient, wsClient } from './live'

/**
 * Sockets joining a conversation while writers post to it get every event after their join
 * point exactly once, in order, on every backend. On PostgreSQL concurrent commits reach the
 * hub out of order, and joins that trusted the log's last seq (rather than where the hub's
 * delivery stood) got events twice or one at their own joined seq.
 */
const WRITERS = 3
const POSTS = 30
const JOINERS = 48

describe.each(await backends())('%s', (_name, backend) => {
  test('joins during concurrent writes: each event after the join point once, in order', async () => {
    const db = await backend()
    const env = { ...db.env, BOT_PROVIDER: 'none', RATE_LIMIT_REQUESTS: '1000000', MAX_SOCKETS_PER_USER: '1000' }
    await using live = await liveServer(env)
    await using _drop = { [Symbol.asyncDispose]: () => live.stop().then(db.drop) }
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    // When each joiner starts (after how many acknowledged posts), and whether it replays.
    const plan = fc.sample(
      fc.record({ after: fc.nat(WRITERS * POSTS - 1), replay: fc.oneof(fc.constant(null), fc.nat(20)) }),
      { numRuns: JOINERS, seed: 17 },
    )
    let posted = 0
    const waiting: { at: number; go: () => void }[] = []
    const joined: { c: WsClient; from: number }[] = []
    const joins = plan.map(async ({ after, replay }) => {
      if (posted < after) await new Promise<void>((go) => waiting.push({ at: after, go }))
      const c = await wsClient(live.ws)
      const since = replay === null ? {} : { since_seq: Math.min(replay, posted) }
      const { seq } = await c.join(id, since)
      joined.push({ c, from: replay === null ? seq : Math.min(since.since_seq as number, seq) })
    })
    const writers = Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < POSTS; i++) {
        const res = await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: `${w}:${i}` })
        expect(res.status).toBe(201)
        posted++
        for (const x of waiting.filter((x) => x.at <= posted)) {
          waiting.splice(waiting.indexOf(x), 1)
          x.go()
        }
      }
    })
    await Promise.all([...writers, ...joins])
    try {
      expect((await live.call('GET', `/conversations/${id}`)).body.message_count).toBe(WRITERS * POSTS)
      using probe = await wsClient(live.ws)
      const final = (await probe.join(id)).seq
      for (const { c, from } of joined) {
        if (from < final) await c.next('new_message', (d) => d.seq === final, 5000).catch(() => null)
        const seqs = c.inbox.arrived
          .filter((r) => r.event !== 'joined' && r.data?.seq !== undefined)
          .map((r) => r.data.seq)
        // Exactly the seqs after the join point, each once, in order.
        expect(seqs).toEqual(Array.from({ length: final - from }, (_, i) => from + 1 + i))
      }
    } finally {
      for (const { c } of joined) c.close()
    }
  }, 30_000)
})
