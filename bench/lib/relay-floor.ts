/**
 * The relay benchmark's floor: the least a Bun process can do to relay a model's stream to the
 * same clients, speaking the subset of Parley's protocol they use. `POST /conversations/` answers
 * an id; a WebSocket on `/?conversation_id=` is answered `joined` and subscribed to the room;
 * `POST /conversations/{id}/messages` (Server-Sent Events) or a `send_message` frame asks the model
 * (MODEL_URL, one `fetch` streamed), and each SSE event of its answer is parsed and forwarded as
 * the frames Parley sends: `message_delta` published to the room, `event: delta` on the SSE
 * answer; at the end `new_message` and `event: message`, `event: done`. No storage, no checks.
 */
import type { ServerWebSocket } from 'bun'

const modelUrl = process.env.MODEL_URL as string
const encoder = new TextEncoder()
type Sink = { write(text: string): void; end(): void }

async function reply(conversationId: string, content: string, sse: Sink | null) {
  const messageId = Bun.randomUUIDv7()
  const res = await fetch(`${modelUrl}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'bench',
      messages: [{ role: 'user', content }],
      stream: true,
      stream_options: { include_usage: true },
    }),
  })
  const decoder = new TextDecoder()
  const topic = `c:${conversationId}`
  let rest = ''
  let text = ''
  let index = 0
  for await (const bytes of res.body as ReadableStream<Uint8Array>) {
    const events = (rest + decoder.decode(bytes, { stream: true })).split('\n\n')
    rest = events.pop() as string
    for (const event of events) {
      if (!event.startsWith('data: ') || event === 'data: [DONE]') continue
      const delta = JSON.parse(event.slice(6)).choices?.[0]?.delta?.content
      if (!delta) continue
      text += delta
      const data = { conversationId, messageId, delta, index: index++, part: 0 }
      server.publish(topic, JSON.stringify({ event: 'message_delta', data }))
      sse?.write(`event: delta\ndata: ${JSON.stringify({ messageId, delta, index: data.index, part: 0 })}\n\n`)
    }
  }
  const message = { id: messageId, conversation_id: conversationId, sender: 'ai', content: text }
  server.publish(topic, JSON.stringify({ event: 'new_message', data: { ...message, conversationId } }))
  sse?.write(
    `event: message\ndata: ${JSON.stringify(message)}\n\nevent: done\ndata: {"stopped":false,"replied":true}\n\n`,
  )
  sse?.end()
}

const server = Bun.serve<{ conversationId: string }>({
  hostname: '127.0.0.1',
  port: Number(process.env.PORT),
  idleTimeout: 0,
  async fetch(req, srv) {
    const url = new URL(req.url)
    if (url.pathname === '/health/') return new Response('ok')
    if (url.pathname === '/' && req.method === 'GET') {
      const conversationId = url.searchParams.get('conversation_id') ?? ''
      return srv.upgrade(req, { data: { conversationId } })
        ? undefined
        : new Response('upgrade failed', { status: 400 })
    }
    if (url.pathname === '/conversations/' && req.method === 'POST')
      return Response.json({ id: Bun.randomUUIDv7() }, { status: 201 })
    const m = /^\/conversations\/([^/]+)\/messages$/.exec(url.pathname)
    if (m && req.method === 'POST') {
      const conversationId = m[1] as string
      const { content } = (await req.json()) as { content: string }
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          const first = { id: Bun.randomUUIDv7(), conversation_id: conversationId, sender: 'user', content }
          controller.enqueue(encoder.encode(`event: message\ndata: ${JSON.stringify(first)}\n\n`))
          const sink = { write: (t: string) => controller.enqueue(encoder.encode(t)), end: () => controller.close() }
          reply(conversationId, content, sink).catch((error) => {
            sink.write(`event: error\ndata: ${JSON.stringify({ code: 'bot_failed', message: String(error) })}\n\n`)
            sink.end()
          })
        },
      })
      return new Response(body, { headers: { 'content-type': 'text/event-stream; charset=utf-8' } })
    }
    return new Response('not found', { status: 404 })
  },
  websocket: {
    open(ws: ServerWebSocket<{ conversationId: string }>) {
      ws.subscribe(`c:${ws.data.conversationId}`)
      ws.send(JSON.stringify({ event: 'joined', data: { conversationId: ws.data.conversationId, seq: 0 } }))
    },
    message(ws, message) {
      const { event, data } = JSON.parse(String(message))
      if (event !== 'send_message') return
      reply(data.conversationId, data.content, null).catch((error) =>
        ws.send(JSON.stringify({ event: 'error', data: { code: 'bot_failed', message: String(error) } })),
      )
    },
  },
})
