import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { SQL } from 'bun'
import { spawnInstance } from './cluster'
import { createPostgresDatabase, needs } from './databases'
import { type WsClient, wsClient } from './live'
import { sioClient } from './sio'

const up = (await needs('PostgreSQL')) && (await needs('Redis'))

/** The stored-change events a client saw, as "event:seq", in arrival order. */
const changes = (c: WsClient) =>
  c.inbox.arrived
    .filter((r) => r.data?.seq !== undefined && r.event !== 'joined')
    .map((r) => `${r.event}:${r.data.seq}`)

/** Everything a client saw of bot replies, in arrival order. */
const replyTrace = (c: WsClient) =>
  c.inbox.arrived
    .filter(
      (r) =>
        r.event === 'message_delta' ||
        (r.event === 'typing' && r.data.userId === 'ai') ||
        (r.event === 'new_message' && r.data.sender === 'ai'),
    )
    .map((r) =>
      r.event === 'message_delta'
        ? `delta:${r.data.messageId}:${r.data.index}`
        : r.event === 'typing'
          ? `typing:${r.data.isTyping}`
          : `reply:${r.data.id}`,
    )

describe.if(up).each(['postgres', 'redis'])('three instances on one PostgreSQL database, BUS=%s', (bus) => {
  test('every event reaches the sockets of every instance exactly once, in order', async () => {
    const db = await createPostgresDatabase()
    const env = { DATABASE_URL: db.url, BUS: bus, BUILTIN_BOT_DELAY_MS: '5' }
    const instances = await Promise.all([spawnInstance(env), spawnInstance(env), spawnInstance(env)])
    const clients: WsClient[] = []
    try {
      const [a, b, c] = instances as [
        Awaited<ReturnType<typeof spawnInstance>>,
        ...Awaited<ReturnType<typeof spawnInstance>>[],
      ]
      const id = (await a.call('POST', '/conversations/', { user_id: 'u' })).body.id
      for (const inst of instances) clients.push(await wsClient(inst.ws), await wsClient(inst.ws))
      for (const client of clients) await client.join(id)
      await Bun.sleep(100) // the LISTEN/SUBSCRIBE of every instance is live

      // REST writes on A reach sockets on B and C.
      const m = (await a.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'from A' })).body
      await b?.call('PUT', `/conversations/${id}/messages/${m.id}`, { content: 'edited on B' })
      await c?.call('DELETE', `/conversations/${id}/messages/${m.id}`)
      // Concurrent writers on all three instances.
      await Promise.all(
        instances.flatMap((inst, i) =>
          Array.from({ length: 8 }, (_, k) =>
            inst.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: `i${i}-${k}` }),
          ),
        ),
      )
      // A bot reply started from a socket on B streams to everyone.
      clients[2]?.emit('send_message', { conversationId: id, content: 'hello' })
      for (const client of clients)
        await client.next('typing', (d) => d.userId === 'ai' && d.isTyping === false, 10_000)
      await Bun.sleep(300)

      // Socket.IO rooms span instances too, and replay and idempotency are database-backed.
      using sio = await sioClient(c?.base as string, { transports: ['websocket'] })
      await sio.join(id, { since_seq: 27 })
      expect((await sio.next('new_message')).seq).toBe(28)
      expect((await sio.next('new_message')).seq).toBe(29)
      const sent = await sio.socket.emitWithAck('send_message', {
        conversationId: id,
        content: 'once',
        clientId: 'k-1',
      })
      using retry = await wsClient((a as { ws: string }).ws)
      retry.emit('send_message', { conversationId: id, content: 'once', clientId: 'k-1' })
      expect((await retry.next('new_message', (d) => d.id === sent.message.id)).seq).toBe(30)
      for (const client of clients) await client.next('new_message', (d) => d.seq === 31, 10_000) // its reply
      await Bun.sleep(200)

      const expected = ['new_message:1', 'message_updated:2', 'message_deleted:3']
      // 24 concurrent posts (4-27), the user's message (28), the bot's reply (29).
      for (let s = 4; s <= 31; s++) expected.push(`new_message:${s}`)
      for (const client of clients) expect(changes(client)).toEqual(expected)
      const trace = replyTrace(clients[0] as WsClient)
      expect(trace.filter((t) => t.startsWith('delta')).length).toBeGreaterThan(2)
      for (const client of clients) expect(replyTrace(client)).toEqual(trace)
      for (const client of clients)
        expect(client.inbox.named('typing').filter((t) => t.userId === 'ai')).toHaveLength(4)
    } finally {
      for (const client of clients) client.close()
      await Promise.all(instances.map((i) => i.stop()))
      await db.drop()
    }
  }, 60_000)

  test('replies of one conversation run one at a time across instances; a killed instance loses no stored message', async () => {
    const db = await createPostgresDatabase()
    const env = { DATABASE_URL: db.url, BUS: bus, BUILTIN_BOT_DELAY_MS: '15' }
    const [a, b] = await Promise.all([spawnInstance(env), spawnInstance(env)])
    const victim = await spawnInstance(env)
    const clients: WsClient[] = []
    try {
      const id = (await a.call('POST', '/conversations/', { user_id: 'u' })).body.id
      const [onA, onB, onVictim] = [await wsClient(a.ws), await wsClient(b.ws), await wsClient(victim.ws)]
      clients.push(onA, onB, onVictim)
      for (const client of clients) await client.join(id)
      await Bun.sleep(100)
      onA.emit('send_message', { conversationId: id, content: 'hello from A' })
      onB.emit('send_message', { conversationId: id, content: 'hello from B' })
      for (let i = 0; i < 2; i++) await onA.next('typing', (d) => d.userId === 'ai' && !d.isTyping, 15_000)
      // Between typing on and off, only one reply's deltas: the two never interleave.
      let current: string | null = null
      for (const t of replyTrace(onA)) {
        if (t === 'typing:true') current = 'open'
        else if (t === 'typing:false') current = null
        else if (t.startsWith('delta')) {
          const messageId = t.split(':')[1] as string
          if (current === 'open') current = messageId
          expect(messageId).toBe(current as string)
        }
      }
      expect(onA.inbox.named('new_message').filter((m) => m.sender === 'ai')).toHaveLength(2)

      // Kill an instance in the middle of a reply it generates.
      const earlier = new Set(onA.inbox.named('message_delta').map((d) => d.messageId))
      onVictim.emit('send_message', { conversationId: id, content: 'hello from the victim' })
      await onA.next('new_message', (d) => d.content === 'hello from the victim', 10_000)
      await onA.next('message_delta', (d) => d.index === 1 && !earlier.has(d.messageId), 10_000)
      await victim.stop('SIGKILL')
      const stored = (await a.call('GET', `/conversations/${id}/messages?size=100`)).body.messages
      expect(
        stored
          .filter((m: { sender: string }) => m.sender === 'user')
          .map((m: { content: string }) => m.content)
          .sort(),
      ).toEqual(['hello from A', 'hello from B', 'hello from the victim'])
      expect(stored).toHaveLength(5)
      // The dead instance's lease expires; the conversation keeps getting replies.
      onB.emit('send_message', { conversationId: id, content: 'still there?' })
      const reply = await onB.next('new_message', (d) => d.sender === 'ai' && d.content.includes('still there'), 25_000)
      expect(reply.reply_to).toBeTruthy()
    } finally {
      for (const client of clients) client.close()
      await Promise.all([a.stop(), b.stop(), victim.stop('SIGKILL')])
      await db.drop()
    }
  }, 60_000)
})

test.if(up)(
  'two instances starting together on an empty database migrate it once',
  async () => {
    const db = await createPostgresDatabase()
    const env = { DATABASE_URL: db.url, BUS: 'postgres' }
    const both = await Promise.allSettled([spawnInstance(env), spawnInstance(env)])
    const started = both.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []))
    try {
      expect(started.length).toBe(2)
      for (const inst of started) expect((await inst.call('GET', '/health/ready')).status).toBe(200)
      const sql = new SQL(db.url)
      const rows = await sql`SELECT count(*)::int AS n FROM drizzle.__drizzle_migrations`
      const journal = await Bun.file(join(import.meta.dir, '../drizzle/postgres/meta/_journal.json')).json()
      expect(rows[0].n).toBe(journal.entries.length)
      await sql.close()
    } finally {
      // Stopped even when an assertion failed: a failed run must not leave servers behind.
      await Promise.all(started.map((i) => i.stop()))
      await db.drop()
    }
  },
  30_000,
)
