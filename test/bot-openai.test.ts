import { describe, expect, test } from 'bun:test'
import { BotError, type BotEvent } from '../src/bots/bot'
import { openaiBot } from '../src/bots/openai'
import { testAssistant } from './bots'
import { type Behaviour, fakeOpenAI } from './fake-openai'
import { messageOf } from './helpers'
import { liveServer, wsClient } from './live'

const KEY = 'sk-test-SECRET-key-0123456789'

async function setup(behaviour: Behaviour, env: Record<string, string> = {}) {
  const fake = await fakeOpenAI(behaviour)
  const live = await liveServer({
    BOT_PROVIDER: 'openai',
    OPENAI_BASE_URL: fake.url,
    OPENAI_MODEL: 'test-model',
    OPENAI_API_KEY: KEY,
    ...env,
  })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id as string
  const client = await wsClient(live.ws)
  await client.join(id)
  return {
    fake,
    live,
    id,
    client,
    async [Symbol.asyncDispose]() {
      client.close()
      await live.stop()
      fake.stop()
    },
  }
}

describe('openai provider', () => {
  test('sends the system prompt, the trimmed history oldest first, model, stream and options', async () => {
    await using s = await setup(
      { kind: 'reply', chunks: ['Fine', ', thanks'] },
      {
        BOT_SYSTEM_PROMPT: 'Be brief.',
        BOT_HISTORY_MESSAGES: '4',
        BOT_HISTORY_CHARS: '31',
        BOT_TEMPERATURE: '0.3',
        BOT_MAX_TOKENS: '64',
      },
    )
    for (const [sender, content] of [
      ['user', 'first question, long enough to be dropped'],
      ['ai', 'first answer'],
      ['user', 'second'],
      ['ai', 'second answer'],
    ] as const)
      await s.live.call('POST', `/conversations/${s.id}/messages`, { sender, content })
    s.client.emit('send_message', { conversationId: s.id, content: 'how are you?' })
    const question = await s.client.next('new_message', (d) => d.content === 'how are you?')
    const reply = await s.client.next('new_message', (d) => d.sender === 'ai' && d.reply_to !== null)
    expect(reply.content).toBe('Fine, thanks')
    const [req] = s.fake.requests
    expect(req?.body).toEqual({
      model: 'test-model',
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.3,
      max_tokens: 64,
      // 4 messages at most, then trimmed from the oldest side to 31 characters (6 + 13 + 12).
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'second' },
        { role: 'assistant', content: 'second answer' },
        { role: 'user', content: 'how are you?' },
      ],
    })
    expect(req?.headers.authorization).toBe(`Bearer ${KEY}`)
    expect(reply.reply_to).toBe(question.id)
  })

  test('deltas reach the room while the upstream stream is still open', async () => {
    await using s = await setup({ kind: 'gated', chunks: ['one ', 'two ', 'three'] })
    s.client.emit('send_message', { conversationId: s.id, content: 'count' })
    s.fake.release(1)
    expect((await s.client.next('message_delta')).delta).toBe('one ')
    expect(s.client.inbox.named('new_message').filter((m) => m.sender === 'ai')).toEqual([])
    s.fake.release(1)
    expect((await s.client.next('message_delta')).delta).toBe('two ')
    s.fake.release(1)
    expect((await s.client.next('new_message', (d) => d.sender === 'ai')).content).toBe('one two three')
  })

  const failures: [string, Behaviour, Record<string, string>, string, RegExp][] = [
    ['401', { kind: 'status', status: 401 }, {}, 'bot_failed', /rejected the API key.*401/],
    ['429', { kind: 'status', status: 429 }, {}, 'bot_failed', /rate limiting.*429/],
    ['500', { kind: 'status', status: 500 }, {}, 'bot_failed', /failed \(HTTP 500\)/],
    ['404', { kind: 'status', status: 404 }, {}, 'bot_failed', /test-model/],
    [
      'a stalled stream',
      { kind: 'stall' },
      { BOT_FIRST_TOKEN_TIMEOUT_MS: '300' },
      'bot_timeout',
      /did not start answering within 300 ms/,
    ],
    ['no answer at all', { kind: 'silent' }, { BOT_FIRST_TOKEN_TIMEOUT_MS: '300' }, 'bot_timeout', /within 300 ms/],
    [
      'a slow whole reply',
      // The first chunk comes well inside the deadline (a loaded machine is slow), the whole reply not.
      { kind: 'reply', chunks: ['a', 'b', 'c', 'd', 'e'], delayMs: 250 },
      { BOT_TIMEOUT_MS: '800' },
      'bot_timeout',
      /longer than 800 ms/,
    ],
    ['a cut stream', { kind: 'cut', chunks: ['half an ans'] }, {}, 'bot_failed', /before the reply was complete/],
    ['a malformed stream', { kind: 'malformed' }, {}, 'bot_failed', /malformed/],
  ]
  test.each(failures)(
    '%s: the room gets a clear error, typing stops, the user message stays, nothing half-written is stored',
    async (_name, behaviour, env, code, message) => {
      await using s = await setup(behaviour, env)
      s.client.emit('send_message', { conversationId: s.id, content: 'hello?' })
      const user = await s.client.next('new_message')
      const error = await s.client.next('error', () => true, 10_000)
      expect(error).toMatchObject({ conversationId: s.id, code })
      expect(error.message).toMatch(message)
      expect(error.message).not.toContain(KEY)
      expect(await s.client.next('typing', (d) => d.isTyping === false)).toBeTruthy()
      const stored = (await s.live.call('GET', `/conversations/${s.id}`)).body
      expect(stored.messages.map((m: { id: string }) => m.id)).toEqual([user.id])
      const logged = s.live.log.lines.find((l) => l.includes('bot reply failed'))
      expect(logged).toBeDefined()
      expect(s.live.log.lines.join('')).not.toContain(KEY)
      if (behaviour.kind === 'stall' || behaviour.kind === 'silent') {
        await Bun.sleep(50)
        expect(s.fake.aborted).toBe(1) // the upstream request is cancelled, not left running
      }
    },
    20_000,
  )

  test('the SDK retries 429 and 5xx before giving up', async () => {
    await using s = await setup({ kind: 'status', status: 503 })
    s.client.emit('send_message', { conversationId: s.id, content: 'x' })
    await s.client.next('error', () => true, 10_000)
    expect(s.fake.requests).toHaveLength(3)
  }, 20_000)

  test('an unreachable provider is a clear error', async () => {
    await using live = await liveServer({
      BOT_PROVIDER: 'openai',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
      OPENAI_MODEL: 'm',
    })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    using c = await wsClient(live.ws)
    await c.join(id)
    c.emit('send_message', { conversationId: id, content: 'anyone?' })
    const error = await c.next('error', () => true, 15_000)
    expect(error).toMatchObject({
      code: 'bot_failed',
      message: 'Assistant: Could not reach the model provider at 127.0.0.1:9',
      assistantId: 'default',
    })
  }, 20_000)

  test('stop_generation aborts the upstream request and stores the partial reply as stopped', async () => {
    await using s = await setup({ kind: 'gated', chunks: ['par', 'tial', ' never sent'] })
    s.client.emit('send_message', { conversationId: s.id, content: 'go' })
    s.fake.release(2)
    await s.client.next('message_delta', (d) => d.index === 1)
    const closed = s.fake.nextAbort()
    s.client.emit('stop_generation', { conversationId: s.id })
    await closed
    expect(s.fake.aborted).toBe(1)
    const reply = await s.client.next('new_message', (d) => d.sender === 'ai')
    expect(reply).toMatchObject({ content: 'partial', metadata: { stopped: true } })
  })

  test('at most BOT_CONCURRENCY replies generate at once; the rest wait in order', async () => {
    await using s = await setup({ kind: 'gated', chunks: ['ok'] }, { BOT_CONCURRENCY: '2' })
    const ids = [s.id]
    for (let i = 0; i < 4; i++) ids.push((await s.live.call('POST', '/conversations/', { user_id: 'u' })).body.id)
    for (const [i, id] of ids.entries()) {
      await s.client.join(id)
      s.client.emit('send_message', { conversationId: id, content: `q${i}` })
      await s.client.next('new_message', (d) => d.content === `q${i}`)
    }
    await Bun.sleep(100)
    expect(s.fake.requests).toHaveLength(2)
    // One reply finishes at a time, so each queued one starts alone: the order the fake sees is
    // the order they started (two starting together could reach it in either order).
    for (let started = 3; started <= 5; started++) {
      s.fake.release(1)
      for (let waited = 0; s.fake.requests.length < started && waited < 200; waited++) await Bun.sleep(10)
      expect(s.fake.requests).toHaveLength(started)
    }
    s.fake.release(2)
    for (const id of ids) await s.client.next('new_message', (d) => d.sender === 'ai' && d.conversationId === id)
    expect(s.fake.maxOpen).toBe(2)
    expect(s.fake.requests.map((r) => r.body.messages.at(-1).content)).toEqual(['q0', 'q1', 'q2', 'q3', 'q4'])
  })

  test('a conversation never generates two replies at once: the second waits for the first', async () => {
    await using s = await setup({ kind: 'gated', chunks: ['answer'] })
    s.client.emit('send_message', { conversationId: s.id, content: 'first' })
    s.client.emit('send_message', { conversationId: s.id, content: 'second' })
    await s.client.next('new_message', (d) => d.content === 'second')
    await Bun.sleep(100)
    expect(s.fake.requests).toHaveLength(1)
    s.fake.release(1)
    const first = await s.client.next('new_message', (d) => d.sender === 'ai')
    s.fake.release(1)
    const second = await s.client.next('new_message', (d) => d.sender === 'ai')
    const users = s.client.inbox.named('new_message').filter((m) => m.sender === 'user')
    expect([first.reply_to, second.reply_to]).toEqual(users.map((u) => u.id))
    // The second reply saw the first one in its history, and only messages up to its own question.
    expect(s.fake.requests[1]?.body.messages.map((m: { content: string }) => m.content)).toEqual([
      'You are a helpful assistant.',
      'first',
      'second',
    ])
  })
})

