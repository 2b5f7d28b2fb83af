import { describe, expect, test } from 'bun:test'
import { gatedBot } from './bots'
import { liveServer, wsClient } from './live'
import { SIO_MODES, sioClient } from './sio'

describe.each(SIO_MODES)('Socket.IO (%s)', (_mode, options) => {
  test("the original widget's flow works unchanged", async () => {
    await using live = await liveServer()
    const id = (await live.call('POST', '/conversations/', { user_id: 'u1' })).body.id
    using c = await sioClient(live.base, options)
    c.emit('join_conversation', { conversation_id: id })
    await c.next('joined')
    c.emit('send_message', { conversation_id: id, content: 'hi' })
    const order: string[] = []
    const user = await c.next('new_message', (d) => d.sender === 'user')
    order.push('new_message:user')
    expect(user.content).toBe('hi')
    expect(await c.next('typing')).toMatchObject({ conversationId: id, userId: 'ai', isTyping: true })
    order.push('typing:true')
    const ai = await c.next('new_message', (d) => d.sender === 'ai')
    order.push('new_message:ai')
    expect(await c.next('typing')).toEqual({ conversationId: id, userId: 'ai', isTyping: false })
    order.push('typing:false')
    expect(
      c.inbox
        .named('message_delta')
        .map((d) => d.delta)
        .join(''),
    ).toBe(ai.content)
    // Events arrive in the widget's order.
    const seen = c.inbox.arrived
      .filter((r) => r.event === 'new_message' || r.event === 'typing')
      .map((r) => (r.event === 'typing' ? `typing:${r.data.isTyping}` : `new_message:${r.data.sender}`))
    expect(seen).toEqual(order)
    const stored = (await live.call('GET', `/conversations/${id}`)).body.messages
    expect(stored.map((m: { id: string }) => m.id)).toEqual([user.id, ai.id])
  })

  test('acks, errors, typing relay and one event stream with native clients', async () => {
    await using live = await liveServer({ BOT_PROVIDER: 'none' })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u1' })).body.id
    using a = await sioClient(live.base, { ...options, query: { conversation_id: id } })
    expect((await a.next('joined')).conversationId).toBe(id)
    using b = await sioClient(live.base, options)
    await b.join(id)
    using n = await wsClient(live.ws)
    await n.join(id)
    const ack = await a.socket.emitWithAck('send_message', { conversationId: id, content: 'with ack', clientId: 'k' })
    expect(ack).toMatchObject({ ok: true, duplicate: false, message: { content: 'with ack' } })
    for (const c of [a, b, n]) expect((await c.next('new_message')).content).toBe('with ack')
    const dup = await a.socket.emitWithAck('send_message', { conversationId: id, content: 'with ack', clientId: 'k' })
    expect(dup).toMatchObject({ ok: true, duplicate: true })
    expect(dup.message.id).toBe(ack.message.id)

    a.emit('typing', { conversationId: id, isTyping: true })
    expect((await b.next('typing')).isTyping).toBe(true)
    expect((await n.next('typing')).isTyping).toBe(true)

    const bad = await a.socket.emitWithAck('send_message', { conversationId: id })
    expect(bad).toMatchObject({ ok: false, code: 'bad_event' })
    expect((await a.next('error')).code).toBe('bad_event')
    a.emit('no_such_event', {})
    expect((await a.next('error')).message).toMatch(/Unknown event/)
    a.socket.emit('join_conversation', Buffer.from([1, 2, 3]))
    expect((await a.next('error')).code).toBe('bad_event')
    const rest = await live.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: 'from REST' })
    for (const c of [a, b, n]) await c.next('new_message', (d) => d.id === rest.body.id)
    await Bun.sleep(30)
    expect(a.inbox.named('typing')).toHaveLength(0)
    expect(a.inbox.named('new_message')).toHaveLength(3) // two sends' echo (one is the duplicate's) and REST
  })

  test('since_seq replay and stop_generation', async () => {
    const bot = gatedBot(['a ', 'b ', 'c'])
    await using live = await liveServer({}, bot)
    const id = (await live.call('POST', '/conversations/', { user_id: 'u1' })).body.id
    for (let i = 0; i < 3; i++)
      await live.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: `m${i}` })
    using c = await sioClient(live.base, options)
    await c.join(id, { since_seq: 1 })
    expect((await c.next('new_message')).seq).toBe(2)
    expect((await c.next('new_message')).seq).toBe(3)
    c.emit('send_message', { conversationId: id, content: 'go' })
    bot.release(1)
    await c.next('message_delta')
    expect(await c.socket.emitWithAck('stop_generation', { conversationId: id })).toEqual({ ok: true, stopped: true })
    const reply = await c.next('new_message', (d) => d.sender === 'ai')
    expect(reply).toMatchObject({ content: 'a ', metadata: { stopped: true } })
  })
})

test('200 Socket.IO sockets in one room each receive each message once', async () => {
  // 200 handshakes at once from one address: more than the default pending-session cap.
  const limits = { MAX_SOCKETS_PER_USER: '1000', MAX_PENDING_SOCKETS_PER_ADDRESS: '1000' }
  await using live = await liveServer({ BOT_PROVIDER: 'none', ...limits })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u1' })).body.id
  const clients = await Promise.all(
    Array.from({ length: 200 }, () => sioClient(live.base, { transports: ['websocket'] })),
  )
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
