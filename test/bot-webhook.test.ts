import { expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
import { BotError, type BotEvent } from '../src/bots/bot'
import { MAX_ANSWER_BYTES, MAX_LINE_CHARS, webhookBot } from '../src/bots/webhook'
import { testAssistant } from './bots'
import { messageOf } from './helpers'
import { liveServer, wsClient } from './live'

const SECRET = 'whsec-test-0123456789'

/** A webhook receiver on 127.0.0.1 answering with `answer(body)`; records raw bodies and headers. */
async function receiver(answer: (body: any) => Response) {
  const seen: { raw: string; body: any; headers: Headers }[] = []
  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    async fetch(req) {
      const raw = await req.text()
      const body = JSON.parse(raw)
      seen.push({ raw, body, headers: req.headers })
      return answer(body)
    },
  })
  return { url: `http://127.0.0.1:${server.port}/hook`, seen, stop: () => server.stop(true) }
}

async function chat(url: string, content = 'hello') {
  const live = await liveServer({ BOT_PROVIDER: 'webhook', WEBHOOK_URL: url, WEBHOOK_SECRET: SECRET })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u', title: 'T' })).body.id as string
  const c = await wsClient(live.ws)
  await c.join(id)
  c.emit('send_message', { conversationId: id, content })
  return { live, id, c }
}

test('JSON answers with actions; the request is signed and carries conversation, history and message', async () => {
  const hook = await receiver((body) =>
    Response.json({ content: `You said: ${body.message.content}`, actions: [{ label: 'Yes', value: 'yes' }, 'No'] }),
  )
  const { live, id, c } = await chat(hook.url)
  try {
    const reply = await c.next('new_message', (d) => d.sender === 'ai')
    expect(reply.content).toBe('You said: hello')
    expect(reply.metadata.actions).toEqual([
      { type: 'reply', label: 'Yes', value: 'yes' },
      { type: 'reply', label: 'No', value: 'No' },
    ])
    expect(reply.actions).toEqual({ action1: 'Yes', action2: 'No' })
    const [req] = hook.seen
    expect(req?.body.conversation).toMatchObject({ id, title: 'T' })
    expect(req?.body.message).toMatchObject({ content: 'hello', sender: 'user' })
    expect(req?.body.messages.map((m: { content: string }) => m.content)).toEqual(['hello'])
    const expected = `sha256=${createHmac('sha256', SECRET)
      .update(req?.raw as string)
      .digest('hex')}`
    expect(req?.headers.get('x-parley-signature')).toBe(expected)
    expect(live.log.lines.join('')).not.toContain(SECRET)
  } finally {
    c.close()
    await live.stop()
    hook.stop()
  }
})

test.each([
  ['SSE', 'text/event-stream', (d: string) => `data: ${JSON.stringify({ delta: d })}\n\n`, 'data: [DONE]\n\n'],
  ['newline-delimited JSON', 'application/x-ndjson', (d: string) => `${JSON.stringify({ delta: d })}\n`, ''],
])('%s streams are relayed delta by delta', async (_name, type, line, end) => {
  const parts = ['Streamed ', 'from ', 'the hook']
  const hook = await receiver(
    () =>
      new Response(
        new ReadableStream({
          async start(ctrl) {
            for (const p of parts) {
              ctrl.enqueue(new TextEncoder().encode(line(p)))
              await Bun.sleep(10)
            }
            ctrl.enqueue(new TextEncoder().encode(`${JSON.stringify({ actions: ['More'] })}\n${end}`))
            ctrl.close()
          },
        }),
        { headers: { 'content-type': type } },
      ),
  )
  const { live, c } = await chat(hook.url)
  try {
    const reply = await c.next('new_message', (d) => d.sender === 'ai')
    expect(reply.content).toBe(parts.join(''))
    expect(c.inbox.named('message_delta').map((d) => d.delta)).toEqual(parts)
    if (type === 'application/x-ndjson')
      expect(reply.metadata.actions).toEqual([{ type: 'reply', label: 'More', value: 'More' }])
  } finally {
    c.close()
    await live.stop()
    hook.stop()
  }
})

test.each([
  ['an HTTP error', () => new Response('nope', { status: 500 }), /HTTP 500/],
  ['an unreadable answer', () => Response.json({ text: 'wrong field' }), /cannot read/],
])('%s is a bot_failed error and nothing is stored for the bot', async (_name, answer, message) => {
  const hook = await receiver(answer)
  const { live, id, c } = await chat(hook.url)
  try {
    const error = await c.next('error')
    expect(error).toMatchObject({ code: 'bot_failed' })
    expect(error.message).toMatch(message)
    const stored = (await live.call('GET', `/conversations/${id}`)).body.messages
    expect(stored.map((m: { sender: string }) => m.sender)).toEqual(['user'])
  } finally {
    c.close()
    await live.stop()
    hook.stop()
  }
})

/** The bot itself against a receiver: every event it yields, and the error it ended with. */
async function run(answer: (body: any) => Response) {
  const hook = await receiver(answer)
  const events: BotEvent[] = []
  const question = messageOf('why?', 'm')
  const input = { assistant: testAssistant, conversation: {} as never, history: [question], message: question }
  try {
    for await (const e of webhookBot({ url: hook.url, secret: SECRET }).reply(input, AbortSignal.timeout(10_000)))
      events.push(e)
    return { events, error: undefined }
  } catch (error) {
    return { events, error }
  } finally {
    hook.stop()
  }
}

/** A streamed answer: the pieces, 2 ms apart. */
const streamed = (type: string, pieces: string[]) => () =>
  new Response(
    new ReadableStream({
      async start(ctrl) {
        for (const p of pieces) {
          ctrl.enqueue(new TextEncoder().encode(p))
          await Bun.sleep(2)
        }
        ctrl.close()
      },
    }),
    { headers: { 'content-type': type } },
  )

