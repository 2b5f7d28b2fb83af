import { expect, test } from 'bun:test'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { SECRET, userToken } from './tokens'

/**
 * Every client event costs: per socket (RATE_LIMIT_SOCKET_EVENTS), per user over all their
 * sockets (RATE_LIMIT_SOCKET_EVENTS_PER_USER), joins on their own budget (RATE_LIMIT_JOINS).
 * Excess is refused with rate_limited and a retry_after; 40 refusals within a minute close the
 * socket (1008). Counts are bounded; speed is in bench/socket-flood.ts.
 */
const jwtEnv = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, BOT_PROVIDER: 'none' }

async function conversationOf(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/conversations/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  return ((await res.json()) as { id: string }).id
}

test('a flooding native socket is refused with rate_limited, then closed with 1008; another user keeps working', async () => {
  await using live = await liveServer(jwtEnv) // default budgets: 1,200 events a minute per socket
  const bob = await userToken('bob')
  const id = await conversationOf(live.base, bob)
  using good = await wsClient(`${live.ws}/?token=${bob}`)
  await good.join(id)
  const mallory = await userToken('mallory')
  using flooder = await wsClient(`${live.ws}/?token=${mallory}`)
  // Pings and frames that do not even parse cost the same as any event.
  for (let i = 0; i < 3000 && flooder.socket.readyState === WebSocket.OPEN; i++)
    flooder.raw(i % 2 ? 'not json' : '{"event":"ping"}')
  expect((await flooder.closed).code).toBe(1008)
  const refusals = flooder.inbox.named('error').filter((e) => e.code === 'rate_limited')
  expect(refusals.length).toBe(40)
  expect(refusals[0].retry_after).toBeGreaterThan(0)
  expect(flooder.inbox.named('pong').length).toBeLessThanOrEqual(600)
  // Reconnecting at once would be a cheaper flood (a fresh socket budget each time): refused a while.
  const again = await fetch(`${live.base}/?token=${mallory}`, {
    headers: {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
    },
  })
  expect(again.status).toBe(429)
  expect(await again.json()).toMatchObject({ code: 'rate_limited' })
  const res = await fetch(`${live.base}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bob}`, 'content-type': 'application/json' },
    body: JSON.stringify({ sender: 'user', content: 'still here' }),
  })
  expect(res.status).toBe(201)
  expect((await good.next('new_message')).content).toBe('still here')
  good.emit('ping')
  await good.next('pong')
})

test('Socket.IO: a flood gets rate_limited acks, then an error event and a server disconnect', async () => {
  await using live = await liveServer({ ...jwtEnv, RATE_LIMIT_SOCKET_EVENTS: '100' })
  using flooder = await sioClient(live.base, { transports: ['websocket'], auth: { token: await userToken('mallory') } })
  const answers = await Promise.all(Array.from({ length: 120 }, () => flooder.socket.timeout(3000).emitWithAck('ping')))
  const refused = answers.filter((a) => !a.ok)
  expect(refused.length).toBe(20)
  expect(refused[0]).toMatchObject({ code: 'rate_limited', retry_after: expect.any(Number) })
  const reason = new Promise((resolve) => flooder.socket.once('disconnect', resolve))
  for (let i = 0; i < 40; i++) flooder.emit('ping')
  expect(await reason).toBe('io server disconnect')
  expect(flooder.inbox.named('error').at(-1)).toMatchObject({ code: 'rate_limited' })
  using other = await sioClient(live.base, { transports: ['websocket'], auth: { token: await userToken('bob') } })
  expect(await other.socket.emitWithAck('ping')).toEqual({ ok: true })
})

test("a user's budget spans their sockets; other users have their own", async () => {
  const limits = { RATE_LIMIT_SOCKET_EVENTS: '1000', RATE_LIMIT_SOCKET_EVENTS_PER_USER: '100' }
  await using live = await liveServer({ ...jwtEnv, ...limits })
  const alice = await userToken('alice')
  using a1 = await wsClient(`${live.ws}/?token=${alice}`)
  using a2 = await wsClient(`${live.ws}/?token=${alice}`)
  using bob = await wsClient(`${live.ws}/?token=${await userToken('bob')}`)
  for (let i = 0; i < 60; i++) for (const c of [a1, a2, bob]) c.emit('ping')
  await bob.next('pong', () => bob.inbox.named('pong').length === 60)
  await a2.next('error', (e) => e.code === 'rate_limited')
  expect(a1.inbox.named('pong').length + a2.inbox.named('pong').length).toBe(100)
  expect(bob.inbox.named('error')).toEqual([])
})

test('joins have their own budget (RATE_LIMIT_JOINS), answered with retry_after', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', RATE_LIMIT_JOINS: '5' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await wsClient(live.ws)
  for (let i = 0; i < 5; i++) await c.join(id)
  c.emit('join_conversation', { conversationId: id })
  const refused = await c.next('error')
  expect(refused).toMatchObject({ code: 'rate_limited', event: 'join_conversation', retry_after: expect.any(Number) })
  c.emit('leave_conversation', { conversationId: id }) // other events still pass
  c.emit('ping')
  await c.next('pong')
})

test('a typing flood reaches a listener at most twice per interval, whatever its size', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', TYPING_INTERVAL_MS: '60000' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using listener = await wsClient(live.ws)
  await listener.join(id)
  using typist = await wsClient(live.ws)
  await typist.join(id)
  for (let i = 0; i < 1000; i++) typist.emit('typing', { conversationId: id, isTyping: i % 2 === 0 })
  typist.emit('ping')
  await typist.next('pong')
  await listener.inbox.quiet(100)
  expect(listener.inbox.named('typing')).toEqual([{ conversationId: id, userId: 'user', isTyping: true }])
  expect(typist.inbox.named('error')).toEqual([])
})
