// Comments keep proxies and Bun's idle timeout from cutting a stream that is slow to start.
const KEEP_ALIVE_MS = 15_000

/** What a stream's producer writes with: false once the client has gone. */
export type Sink = { write(text: string): void; readonly closed: boolean }

/**
 * A Server-Sent Events response whose body `produce` writes, with a keep-alive comment every
 * 15 s. A client that goes only stops the writing (`sink.closed`): whatever `produce` follows
 * (a reply) goes on.
 */
export function eventStream(produce: (sink: Sink) => Promise<void>, headers: Record<string, string>): Response {
  const encoder = new TextEncoder()
  let closed = false
  let keepAlive: ReturnType<typeof setInterval> | undefined
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const sink: Sink = {
        write(text) {
          if (closed) return
          try {
            controller.enqueue(encoder.encode(text))
          } catch {
            closed = true
          }
        },
        get closed() {
          return closed
        },
      }
      keepAlive = setInterval(() => sink.write(': keep-alive\n\n'), KEEP_ALIVE_MS)
      try {
        await produce(sink)
      } finally {
        clearInterval(keepAlive)
        if (!closed) controller.close()
        closed = true
      }
    },
    cancel() {
      closed = true
      clearInterval(keepAlive)
    },
  })
  return new Response(body, { headers: { 'cache-control': 'no-cache', 'x-accel-buffering': 'no', ...headers } })
}
