import { describe, expect, test } from 'bun:test'
import { gatedBot } from './bots'
import { liveServer, wsClient } from './live'

async function conversation(live: { call: (m: string, p: string, b?: unknown) => Promise<{ body: any }> }) {
  return (await live.call('POST', '/conversations/', { user_id: 'u1' })).body.id as string
}

describe('native WebSocket: the widget flow', () => {
  test('join, send, and receive user message, typing, streamed deltas, bot reply, typing off', async () => {
    await using live = await liveServer()
    const id = await conversation(live)
    for (const path of ['/', '/ws']) {
      using c = await wsClient(live.ws + path)
      const joined = await c.join(id)
      expect(typeof joined.seq).toBe('number')
      c.emit('send_message', { conversationId: id, content: 'hello there' })
      const user = await c.next('new_message', (d) => d.sender === 'user')
      expect(user).toMatchObject({ conversation_id: id, conversationId: id, content: 'hello there', sender: 'user' })
      expect(user.seq).toBe(joined.seq + 1)
      const typingOn = await c.next('typing')
      expect(typingOn).toEqual({ conversationId: id, userId: 'ai', isTyping: true, messageId: typingOn.messageId })
      const ai = await c.next('new_message', (d) => d.sender === 'ai')
      const deltas = c.inbox.named('message_delta')
      expect(deltas.length).toBeGreaterThan(2)
      expect(deltas.map((d) => d.index)).toEqual(deltas.map((_, i) => i))
      expect(deltas.every((d) => d.messageId === ai.id && d.conversationId === id)).toBe(true)
      expect(typingOn.messageId).toBe(ai.id)
      expect(deltas.map((d) => d.delta).join('')).toBe(ai.content)
      expect(Object.values(ai.actions).length).toBeGreaterThan(0) // "hello" comes with quick replies
      expect(ai.seq).toBe(user.seq + 1)
      expect(await c.next('typing')).toEqual({ conversationId: id, userId: 'ai', isTyping: false })
      // Both messages are stored, as REST shows them.
      const stored = (await live.call('GET', `/conversations/${id}/messages?size=2`)).body.messages
      expect(stored.map((m: { id: string }) => m.id)).toEqual([ai.id, user.id])
      expect(stored[0].content).toBe(ai.content)
      const { seq: _s, conversationId: _c, actions: _a, headId: _h, ...restShape } = ai
      expect(stored[0]).toEqual(restShape)
    }
  })

  test('ping → pong; conversation_id and bare-id payloads; ?conversation_id joins on connect', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    using a = await wsClient(`${live.ws}/?conversation_id=${id}`)
    expect((await a.next('joined')).conversationId).toBe(id)
    a.emit('ping')
    expect(await a.next('pong')).toEqual({})
    using b = await wsClient(`${live.ws}/ws`)
    b.emit('join_conversation', id)
    await b.next('joined')
    b.emit('send_message', { conversation_id: id, content: 'synonyms work', client_id: 'k1' })
    expect((await a.next('new_message')).content).toBe('synonyms work')
    expect((await b.next('new_message')).content).toBe('synonyms work')
    b.emit('leave_conversation', { conversation_id: id })
    await Bun.sleep(20)
    await live.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: 'after leave' })
    expect((await a.next('new_message')).content).toBe('after leave')
    expect((await b.inbox.quiet(50)).filter((r) => r.event === 'new_message')).toEqual([])
  })
})

