import { expect, test } from 'bun:test'
import { DefaultChatTransport } from 'ai'
import { fakeOpenAI } from './fake-openai'
import { liveServer, wsClient } from './live'
import { sampleValue, scrape } from './prometheus'

test('200 concurrent messages with a slow model: the concurrency limit holds, the queue keeps its order, no reply is lost or doubled', async () => {
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['slow ', 'answer'], delayMs: 15 })
  await using live = await liveServer({
    BOT_PROVIDER: 'openai',
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL: 'm',
    BOT_CONCURRENCY: '16',
    RATE_LIMIT_MESSAGES: '100000',
    MAX_ROOMS_PER_SOCKET: '1000',
    RATE_LIMIT_JOINS: '1000', // one socket joins all 200 rooms at once
  })
  const ids: string[] = []
  for (let i = 0; i < 200; i++) ids.push((await live.call('POST', '/conversations/', { user_id: 'u' })).body.id)
  using c = await wsClient(live.ws)
  for (const id of ids) await c.join(id)
  for (const [i, id] of ids.entries()) c.emit('send_message', { conversationId: id, content: `q${i}` })
  for (const id of ids) await c.next('new_message', (d) => d.sender === 'ai' && d.conversationId === id, 20_000)
  expect(fake.maxOpen).toBeLessThanOrEqual(16)
  expect(fake.maxOpen).toBeGreaterThanOrEqual(8) // it did run replies side by side
  // First come, first served: the model was asked in the order the messages arrived.
  expect(fake.requests.map((r) => r.body.messages.at(-1).content)).toEqual(ids.map((_, i) => `q${i}`))
  // Exactly one stored reply per message.
  for (const id of ids) {
    const stored = (await live.call('GET', `/conversations/${id}/messages?size=10`)).body.messages
    expect(stored.map((m: { sender: string }) => m.sender).sort()).toEqual(['ai', 'user'])
    expect(stored.find((m: { sender: string }) => m.sender === 'ai').reply_to).toBe(
      stored.find((m: { sender: string }) => m.sender === 'user').id,
    )
  }
  expect(live.log.lines.filter((l) => l.includes('bot reply failed'))).toEqual([])
}, 60_000)

test('past BOT_QUEUE_MAX a message asking for a reply is refused (503 bot_busy, Retry-After, nothing stored); a retry of a stored one still answers; there is room again once replies finish', async () => {
  await using fake = await fakeOpenAI({ kind: 'gated', chunks: ['ok'] })
  await using live = await liveServer({
    BOT_PROVIDER: 'openai',
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL: 'm',
    BOT_CONCURRENCY: '1',
    BOT_QUEUE_MAX: '3',
    METRICS: 'true',
  })
  const queued = async () =>
    sampleValue(scrape(await (await fetch(`${live.url}/metrics`)).text()), 'parley_bot_replies_queued')
  const ids: string[] = []
  for (let i = 0; i < 4; i++) ids.push((await live.call('POST', '/conversations/', { user_id: 'u' })).body.id)
  const ask = (id: string, content: string, extra = {}) =>
    fetch(`${live.url}/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sender: 'user', content, reply: true, ...extra }),
    })
  // One running (held by the gate), two waiting: the queue is full.
  const asked: string[] = []
  for (const [i, id] of ids.slice(0, 3).entries()) {
    const res = await ask(id, `q${i}`, { client_id: `c${i}` })
    expect(res.status).toBe(201)
    asked.push(((await res.json()) as { id: string }).id)
  }
  const refused = await ask(ids[3] as string, 'one too many')
  expect(refused.status).toBe(503)
  expect(refused.headers.get('retry-after')).toBe('5')
  expect(await refused.json()).toMatchObject({ code: 'bot_busy' })
  expect((await live.call('GET', `/conversations/${ids[3]}/messages`)).body.total).toBe(0)
  expect(await queued()).toBe(3)
  // A second message in a conversation already waiting is refused too (the bound is per server).
  expect((await ask(ids[0] as string, 'again')).status).toBe(503)
  // A message without a reply is not the bot's work: stored as ever.
  expect(
    (await live.call('POST', `/conversations/${ids[3]}/messages`, { sender: 'user', content: 'note' })).status,
  ).toBe(201)
  // A retry of a stored message is answered with it, full queue or not.
  const retry = await ask(ids[1] as string, 'q1', { client_id: 'c1' })
  expect(retry.status).toBe(201)
  expect(((await retry.json()) as { id: string }).id).toBe(asked[1] as string)
  expect((await live.call('GET', `/conversations/${ids[1]}/messages`)).body.total).toBe(1)
  // Another reply to a stored message is refused the same way.
  const again = await fetch(`${live.url}/conversations/${ids[1]}/messages/${asked[1]}/regenerate`, { method: 'POST' })
  expect([again.status, again.headers.get('retry-after')]).toEqual([503, '5'])
  expect(await again.json()).toMatchObject({ code: 'bot_busy' })
  // useChat's transport (the AI SDK's own) gets it as its request's error; no message is stored.
  const transport = new DefaultChatTransport({ api: `${live.url}/api/chat` })
  const sending = transport.sendMessages({
    chatId: 'busy-chat',
    messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'hello' }] }],
    trigger: 'submit-message',
    messageId: undefined,
    abortSignal: undefined,
  })
  await expect(sending).rejects.toThrow(/too many replies waiting/)
  expect(await (await fetch(`${live.url}/api/chat/busy-chat/messages`)).json()).toEqual([])
  // Sockets get the same refusal as an error event with retry_after.
  using c = await wsClient(live.ws)
  await c.join(ids[3] as string)
  c.emit('send_message', { conversationId: ids[3], content: 'by socket' })
  expect(await c.next('error')).toMatchObject({ code: 'bot_busy', retry_after: 5 })
  expect((await live.call('GET', `/conversations/${ids[3]}/messages`)).body.total).toBe(1)
  // The replies finish: there is room again, and nothing queued was lost.
  fake.release(100)
  for (const id of ids.slice(0, 3)) await c.join(id)
  for (const id of ids.slice(0, 3)) {
    for (let i = 0; (await live.call('GET', `/conversations/${id}/messages`)).body.total < 2; i++) {
      if (i > 200) throw new Error(`no reply in ${id}`)
      await Bun.sleep(25)
    }
  }
  // A reply's job ends just after its message is stored.
  for (let i = 0; (await queued()) > 0 && i < 100; i++) await Bun.sleep(10)
  expect(await queued()).toBe(0)
  // The refused messages never reached the model.
  expect(fake.requests.map((r) => r.body.messages.at(-1).content)).toEqual(['q0', 'q1', 'q2'])
  expect((await ask(ids[3] as string, 'now there is room')).status).toBe(201)
}, 30_000)