/** The bot itself against the fake: every event it yields, and the error it ended with. */
async function run(url: string, signal = new AbortController().signal, bot = botFor(url)) {
  const events: BotEvent[] = []
  const question = messageOf('why?', 'm')
  try {
    for await (const e of bot.reply(
      { assistant: testAssistant, conversation: {} as never, history: [question], message: question },
      signal,
    ))
      events.push(e)
  } catch (error) {
    return { events, error }
  }
  return { events, error: undefined }
}

const botFor = (url: string) => openaiBot({ baseUrl: url, apiKey: KEY, timeoutMs: 10_000 })

describe('openai provider: reasoning, usage and finish', () => {
  test('reasoning and text as they arrive, then the usage and the finish with the model that answered', async () => {
    await using fake = await fakeOpenAI({
      kind: 'reply',
      chunks: [{ reasoning_content: 'The user ' }, { reasoning: 'asks why.' }, 'Because', '.'],
      usage: { prompt_tokens: 12, completion_tokens: 30, total_tokens: 42 },
      model: 'test-model-2025-01-01',
    })
    const { events, error } = await run(fake.url)
    expect(error).toBeUndefined()
    expect(events).toEqual([
      { type: 'reasoning', text: 'The user ' },
      { type: 'reasoning', text: 'asks why.' },
      { type: 'delta', text: 'Because' },
      { type: 'delta', text: '.' },
      { type: 'usage', inputTokens: 12, outputTokens: 30 },
      { type: 'finish', reason: 'stop', model: 'test-model-2025-01-01' },
    ])
    expect(fake.requests[0]?.body.stream_options).toEqual({ include_usage: true })
  })

  test('a delta carrying both reasoning fields (vLLM while renaming them) is reported once', async () => {
    await using fake = await fakeOpenAI({
      kind: 'reply',
      chunks: [
        { reasoning_content: 'hmm', reasoning: 'hmm' },
        { content: 'ok', reasoning: '' },
      ],
    })
    const { events } = await run(fake.url)
    expect(events.filter((e) => e.type === 'reasoning')).toEqual([{ type: 'reasoning', text: 'hmm' }])
  })

  test.each(['length', 'content_filter', 'tool_calls'])('finish_reason %s is reported as it came', async (finish) => {
    await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['cut sh'], finish })
    const { events } = await run(fake.url)
    expect(events.at(-1)).toEqual({ type: 'finish', reason: finish, model: 'test-model' })
  })

  test('usage on the finish_reason chunk (llama.cpp) is read too, and reported once', async () => {
    await using fake = await fakeOpenAI({
      kind: 'reply',
      chunks: ['a', 'b'],
      usageOn: 'finish',
      usage: { prompt_tokens: 3, completion_tokens: 2 },
    })
    const { events } = await run(fake.url)
    expect(events.slice(-2)).toEqual([
      { type: 'usage', inputTokens: 3, outputTokens: 2 },
      { type: 'finish', reason: 'stop', model: 'test-model' },
    ])
  })

  test('a server that ignores stream_options sends no usage: none is reported, the finish still is', async () => {
    await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['hi'], usage: null })
    const { events } = await run(fake.url)
    expect(events).toEqual([
      { type: 'delta', text: 'hi' },
      { type: 'finish', reason: 'stop', model: 'test-model' },
    ])
  })

  test.each([
    ['negative', { prompt_tokens: -1, completion_tokens: 2 }],
    ['fractional', { prompt_tokens: 1.5, completion_tokens: 2 }],
    ['over 10^9', { prompt_tokens: 1, completion_tokens: 1_000_000_001 }],
    ['strings', { prompt_tokens: '1', completion_tokens: '2' }],
    ['missing a count', { prompt_tokens: 1 }],
  ])('an unbelievable usage (%s) is ignored, not thrown', async (_name, usage) => {
    await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['hi'], usage: usage as never })
    const { events, error } = await run(fake.url)
    expect(error).toBeUndefined()
    expect(events.map((e) => e.type)).toEqual(['delta', 'finish'])
  })

  test('the largest believable counts pass; an over-long model name is dropped, an over-long reason cut', async () => {
    await using fake = await fakeOpenAI({
      kind: 'reply',
      chunks: ['hi'],
      usage: { prompt_tokens: 0, completion_tokens: 1_000_000_000 },
      model: 'm'.repeat(201),
      finish: 'r'.repeat(100),
    })
    const { events } = await run(fake.url)
    expect(events.slice(1)).toEqual([
      { type: 'usage', inputTokens: 0, outputTokens: 1_000_000_000 },
      { type: 'finish', reason: 'r'.repeat(64), model: undefined },
    ])
  })

  test('a stream that ends without a finish_reason yields no finish and fails', async () => {
    await using fake = await fakeOpenAI({ kind: 'cut', chunks: [{ reasoning_content: 'so' }, 'half'] })
    const { events, error } = await run(fake.url)
    expect(events).toEqual([
      { type: 'reasoning', text: 'so' },
      { type: 'delta', text: 'half' },
    ])
    expect(error).toBeInstanceOf(BotError)
    expect((error as BotError).message).toMatch(/before the reply was complete/)
  })

  test('a stopped reply yields no usage and no finish', async () => {
    await using fake = await fakeOpenAI({ kind: 'gated', chunks: ['one', 'two'] })
    const ctrl = new AbortController()
    const events: BotEvent[] = []
    const question = messageOf('go', 'm')
    fake.release(1)
    const input = { assistant: testAssistant, conversation: {} as never, history: [question], message: question }
    for await (const e of botFor(fake.url).reply(input, ctrl.signal)) {
      events.push(e)
      ctrl.abort()
    }
    expect(events).toEqual([{ type: 'delta', text: 'one' }])
  })

  test.each(['azure', 'vllm'] as const)(
    'a server refusing stream_options (%s) is asked again without it, and not asked with it again',
    async (style) => {
      await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['fine'], refuseStreamOptions: style })
      const bot = botFor(fake.url)
      const first = await run(fake.url, undefined, bot)
      expect(first.error).toBeUndefined()
      expect(first.events).toEqual([
        { type: 'delta', text: 'fine' },
        { type: 'finish', reason: 'stop', model: 'test-model' },
      ])
      expect(fake.requests.map((r) => r.body.stream_options)).toEqual([{ include_usage: true }, undefined])
      expect((await run(fake.url, undefined, bot)).error).toBeUndefined()
      expect(fake.requests).toHaveLength(3)
      expect(fake.requests[2]?.body.stream_options).toBeUndefined()
    },
  )

  test('a 400 that does not name stream_options is not retried', async () => {
    await using fake = await fakeOpenAI({
      kind: 'status',
      status: 400,
      body: { error: { message: "'messages' is too long", type: 'invalid_request_error', param: 'messages' } },
    })
    const { error } = await run(fake.url)
    expect((error as BotError).message).toMatch(/refused the request \(HTTP 400\)/)
    expect((error as BotError).detail).toContain("'messages' is too long")
    expect(fake.requests).toHaveLength(1)
  })

  test("an error body in vLLM's shape keeps its message for the log", async () => {
    await using fake = await fakeOpenAI({
      kind: 'status',
      status: 400,
      body: { object: 'error', message: 'This model has a context length of 8 tokens', type: 'BadRequestError' },
    })
    const { error } = await run(fake.url)
    expect((error as BotError).detail).toContain('context length of 8 tokens')
  })

  test('of an error answer only the first 64 KiB are read', async () => {
    await using fake = await fakeOpenAI({
      kind: 'status',
      status: 400,
      body: { error: { message: 'x'.repeat(1 << 20) } },
    })
    const { error } = await run(fake.url)
    expect((error as BotError).message).toMatch(/HTTP 400/)
    expect((error as BotError).detail?.length).toBeLessThan(70_000)
  })

  test('the stream is read as SSE: comments, CRLF, events split across writes, multi-line data, [DONE]', async () => {
    const delta = (content: string, finish: string | null = null) =>
      JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })
    const [a, b] = [delta('Hel'), delta('lo', 'stop')]
    await using fake = await fakeOpenAI({
      kind: 'raw',
      writes: [
        ': OPENROUTER PROCESSING\n\n', // a keep-alive comment
        `data: ${a.slice(0, 9)}`,
        `${a.slice(9)}\r\n\r\n`,
        `event: message\ndata:${b.slice(0, 20)}\ndata:${b.slice(20)}\n\n`, // joined by a newline: still JSON
        'data: [DONE]\n\n',
        `data: ${delta('after the end')}\n\n`,
      ],
    })
    const { events, error } = await run(fake.url)
    expect(error).toBeUndefined()
    expect(events).toEqual([
      { type: 'delta', text: 'Hel' },
      { type: 'delta', text: 'lo' },
      { type: 'finish', reason: 'stop', model: undefined },
    ])
  })

  test.each([
    ['an {error} payload', `data: ${JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } })}\n\n`],
    ['an error event', `event: error\ndata: ${JSON.stringify({ message: 'overloaded' })}\n\n`],
  ])("%s mid-stream fails the reply with the provider's message", async (_name, failure) => {
    const ok = JSON.stringify({ choices: [{ index: 0, delta: { content: 'Par' }, finish_reason: null }] })
    await using fake = await fakeOpenAI({ kind: 'raw', writes: [`data: ${ok}\n\n`, failure] })
    const { events, error } = await run(fake.url)
    expect(events).toEqual([{ type: 'delta', text: 'Par' }])
    expect((error as BotError).message).toMatch(/failed to answer/)
    expect((error as BotError).detail).toContain('overloaded')
  })

  test.each([
    ['not JSON', 'data: {"choices": [\n\n'],
    ['JSON that is no object', 'data: 42\n\n'],
  ])('an event that is %s is a malformed stream', async (_name, bad) => {
    await using fake = await fakeOpenAI({ kind: 'raw', writes: [bad] })
    const { error } = await run(fake.url)
    expect((error as BotError).message).toMatch(/malformed stream/)
  })

  test('an SSE event that never ends fails the reply at 1 MiB instead of being buffered', async () => {
    await using fake = await fakeOpenAI({ kind: 'endless-event' })
    const closed = fake.nextAbort()
    const { events, error } = await run(fake.url)
    expect(events).toEqual([])
    expect((error as BotError).message).toMatch(/malformed stream/)
    expect((error as BotError).detail).toMatch(/longer than 1048576 characters/)
    await closed // the upstream connection is closed, not left streaming
  })
})