describe('native WebSocket: rooms', () => {
  test('broadcasts reach both members once and not a non-member; joining twice is harmless', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    const other = await conversation(live)
    using a = await wsClient(live.ws)
    using b = await wsClient(live.ws)
    using outsider = await wsClient(live.ws)
    await a.join(id)
    await a.join(id)
    await b.join(id)
    await outsider.join(other)
    a.emit('send_message', { conversationId: id, content: 'to the room' })
    expect((await a.next('new_message')).content).toBe('to the room')
    expect((await b.next('new_message')).content).toBe('to the room')
    await Bun.sleep(50)
    expect(a.inbox.named('new_message')).toHaveLength(1)
    expect(b.inbox.named('new_message')).toHaveLength(1)
    expect(outsider.inbox.named('new_message')).toHaveLength(0)
  })

  test('typing is relayed to the others, not back to the sender; joining is required', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    using a = await wsClient(live.ws)
    using b = await wsClient(live.ws)
    await a.join(id)
    await b.join(id)
    // The client's userId is accepted and ignored: a service actor (open mode) types as "user".
    a.emit('typing', { conversationId: id, isTyping: true, userId: 'alice' })
    expect(await b.next('typing')).toEqual({ conversationId: id, userId: 'user', isTyping: true })
    expect(a.inbox.named('typing')).toHaveLength(0)
    await Bun.sleep(30)
    expect(a.inbox.named('typing')).toHaveLength(0)
    using c = await wsClient(live.ws)
    c.emit('typing', { conversationId: id, isTyping: true })
    expect((await c.next('error')).code).toBe('bad_event')
  })

  test('REST writes reach sockets as the same events, each with its seq', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    using c = await wsClient(live.ws)
    const { seq } = await c.join(id)
    const m = (await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'via REST' })).body
    expect(await c.next('new_message')).toEqual({ ...m, conversationId: id, seq: seq + 1, headId: m.id })
    const edited = (await live.call('PUT', `/conversations/${id}/messages/${m.id}`, { content: 'edited' })).body
    expect(await c.next('message_updated')).toEqual({
      conversationId: id,
      messageId: m.id,
      seq: seq + 2,
      message: edited,
    })
    await live.call('PATCH', `/conversations/${id}`, { title: 'renamed' })
    const upd = await c.next('conversation_updated')
    expect(upd).toMatchObject({ conversationId: id, seq: seq + 3, conversation: { title: 'renamed' } })
    await live.call('DELETE', `/conversations/${id}/messages/${m.id}`)
    expect(await c.next('message_deleted')).toEqual({
      conversationId: id,
      messageId: m.id,
      seq: seq + 4,
      parentId: null,
      deletedIds: [m.id],
      headId: null,
    })
    await live.call('DELETE', `/conversations/${id}`)
    expect(await c.next('conversation_deleted')).toEqual({ conversationId: id, seq: seq + 5 })
  })

  test('200 sockets in one room each receive each message exactly once', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none', MAX_SOCKETS_PER_USER: '1000' })
    const id = await conversation(live)
    const clients = await Promise.all(Array.from({ length: 200 }, () => wsClient(live.ws)))
    try {
      await Promise.all(clients.map((c) => c.join(id)))
      for (let i = 0; i < 3; i++)
        await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: `m${i}` })
      await Promise.all(clients.map((c) => c.next('new_message', (d) => d.content === 'm2', 5000)))
      await Bun.sleep(50)
      for (const c of clients) expect(c.inbox.named('new_message').map((d) => d.content)).toEqual(['m0', 'm1', 'm2'])
    } finally {
      for (const c of clients) c.close()
    }
  }, 20_000)
})

describe('native WebSocket: bad frames', () => {
  test('every malformed frame gets an error frame and the socket stays usable', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    using c = await wsClient(live.ws)
    const cases: [string | Uint8Array, RegExp][] = [
      ['not json', /JSON text/],
      ['[1,2]', /objects/],
      ['"just a string"', /objects/],
      ['{"data":{}}', /objects/],
      ['{"event":"fly_to_moon","data":{}}', /Unknown event/],
      ['{"event":"send_message","data":{"conversationId":"x"}}', /content/],
      ['{"event":"send_message","data":"hello"}', /object payload/],
      ['{"event":"join_conversation","data":{"conversationId":5}}', /conversationId/],
      ['{"event":"typing","data":{"conversationId":"x","isTyping":"yes"}}', /isTyping/],
      ['{"event":"__proto__","data":{}}', /Unknown event/],
      ['{"event":"toString","data":{}}', /Unknown event/],
      ['{"event":"constructor"}', /Unknown event/],
      [new Uint8Array([1, 2, 3]), /Binary/],
    ]
    for (const [payload, message] of cases) {
      c.raw(payload)
      const err = await c.next('error')
      expect(err.code).toBe('bad_event')
      expect(err.message).toMatch(message)
    }
    c.emit('join_conversation', { conversationId: Bun.randomUUIDv7() })
    expect((await c.next('error')).code).toBe('conversation_not_found')
    c.emit('send_message', { conversationId: id, content: 'x'.repeat(40_000) })
    expect((await c.next('error')).code).toBe('validation_error')
    c.emit('ping')
    await c.next('pong')
    await c.join(id)
    expect(c.socket.readyState).toBe(WebSocket.OPEN)
  })

  test('a frame over WS_MAX_PAYLOAD_BYTES closes with 1009', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none', WS_MAX_PAYLOAD_BYTES: '2048' })
    using c = await wsClient(live.ws)
    c.raw(JSON.stringify({ event: 'ping', data: 'x'.repeat(4096) }))
    expect((await c.closed).code).toBe(1009)
  })
})

