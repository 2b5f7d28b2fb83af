/**
 * A small OpenAI-compatible server on 127.0.0.1 speaking the real wire format of
 * POST /v1/chat/completions with stream: true (SSE `data: {chunk}` lines, then `data: [DONE]`).
 * It records every request and can be told to fail, stall, cut the stream, send garbage, or
 * hold each chunk until the test releases it.
 */
export type Behaviour =
  | { kind: 'reply'; chunks: string[]; delayMs?: number }
  | { kind: 'gated'; chunks: string[] } // each chunk waits for release()
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'stall' } // headers sent, then nothing
  | { kind: 'silent' } // no response at all
  | { kind: 'cut'; chunks: string[] } // chunks, then the connection closes without finish/[DONE]
  | { kind: 'malformed' }

/** `arrival`: the order requests reached the server, before their bodies were read. */
export type Recorded = { body: any; headers: Record<string, string>; at: number; arrival: number }

export async function fakeOpenAI(initial: Behaviour = { kind: 'reply', chunks: ['Hi', ' there'] }) {
  let behaviour = initial
  const requests: Recorded[] = [] // in arrival order
  let arrivals = 0
  let aborted = 0
  let open = 0
  let maxOpen = 0
  let allowance = 0
  const wake: (() => void)[] = []
  const onAbort: (() => void)[] = []

  const chunk = (model: string, content: string | null, finish: string | null) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1,
      model,
      choices: [{ index: 0, delta: content === null ? {} : { role: 'assistant', content }, finish_reason: finish }],
    })}\n\n`

  const server = Bun.serve({
    hostname: '127.0.0.1',
    port: 0,
    idleTimeout: 0,
    async fetch(req) {
      const arrival = arrivals++
      const body: any = await req.json()
      // Bodies can finish reading out of order: keep the list in the order requests came in.
      requests.push({ body, headers: Object.fromEntries(req.headers), at: performance.now(), arrival })
      requests.sort((a, b) => a.arrival - b.arrival)
      const b = behaviour
      // retry-after-ms keeps the SDK's retries (which it makes for 429 and 5xx) fast in tests.
      if (b.kind === 'status')
        return Response.json(b.body ?? { error: { message: `failure ${b.status}` } }, {
          status: b.status,
          headers: { 'retry-after-ms': '5' },
        })
      open++
      maxOpen = Math.max(maxOpen, open)
      let done = false
      req.signal.addEventListener('abort', () => {
        if (!done) aborted++
        done = true
        open--
        for (const f of onAbort.splice(0)) f()
        for (const w of wake.splice(0)) w()
      })
      if (b.kind === 'silent') return new Promise<Response>(() => {})
      const enc = new TextEncoder()
      const stream = new ReadableStream<Uint8Array>({
        async start(c) {
          const send = (s: string) => {
            if (!req.signal.aborted) c.enqueue(enc.encode(s))
          }
          const finish = () => {
            if (!done) {
              done = true
              open--
            }
            try {
              c.close()
            } catch {}
          }
          if (b.kind === 'stall') return
          if (b.kind === 'malformed') {
            send(chunk(body.model, 'ok', null))
            send('data: {this is not json\n\n')
            return finish()
          }
          for (const text of b.chunks) {
            if (b.kind === 'gated') {
              while (allowance <= 0 && !req.signal.aborted) await new Promise<void>((r) => wake.push(r))
              allowance--
            } else if (b.kind === 'reply' && b.delayMs) await Bun.sleep(b.delayMs)
            if (req.signal.aborted) return
            send(chunk(body.model, text, null))
          }
          if (b.kind === 'cut') return finish()
          send(chunk(body.model, null, 'stop'))
          send('data: [DONE]\n\n')
          finish()
        },
      })
      return new Response(stream, { headers: { 'content-type': 'text/event-stream' } })
    },
  })

  return {
    url: `http://127.0.0.1:${server.port}/v1`,
    requests,
    get aborted() {
      return aborted
    },
    get maxOpen() {
      return maxOpen
    },
    set(next: Behaviour) {
      behaviour = next
    },
    release(n = 1) {
      allowance += n
      for (const w of wake.splice(0)) w()
    },
    /** Resolves when the next upstream connection is closed by the client. */
    nextAbort: () => new Promise<void>((r) => onAbort.push(r)),
    stop: () => server.stop(true),
    async [Symbol.asyncDispose]() {
      await server.stop(true)
    },
  }
}