test("a user's uploaded image reaches the model as an image input; someone else's file id never does", async () => {
  await using fake = await fakeOpenAI({ kind: 'reply', chunks: ['A cat.'] })
  await using live = await liveServer({ BOT_PROVIDER: 'openai', OPENAI_BASE_URL: fake.url, OPENAI_MODEL: 'm' })
  const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255, 7])
  const upload = async (userId: string) => {
    const form = new FormData()
    form.set('user_id', userId)
    form.set('file', new File([png], 'cat.png', { type: 'image/png' }))
    return (await (await fetch(`${live.base}/files`, { method: 'POST', body: form })).json()) as { url: string }
  }
  const mine = await upload('u')
  const theirs = await upload('mallory')
  const { id } = (await live.call('POST', '/conversations/', { user_id: 'u' })).body
  using watcher = await wsClient(live.ws)
  await watcher.join(id)
  const parts = [
    { type: 'text', text: 'What is this?' },
    { type: 'file', mediaType: 'image/png', url: mine.url, filename: 'cat.png' },
    { type: 'file', mediaType: 'image/png', url: theirs.url, filename: 'secret.png' },
  ]
  await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', parts, reply: true })
  await watcher.next('new_message', (d) => d.sender === 'ai')
  const sent = fake.requests.at(-1)?.body.messages.at(-1)
  expect(sent).toEqual({
    role: 'user',
    content: [
      { type: 'text', text: 'What is this?' },
      { type: 'image_url', image_url: { url: `data:image/png;base64,${Buffer.from(png).toString('base64')}` } },
      { type: 'text', text: '[file: secret.png]' },
    ],
  })
})
