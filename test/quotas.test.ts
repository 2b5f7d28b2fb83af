import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { messagesOf, writeConfig } from './assistant-helpers'
import { fakeOpenAI } from './fake-openai'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { SECRET, userToken } from './tokens'

type Fake = Awaited<ReturnType<typeof fakeOpenAI>>

const nextMidnight = () => {
  const d = new Date()
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1)).toISOString()
}

// Every reply reports 30 + 20 tokens: one reply uses up a 50-token day.
describe('a user over the daily token quota gets quota_exceeded on every transport', () => {
  let fake: Fake
  let server: Awaited<ReturnType<typeof liveServer>>
  let conversation: string

  beforeAll(async () => {
    fake = await fakeOpenAI({ kind: 'reply', chunks: ['Fine.'], usage: { prompt_tokens: 30, completion_tokens: 20 } })
    server = await liveServer({
      BOT_PROVIDER: 'openai',
      OPENAI_BASE_URL: fake.url,
      OPENAI_MODEL: 'm-1',
      QUOTA_TOKENS_PER_DAY: '50',
    })
    const made = await server.call('POST', '/conversations/', { user_id: 'alice' })
    conversation = made.body.id
    await server.call('POST', `/conversations/${conversation}/messages`, {
      content: 'one',
      sender: 'user',
      reply: true,
    })
    await messagesOf(server.call, conversation, 2)
  })
  afterAll(async () => {
    await server?.stop()
    await fake?.stop()
  })

  test('REST and its SSE variant answer 429 with when the quota resets', async () => {
    const res = await fetch(`${server.base}/conversations/${conversation}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ content: 'two', sender: 'user', reply: true }),
    })
    expect(res.status).toBe(429)
    const body: any = await res.json()
    expect(body).toMatchObject({ code: 'quota_exceeded', resets_at: nextMidnight() })
    expect(body.detail).toContain('50 of 50 tokens used today')
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)

    const sse = await fetch(`${server.base}/conversations/${conversation}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ content: 'two', sender: 'user' }),
    })
    expect(sse.status).toBe(429)
    expect(((await sse.json()) as any).code).toBe('quota_exceeded')

    const [question] = await messagesOf(server.call, conversation, 2)
    const regenerate = await server.call('POST', `/conversations/${conversation}/messages/${question.id}/regenerate`)
    expect(regenerate.status).toBe(429)
    // A message that does not make the bot work is still taken.
    const quiet = await server.call('POST', `/conversations/${conversation}/messages`, {
      content: 'note',
      sender: 'user',
    })
    expect(quiet.status).toBe(201)
    expect(fake.requests).toHaveLength(1)
  })

  test('native WebSocket and Socket.IO clients get an error event with retry_after', async () => {
    using ws = await wsClient(`${server.ws}/ws`)
    await ws.join(conversation)
    ws.emit('send_message', { conversationId: conversation, content: 'over ws' })
    const error = await ws.next('error')
    expect(error).toMatchObject({ code: 'quota_exceeded', event: 'send_message' })
    expect(error.retry_after).toBeGreaterThan(0)

    using sio = await sioClient(server.base, { transports: ['websocket'] })
    await sio.join(conversation)
    const ack = await sio.socket.emitWithAck('send_message', { conversationId: conversation, content: 'over sio' })
    expect(ack).toMatchObject({ ok: false, code: 'quota_exceeded' })
    expect(ack.message).toContain('resets at')
    expect(fake.requests).toHaveLength(1)
  })

  test('the AI SDK endpoint answers 429 before streaming', async () => {
    const res = await fetch(`${server.base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: conversation,
        trigger: 'submit-message',
        messages: [{ id: 'u-x', role: 'user', parts: [{ type: 'text', text: 'over the sdk' }] }],
      }),
    })
    expect(res.status).toBe(429)
    expect(((await res.json()) as any).code).toBe('quota_exceeded')
  })

  test('an operator raises the user’s quota over the API, and sending works again', async () => {
    const before = await server.call('GET', '/quotas/alice')
    expect(before.body).toMatchObject({ limits: null, global: { tokens_per_day: 50 }, used: { today: 50 } })
    const raised = await server.call('PUT', '/quotas/alice', { tokens_per_day: 1000 })
    expect(raised.status).toBe(200)
    expect(raised.body.limits).toEqual({ tokens_per_day: 1000 })
    const sent = await server.call('POST', `/conversations/${conversation}/messages`, {
      content: 'again',
      sender: 'user',
      reply: true,
    })
    expect(sent.status).toBe(201)
    await messagesOf(server.call, conversation, 5)
    expect(fake.requests).toHaveLength(2)
    // Removing the user's own limit brings the global one back.
    expect((await server.call('DELETE', '/quotas/alice')).status).toBe(204)
    const again = await server.call('POST', `/conversations/${conversation}/messages`, {
      content: 'and again',
      sender: 'user',
      reply: true,
    })
    expect(again.status).toBe(429)
  })
})

describe('quotas per assistant, and who may see and set them', () => {
  test("an assistant's quota blocks only that assistant; users see only their own usage", async () => {
    await using fake = await fakeOpenAI({
      kind: 'reply',
      chunks: ['ok'],
      usage: { prompt_tokens: 8, completion_tokens: 2 },
    })
    const file = writeConfig({
      providers: { llm: { type: 'openai', base_url: fake.url, model: 'small' } },
      assistants: [
        { id: 'capped', name: 'Capped', provider: 'llm', quota: { tokens_per_day: 10 } },
        { id: 'free', name: 'Free', provider: 'llm' },
      ],
      default_assistant: 'free',
    })
    await using server = await liveServer({
      PARLEY_CONFIG: file,
      BOT_PROVIDER: 'none',
      AUTH_MODE: 'jwt',
      JWT_SECRET: SECRET,
    })
    const as = async (user: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(server.base + path, {
        method,
        headers: { authorization: `Bearer ${await userToken(user)}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      })
      const text = await res.text()
      return { status: res.status, body: text ? JSON.parse(text) : null }
    }
    const capped = (await as('dana', 'POST', '/conversations/', { assistant_id: 'capped' })).body.id
    const free = (await as('dana', 'POST', '/conversations/', { assistant_id: 'free' })).body.id
    expect(
      (await as('dana', 'POST', `/conversations/${capped}/messages`, { content: 'a', sender: 'user', reply: true }))
        .status,
    ).toBe(201)
    const deadline = Date.now() + 5000
    while ((await as('dana', 'GET', '/usage')).body.totals.replies < 1 && Date.now() < deadline) await Bun.sleep(20)

    const blocked = await as('dana', 'POST', `/conversations/${capped}/messages`, {
      content: 'b',
      sender: 'user',
      reply: true,
    })
    expect(blocked.status).toBe(429)
    expect(blocked.body.detail).toContain('with assistant "capped"')
    const other = await as('dana', 'POST', `/conversations/${free}/messages`, {
      content: 'c',
      sender: 'user',
      reply: true,
    })
    expect(other.status).toBe(201)

    // Users: their own usage only, the picker fields only, no management.
    expect((await as('erin', 'GET', '/usage')).body.totals.replies).toBe(0)
    expect((await as('erin', 'GET', '/usage?user_id=dana')).status).toBe(403)
    expect((await as('erin', 'GET', '/quotas/dana')).status).toBe(403)
    expect((await as('dana', 'GET', '/quotas/dana')).status).toBe(200)
    expect((await as('dana', 'PUT', '/quotas/dana', { tokens_per_day: null })).status).toBe(403)
    expect((await as('dana', 'POST', '/assistants', { id: 'mine', name: 'Mine', provider: 'llm' })).status).toBe(403)
    const picker = (await as('dana', 'GET', '/assistants')).body.assistants
    expect(picker[0]).toEqual({ id: 'capped', name: 'Capped', model: 'small', default: false })
  })
})