test('a JSON answer reports its reasoning, content, actions, usage and finish', async () => {
  const { events, error } = await run(() =>
    Response.json({
      content: 'Because.',
      reasoning: 'The user asks why.',
      actions: ['Why not?'],
      usage: { input_tokens: 12, output_tokens: 3 },
      finish_reason: 'stop',
      model: 'my-model',
    }),
  )
  expect(error).toBeUndefined()
  expect(events).toEqual([
    { type: 'reasoning', text: 'The user asks why.' },
    { type: 'delta', text: 'Because.' },
    { type: 'actions', actions: [{ type: 'reply', label: 'Why not?', value: 'Why not?' }] },
    { type: 'usage', inputTokens: 12, outputTokens: 3 },
    { type: 'finish', reason: 'stop', model: 'my-model' },
  ])
})

test('a JSON answer with only content yields only the text', async () => {
  expect((await run(() => Response.json({ content: 'hi' }))).events).toEqual([{ type: 'delta', text: 'hi' }])
})

test.each([
  ['SSE', 'text/event-stream', (o: object) => `data: ${JSON.stringify(o)}\n\n`],
  ['newline-delimited JSON', 'application/x-ndjson', (o: object) => `${JSON.stringify(o)}\n`],
])('%s streams: reasoning and text as they come, then actions, usage and finish', async (_name, type, line) => {
  const { events, error } = await run(
    streamed(type, [
      line({ reasoning: 'Think' }),
      line({ reasoning: 'ing.' }),
      line({ delta: 'An' }),
      line({ usage: { input_tokens: 1, output_tokens: 1 } }), // a later usage replaces it
      line({ delta: 'swer' }),
      line({ actions: ['More'] }),
      line({ usage: { input_tokens: 5, output_tokens: 2 } }),
      line({ finish_reason: 'length', model: 'm-1' }),
    ]),
  )
  expect(error).toBeUndefined()
  expect(events).toEqual([
    { type: 'reasoning', text: 'Think' },
    { type: 'reasoning', text: 'ing.' },
    { type: 'delta', text: 'An' },
    { type: 'delta', text: 'swer' },
    { type: 'actions', actions: [{ type: 'reply', label: 'More', value: 'More' }] },
    { type: 'usage', inputTokens: 5, outputTokens: 2 },
    { type: 'finish', reason: 'length', model: 'm-1' },
  ])
})

const ignored: [string, object][] = [
  ['negative tokens', { usage: { input_tokens: -1, output_tokens: 2 } }],
  ['fractional tokens', { usage: { input_tokens: 1.5, output_tokens: 2 } }],
  ['tokens over 10^9', { usage: { input_tokens: 1, output_tokens: 1_000_000_001 } }],
  ['tokens as strings', { usage: { input_tokens: '1', output_tokens: '2' } }],
  ['a missing count', { usage: { input_tokens: 1 } }],
  ['usage as an array', { usage: [1, 2] }],
  ['an empty reason', { finish_reason: '' }],
  ['a reason over 64 characters', { finish_reason: 'r'.repeat(65) }],
  ['a reason that is not a string', { finish_reason: 1 }],
  ['a model without a reason', { model: 'm' }],
  ['reasoning that is not a string', { reasoning: ['x'] }],
  ['empty reasoning', { reasoning: '' }],
]
test.each(ignored)('%s is ignored, never thrown, in a JSON answer and in a stream', async (_name, extra) => {
  const json = await run(() => Response.json({ content: 'ok', ...extra }))
  expect(json).toEqual({ events: [{ type: 'delta', text: 'ok' }], error: undefined })
  const ndjson = await run(
    streamed('application/x-ndjson', [`${JSON.stringify({ delta: 'ok', ...extra })}\n`, 'null\n', '[1]\n']),
  )
  expect(ndjson).toEqual({ events: [{ type: 'delta', text: 'ok' }], error: undefined })
})

test('the bounds themselves pass: 0 and 10^9 tokens, a 64-character reason, a 200-character model', async () => {
  const { events } = await run(() =>
    Response.json({
      content: 'ok',
      usage: { input_tokens: 0, output_tokens: 1_000_000_000 },
      finish_reason: 'r'.repeat(64),
      model: 'm'.repeat(200),
    }),
  )
  expect(events.slice(1)).toEqual([
    { type: 'usage', inputTokens: 0, outputTokens: 1_000_000_000 },
    { type: 'finish', reason: 'r'.repeat(64), model: 'm'.repeat(200) },
  ])
  const longModel = await run(() => Response.json({ content: 'ok', finish_reason: 'stop', model: 'm'.repeat(201) }))
  expect(longModel.events.at(-1)).toEqual({ type: 'finish', reason: 'stop', model: undefined })
})

test('a stream line over the limit fails the reply instead of being buffered', async () => {
  const endless = () =>
    new Response(
      new ReadableStream({
        pull(ctrl) {
          ctrl.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)))
        },
      }),
      { headers: { 'content-type': 'application/x-ndjson' } },
    )
  const { events, error } = await run(endless)
  expect(events).toEqual([])
  expect((error as BotError).message).toMatch(/cannot read/)
  expect((error as BotError).detail).toContain(`a line over ${MAX_LINE_CHARS} characters`)
})

test('a JSON answer over the limit fails the reply instead of being buffered', async () => {
  const { error } = await run(() => Response.json({ content: 'x'.repeat(MAX_ANSWER_BYTES) }))
  expect(error).toBeInstanceOf(BotError)
  expect((error as BotError).detail).toContain(`an answer over ${MAX_ANSWER_BYTES} bytes`)
})
