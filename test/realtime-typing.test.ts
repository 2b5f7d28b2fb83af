import { describe, expect, test } from 'bun:test'
import { backends } from './backends'
import { gatedBot } from './bots'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { SECRET, userToken } from './tokens'

const jwtEnv = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET }

/** Creates a conversation as the token's user. */
async function conversationOf(base: string, token: string): Promise<string> {
  const res = await fetch(`${base}/conversations/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: '{}',
  })
  expect(res.status).toBe(201)
  return ((await res.json()) as { id: string }).id
}

describe.each(await backends())('%s', (_name, backend) => {
  test("another user's typing never reaches a conversation, even sent right behind the join", async () => {
    const db = await backend()
    await using live = await liveServer({ ...db.env, ...jwtEnv, BOT_PROVIDER: 'none', TYPING_INTERVAL_MS: '0' })
    await using _drop = { [Symbol.asyncDispose]: () => live.stop().then(db.drop) }
    const alice = await userToken('alice')
    const id = await conversationOf(live.base, alice)
    using owner = await wsClient(`${live.ws}/?token=${alice}`)
    await owner.join(id)
    using mallory = await wsClient(`${live.ws}/?token=${await userToken('mallory')}`)
    using sioMallory = await sioClient(live.base, {
      transports: ['websocket'],
      auth: { token: await userToken('eve') },
    })
    for (let i = 0; i < 20; i++) {
      // Both frames in one go: the typing is handled while the join's ownership check is pending.
      mallory.emit('join_conversation', { conversationId: id })
      mallory.emit('typing', { conversationId: id, isTyping: true, userId: 'alice' })
      sioMallory.emit('join_conversation', { conversationId: id })
      sioMallory.emit('typing', { conversationId: id, isTyping: true })
    }
    mallory.emit('ping')
    await mallory.next('pong')
    await sioMallory.socket.emitWithAck('ping')
    expect(await owner.inbox.quiet(100)).toEqual([])
    expect(owner.inbox.named('typing')).toEqual([])
    expect(mallory.inbox.named('joined')).toEqual([])
    expect(mallory.inbox.named('error').map((e) => e.code)).toContain('bad_event') // typing refused
  })
})

test('typing names the server-known user, and a member cannot clear reply progress as "ai"', async () => {
  const bot = gatedBot(['one ', 'two ', 'three'])
  await using live = await liveServer({ ...jwtEnv, TYPING_INTERVAL_MS: '0' }, bot)
  const alice = await userToken('alice')
  const id = await conversationOf(live.base, alice)
  using a = await wsClient(`${live.ws}/?token=${alice}`)
  using b = await sioClient(live.base, { transports: ['websocket'], auth: { token: alice } })
  await a.join(id)
  await b.join(id)
  a.emit('send_message', { conversationId: id, content: 'count' })
  bot.release(1)
  await b.next('message_delta')
  // The widget's own field is accepted and ignored, whatever it claims.
  a.emit('typing', { conversationId: id, isTyping: false, userId: 'ai' })
  expect(await b.next('typing', (d) => d.userId !== 'ai')).toEqual({
    conversationId: id,
    userId: 'alice',
    isTyping: false,
  })
  using late = await wsClient(`${live.ws}/?token=${alice}`)
  await late.join(id)
  expect(await late.next('reply_in_progress')).toMatchObject({ conversationId: id, content_so_far: 'one ' })
  bot.releaseAll()
  await late.next('new_message', (d) => d.sender === 'ai')
})

test('typing floods are coalesced: at most one relay per interval, and the latest state still arrives', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', TYPING_INTERVAL_MS: '1000' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using typist = await wsClient(live.ws)
  using listener = await wsClient(live.ws)
  await typist.join(id)
  await listener.join(id)
  for (let i = 0; i < 300; i++) typist.emit('typing', { conversationId: id, isTyping: i % 2 === 0 })
  typist.emit('typing', { conversationId: id, isTyping: false })
  expect((await listener.next('typing')).isTyping).toBe(true) // the first goes out at once
  expect((await listener.next('typing')).isTyping).toBe(false) // the latest, when the interval ends
  expect(await listener.inbox.quiet(200)).toEqual([])
  expect(typist.inbox.named('error')).toEqual([]) // throttled frames are not errors
})
