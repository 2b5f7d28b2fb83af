import { expect, test } from 'bun:test'
import { createHmac } from 'node:crypto'
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