describe('native WebSocket: replies', () => {
  test('clientId makes a resend echo the stored message and store nothing new', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = await conversation(live)
    using c = await wsClient(live.ws)
    using other = await wsClient(live.ws)
    await c.join(id)
    await other.join(id)
    for (let i = 0; i < 3; i++) c.emit('send_message', { conversationId: id, content: 'once', clientId: 'abc' })
    const first = await c.next('new_message')
    const again = [await c.next('new_message'), await c.next('new_message')]
    expect(again.map((m) => m.id)).toEqual([first.id, first.id])
    expect(again.map((m) => m.seq)).toEqual([first.seq, first.seq])
    await Bun.sleep(30)
    expect(other.inbox.named('new_message')).toHaveLength(1)
    expect((await live.call('GET', `/conversations/${id}`)).body.message_count).toBe(1)
  })

  test('a reply finishes and is stored after its sender disconnects', async () => {
    const bot = gatedBot()
    await using live = await liveServer({}, bot)
    const id = await conversation(live)
    const watcher = await wsClient(live.ws)
    await watcher.join(id)
    const sender = await wsClient(live.ws)
    sender.emit('send_message', { conversationId: id, content: 'answer me later' })
    await watcher.next('typing', (d) => d.isTyping)
    sender.close()
    await sender.closed
    bot.releaseAll()
    const reply = await watcher.next('new_message', (d) => d.sender === 'ai')
    expect(reply.content).toBe('Hello there')
    const stored = (await live.call('GET', `/conversations/${id}`)).body.messages
    expect(stored.map((m: { sender: string }) => m.sender)).toEqual(['user', 'ai'])
    watcher.close()
  })

  test('a late joiner gets reply_in_progress, then only the remaining deltas', async () => {
    const bot = gatedBot(['one ', 'two ', 'three ', 'four'])
    await using live = await liveServer({}, bot)
    const id = await conversation(live)
    using a = await wsClient(live.ws)
    await a.join(id)
    a.emit('send_message', { conversationId: id, content: 'count' })
    bot.release(2)
    await a.next('message_delta', (d) => d.index === 1)
    using late = await wsClient(live.ws)
    await late.join(id)
    const progress = await late.next('reply_in_progress')
    expect(progress).toMatchObject({ conversationId: id, content_so_far: 'one two ' })
    bot.releaseAll()
    const reply = await late.next('new_message', (d) => d.sender === 'ai')
    expect(reply.id).toBe(progress.messageId)
    const rest = late.inbox.named('message_delta').map((d) => d.delta)
    expect(progress.content_so_far + rest.join('')).toBe(reply.content)
    expect(rest).toEqual(['three ', 'four'])
  })

  test('stop_generation stores what was generated, marked stopped', async () => {
    const bot = gatedBot(['partial ', 'answer ', 'never'])
    await using live = await liveServer({}, bot)
    const id = await conversation(live)
    using c = await wsClient(live.ws)
    await c.join(id)
    c.emit('send_message', { conversationId: id, content: 'go' })
    bot.release(2)
    await c.next('message_delta', (d) => d.index === 1)
    c.emit('stop_generation', { conversationId: id })
    const reply = await c.next('new_message', (d) => d.sender === 'ai')
    expect(reply.content).toBe('partial answer ')
    expect(reply.metadata.stopped).toBe(true)
    expect(await c.next('typing', (d) => !d.isTyping)).toBeTruthy()
    expect(bot.aborted).toHaveLength(1)
    const stored = (await live.call('GET', `/conversations/${id}`)).body.messages.at(-1)
    expect(stored).toMatchObject({ sender: 'ai', content: 'partial answer ', metadata: { stopped: true } })
  })
})
