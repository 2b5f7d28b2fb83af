import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { liveServer, SERVICE, wsClient } from './live'

const dir = mkdtempSync(join(tmpdir(), 'parley-replay-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

type Call = (m: string, p: string, b?: unknown) => Promise<{ body: any }>

/** Makes a history with creates, an edit and a delete; returns the conversation id. */
async function history(call: Call) {
  const id = (await call('POST', '/conversations/', { user_id: 'u' })).body.id as string
  const ids: string[] = []
  for (let i = 0; i < 5; i++)
    ids.push((await call('POST', `/conversations/${id}/messages`, { sender: 'user', content: `m${i}` })).body.id)
  await call('PUT', `/conversations/${id}/messages/${ids[1]}`, { content: 'm1 edited' })
  await call('DELETE', `/conversations/${id}/messages/${ids[2]}`)
  await call('PATCH', `/conversations/${id}`, { title: 't' })
  return { id, ids } // seqs: 1-5 creates, 6 edit, 7 delete, 8 conversation_updated
}

const seqs = (events: { data: { seq?: number } }[]) => events.map((e) => e.data.seq)

describe('since_seq / since replay', () => {
  test('replays every stored event after N in order, then live events, without gaps or duplicates', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const { id } = await history(live.call)
    using c = await wsClient(live.ws)
    const joined = await c.join(id, { since_seq: 3 })
    expect(joined.seq).toBe(8)
    await c.next('conversation_updated')
    await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'live' })
    await c.next('new_message', (d) => d.content === 'live')
    const changes = c.inbox.arrived.filter((r) => r.data?.seq !== undefined && r.event !== 'joined')
    expect(changes.map((r) => r.event)).toEqual([
      'new_message',
      'new_message',
      'message_updated',
      'message_deleted',
      'conversation_updated',
      'new_message',
    ])
    expect(seqs(changes)).toEqual([4, 5, 6, 7, 8, 9])
    expect(changes[2]?.data.message.content).toBe('m1 edited')
  })

  test('since=<message id> resumes after that message; an unknown one asks for a resync', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const { id, ids } = await history(live.call)
    using c = await wsClient(live.ws)
    await c.join(id, { since: ids[3] })
    await c.next('conversation_updated')
    expect(seqs(c.inbox.arrived.filter((r) => r.event !== 'joined'))).toEqual([5, 6, 7, 8])
    using d = await wsClient(live.ws)
    await d.join(id, { since: Bun.randomUUIDv7() })
    expect(await d.next('resync_required')).toEqual({ conversationId: id, seq: 8 })
  })

  test('events written while the replay runs are delivered once, in order', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    for (let i = 0; i < 1200; i++)
      await live.deps.chat.as(SERVICE).postMessage(id, { sender: 'user', content: `old ${i}` })
    using c = await wsClient(live.ws)
    c.emit('join_conversation', { conversationId: id, since_seq: 0 })
    // Writers race the replay (which reads the log in batches).
    const writes = Array.from({ length: 30 }, (_, i) =>
      live.deps.chat.as(SERVICE).postMessage(id, { sender: 'user', content: `new ${i}` }),
    )
    await Promise.all(writes)
    await c.next('new_message', (d) => d.seq === 1230, 10_000)
    await Bun.sleep(50)
    const got = c.inbox.arrived.filter((r) => r.event === 'new_message').map((r) => r.data.seq)
    expect(got).toEqual(Array.from({ length: 1230 }, (_, i) => i + 1))
  }, 30_000)

  test('resync_required when the point is older than the retained log, or in the future', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none', EVENT_RETENTION: '10' })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    for (let i = 0; i < 130; i++)
      await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: `m${i}` })
    using c = await wsClient(live.ws)
    await c.join(id, { since_seq: 2 })
    expect(await c.next('resync_required')).toEqual({ conversationId: id, seq: 130 })
    // Still joined: live events flow.
    await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'after' })
    expect((await c.next('new_message')).seq).toBe(131)
    using recent = await wsClient(live.ws)
    await recent.join(id, { since_seq: 125 })
    await recent.next('new_message', (d) => d.seq === 131)
    expect(recent.inbox.named('resync_required')).toEqual([])
    using future = await wsClient(live.ws)
    await future.join(id, { since_seq: 9999 })
    expect((await future.next('resync_required')).seq).toBe(131)
  })

  test('replay works across a server restart on the same database file', async () => {
    const url = `sqlite:///${join(dir, 'restart.db')}`
    let id: string
    {
      await using live = await liveServer({ BOT_PROVIDER: 'none', DATABASE_URL: url })
      id = (await history(live.call)).id
    }
    await using again = await liveServer({ BOT_PROVIDER: 'none', DATABASE_URL: url })
    using c = await wsClient(again.ws)
    const joined = await c.join(id, { since_seq: 5 })
    expect(joined.seq).toBe(8)
    await c.next('conversation_updated')
    await again.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: 'after restart' })
    await c.next('new_message')
    expect(seqs(c.inbox.arrived.filter((r) => r.event !== 'joined'))).toEqual([6, 7, 8, 9])
  })
})