test('a limit set for one user only, or on an API-created assistant, applies without any global quota', async () => {
  await using fake = await fakeOpenAI({
    kind: 'reply',
    chunks: ['ok'],
    usage: { prompt_tokens: 3, completion_tokens: 1 },
  })
  await using server = await liveServer({ BOT_PROVIDER: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'm' })
  const { call } = server
  const id = (await call('POST', '/conversations/', { user_id: 'zoe' })).body.id
  const send = () => call('POST', `/conversations/${id}/messages`, { content: 'hi', sender: 'user', reply: true })
  expect((await send()).status).toBe(201)
  await messagesOf(call, id, 2)
  expect((await call('PUT', '/quotas/zoe', { tokens_per_month: 4 })).status).toBe(200)
  const refused = await send()
  expect(refused.status).toBe(429)
  expect(refused.body.detail).toContain('4 of 4 tokens used this month')
  expect(refused.body.resets_at).toMatch(/-01T00:00:00\.000Z$/)
  expect((await call('DELETE', '/quotas/zoe')).status).toBe(204)

  const made = await call('POST', '/assistants', {
    id: 'metered',
    name: 'Metered',
    provider: 'default',
    quota: { tokens_per_day: 4 },
  })
  expect(made.status).toBe(201)
  const other = (await call('POST', '/conversations/', { user_id: 'yan', assistant_id: 'metered' })).body.id
  expect(
    (await call('POST', `/conversations/${other}/messages`, { content: 'a', sender: 'user', reply: true })).status,
  ).toBe(201)
  await messagesOf(call, other, 2)
  const capped = await call('POST', `/conversations/${other}/messages`, { content: 'b', sender: 'user', reply: true })
  expect(capped.body.code).toBe('quota_exceeded')
  expect((await send()).status).toBe(201)
})
