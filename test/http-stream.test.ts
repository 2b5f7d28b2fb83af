import { describe, expect, test } from 'bun:test'
import { fakeOpenAI } from './fake-openai'
import { liveServer, wsClient } from './live'

type SseEvent = { event: string; data: any }

/** Reads Server-Sent Events from a response as they arrive. */
async function* sse(res: Response): AsyncGenerator<SseEvent> {
  const decoder = new TextDecoder()
  let buffer = ''
  for await (const chunk of res.body as ReadableStream<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true })
    let end = buffer.indexOf('\n\n')
    while (end !== -1) {
      const block = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      end = buffer.indexOf('\n\n')
      const event = block.match(/^event: (.*)$/m)?.[1]
      const data = block.match(/^data: (.*)$/m)?.[1]
      if (event && data) yield { event, data: JSON.parse(data) }
    }
  }
}

async function setup(chunks = ['Hel', 'lo', '!']) {
  const fake = await fakeOpenAI({ kind: 'gated', chunks })
  const live = await liveServer({ BOT_PROVIDER: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'm' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id as string
  return {
    fake,
    live,
    id,
    post: (body: unknown, init: { signal?: AbortSignal; path?: string } = {}) =>
      fetch(`${live.base}/conversations/${id}/${init.path ?? 'messages'}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(body),
        ...(init.signal ? { signal: init.signal } : {}),
      }),
    async [Symbol.asyncDispose]() {
      await live.stop()
      fake.stop()
    },
  }
}

describe('streaming over plain HTTP', () => {
  test('Accept: text/event-stream streams message, deltas as they come, the stored reply, done', async () => {
    await using s = await setup()
    const res = await s.post({ sender: 'user', content: 'hi' })
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const events: SseEvent[] = []
    const reader = sse(res)
    const first = await reader.next()
    events.push(first.value as SseEvent)
    expect(first.value).toMatchObject({ event: 'message', data: { sender: 'user', content: 'hi' } })
    s.fake.release(1)
    const delta = (await reader.next()).value as SseEvent
    expect(delta).toMatchObject({ event: 'delta', data: { delta: 'Hel', index: 0 } })
    s.fake.release(2)
    for await (const e of reader) events.push(e)
    expect(events.map((e) => e.event)).toEqual(['message', 'delta', 'delta', 'message', 'done'])
    expect(events[3]?.data).toMatchObject({ sender: 'ai', content: 'Hello!', reply_to: first.value?.data.id })
    expect(events[4]?.data).toEqual({ stopped: false, replied: true })
  })

  test('closing the HTTP connection does not stop the reply: it is stored and reaches the room', async () => {
    await using s = await setup()
    using watcher = await wsClient(s.live.ws)
    await watcher.join(s.id)
    const ctrl = new AbortController()
    const res = await s.post({ sender: 'user', content: 'hi' }, { signal: ctrl.signal })
    const reader = sse(res)
    await reader.next()
    ctrl.abort()
    s.fake.release(3)
    const reply = await watcher.next('new_message', (d) => d.sender === 'ai')
    expect(reply.content).toBe('Hello!')
    expect(s.fake.aborted).toBe(0)
  })

  test('POST /conversations/{id}/stop stops it like stop_generation', async () => {
    await using s = await setup()
    const reader = sse(await s.post({ sender: 'user', content: 'hi' }))
    await reader.next()
    s.fake.release(1)
    await reader.next()
    const stop = await s.live.call('POST', `/conversations/${s.id}/stop`)
    expect(stop).toEqual({ status: 200, body: { stopped: true } })
    const rest: SseEvent[] = []
    for await (const e of reader) rest.push(e)
    expect(rest.map((e) => e.event)).toEqual(['message', 'done'])
    expect(rest[0]?.data).toMatchObject({ content: 'Hel', metadata: { stopped: true } })
    expect(rest[1]?.data.stopped).toBe(true)
    expect((await s.live.call('POST', `/conversations/${s.id}/stop`)).body).toEqual({ stopped: false })
    expect((await s.live.call('POST', `/conversations/${Bun.randomUUIDv7()}/stop`)).status).toBe(404)
  })

  test('JSON with reply: true answers 201 at once; the reply reaches the room', async () => {
    await using s = await setup()
    using watcher = await wsClient(s.live.ws)
    await watcher.join(s.id)
    const res = await s.live.call('POST', `/conversations/${s.id}/messages`, {
      sender: 'user',
      content: 'q',
      reply: true,
    })
    expect(res.status).toBe(201)
    s.fake.release(3)
    expect((await watcher.next('new_message', (d) => d.sender === 'ai')).reply_to).toBe(res.body.id)
    const plain = await s.live.call('POST', `/conversations/${s.id}/messages`, { sender: 'user', content: 'no reply' })
    expect(plain.status).toBe(201)
    await Bun.sleep(50)
    expect(s.fake.requests).toHaveLength(1)
    const bad = await s.live.call('POST', `/conversations/${s.id}/messages`, {
      sender: 'ai',
      content: 'x',
      reply: true,
    })
    expect(bad.status).toBe(422)
  })

  test('a provider failure arrives as an error event', async () => {
    await using s = await setup()
    s.fake.set({ kind: 'status', status: 401 })
    const events: SseEvent[] = []
    for await (const e of sse(await s.post({ sender: 'user', content: 'hi' }))) events.push(e)
    expect(events.map((e) => e.event)).toEqual(['message', 'error', 'done'])
    expect(events[1]?.data).toMatchObject({ code: 'bot_failed', message: expect.stringContaining('401') })
  })

  test('a reasoning model streams part_delta then delta; the reply stores both parts, usage, model and finish', async () => {
    await using s = await setup()
    s.fake.set({
      kind: 'reply',
      chunks: [{ reasoning_content: 'Think' }, { reasoning_content: 'ing.' }, 'Ans', 'wer'],
      usage: { prompt_tokens: 17, completion_tokens: 4 },
      model: 'm-2026',
      finish: 'length',
    })
    const events: SseEvent[] = []
    for await (const e of sse(await s.post({ sender: 'user', content: 'why?' }))) events.push(e)
    expect(events.map((e) => e.event)).toEqual([
      'message',
      'part_delta',
      'part_delta',
      'delta',
      'delta',
      'message',
      'done',
    ])
    expect(events.slice(1, 5).map((e) => [e.data.index, e.data.part, e.data.type ?? 'text'])).toEqual([
      [0, 0, 'reasoning'],
      [1, 0, 'reasoning'],
      [2, 1, 'text'],
      [3, 1, 'text'],
    ])
    const reply = events[5]?.data
    expect(reply).toMatchObject({
      content: 'Answer',
      parts: [
        { type: 'reasoning', text: 'Thinking.' },
        { type: 'text', text: 'Answer' },
      ],
      generation: {
        model: 'm-2026',
        finish_reason: 'length',
        usage: { input_tokens: 17, output_tokens: 4, estimated: false },
      },
    })
    expect((await s.live.call('GET', `/conversations/${s.id}`)).body.usage).toEqual({
      input_tokens: 17,
      output_tokens: 4,
    })
  })

  test("regenerate adds another version of the bot's reply beside the earlier one, streamed the same way", async () => {
    await using s = await setup(['v1'])
    using watcher = await wsClient(s.live.ws)
    await watcher.join(s.id)
    s.fake.release(1)
    const events: SseEvent[] = []
    for await (const e of sse(await s.post({ sender: 'user', content: 'hi' }))) events.push(e)
    const user = events[0]?.data
    const old = events.find((e) => e.event === 'message' && e.data.sender === 'ai')?.data
    s.fake.set({ kind: 'gated', chunks: ['v2'] })
    s.fake.release(1)
    const again: SseEvent[] = []
    for await (const e of sse(await s.post({}, { path: `messages/${user.id}/regenerate` }))) again.push(e)
    expect(again.map((e) => e.event)).toEqual(['delta', 'message', 'done'])
    expect(again[1]?.data).toMatchObject({ sender: 'ai', content: 'v2', reply_to: user.id, parent_id: user.id })
    expect(again[1]?.data.siblings).toEqual([old.id, again[1]?.data.id])
    expect(await watcher.next('new_message', (d) => d.content === 'v2')).toMatchObject({ headId: again[1]?.data.id })
    const conversation = (await s.live.call('GET', `/conversations/${s.id}`)).body
    const stored = conversation.messages
    expect(stored.map((m: { content: string }) => m.content)).toEqual(['hi', 'v2'])
    expect(conversation.head_id).toBe(again[1]?.data.id)
    // The earlier reply stays in the tree; switching the head back shows it again.
    const tree = (await s.live.call('GET', `/conversations/${s.id}/tree`)).body
    expect(tree.messages.map((m: { content: string }) => m.content)).toEqual(['hi', 'v1', 'v2'])
    const back = await s.live.call('PUT', `/conversations/${s.id}/head`, { message_id: old.id })
    expect(back).toEqual({ status: 200, body: { head_id: old.id } })
    expect((await watcher.next('head_changed')).headId).toBe(old.id)
    const page = (await s.live.call('GET', `/conversations/${s.id}/messages`)).body
    expect(page.messages.map((m: { content: string }) => m.content)).toEqual(['v1', 'hi'])
    // JSON form: 202, the reply follows in the room.
    s.fake.set({ kind: 'reply', chunks: ['v3'] })
    const accepted = await s.live.call('POST', `/conversations/${s.id}/messages/${user.id}/regenerate`)
    expect(accepted).toEqual({ status: 202, body: { reply_to: user.id, status: 'queued' } })
    expect((await watcher.next('new_message', (d) => d.content === 'v3')).reply_to).toBe(user.id)
    const ai = stored.find((m: { sender: string }) => m.sender === 'ai')
    expect((await s.live.call('POST', `/conversations/${s.id}/messages/${ai.id}/regenerate`)).status).toBe(404)
  })
})

test('regenerate with BOT_PROVIDER=none is a 409', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  const m = (await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'x' })).body
  const res = await live.call('POST', `/conversations/${id}/messages/${m.id}/regenerate`)
  expect(res).toEqual({
    status: 409,
    body: { detail: 'No assistant is configured (BOT_PROVIDER=none and no config file)', code: 'bot_disabled' },
  })
})
