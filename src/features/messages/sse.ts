import type { ReplyHandle } from '../../chat/replies'
import type { Message } from '../../storage/store'

// Comments keep proxies and Bun's idle timeout from cutting a reply that is slow to start.
const KEEP_ALIVE_MS = 15_000

/** True when the client asked for a Server-Sent Events answer. */
export const wantsEventStream = (request: Request) =>
  request.headers.get('accept')?.includes('text/event-stream') ?? false

/**
 * A reply as Server-Sent Events: `message` (the stored user message, when there is one),
 * `delta` per text chunk (`part_delta` per reasoning chunk), `message` (the stored reply), then
 * `done`; or `error` then `done`.
 * Closing the connection only stops the stream: the reply is still stored and published.
 */
export function replyEventStream(first: Message | null, reply: ReplyHandle | null): Response {
  const encoder = new TextEncoder()
  let closed = false
  let keepAlive: ReturnType<typeof setInterval> | undefined
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const write = (text: string) => {
        if (closed) return
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          closed = true
        }
      }
      const send = (event: string, data: unknown) => write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)
      keepAlive = setInterval(() => write(': keep-alive\n\n'), KEEP_ALIVE_MS)
      if (first) send('message', first)
      if (!reply) send('done', { stopped: false, replied: false })
      else {
        for await (const event of reply.events()) {
          if (closed) break
          if (event.type === 'start') continue // the reply's id comes with its first delta
          if (event.type === 'delta')
            send('delta', { messageId: event.messageId, delta: event.delta, index: event.index, part: event.part })
          else if (event.type === 'part_delta') {
            const { messageId, delta, index, part, kind } = event
            send('part_delta', { messageId, delta, index, part, type: kind })
          } else if (event.type === 'message') send('message', event.message)
          else if (event.type === 'error') send('error', { code: event.code, message: event.message })
          else send('done', { stopped: event.stopped, replied: true })
        }
      }
      clearInterval(keepAlive)
      if (!closed) controller.close()
      closed = true
    },
    cancel() {
      closed = true
      clearInterval(keepAlive)
    },
  })
  return new Response(body, {
    headers: {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    },
  })
}
