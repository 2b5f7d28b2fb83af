import { expect, test } from 'bun:test'
import { fakeOpenAI } from './fake-openai'
import { liveServer, wsClient } from './live'

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
