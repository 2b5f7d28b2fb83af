/**
 * A small OpenAI-compatible server on 127.0.0.1 speaking the real wire format of
 * POST /v1/chat/completions with stream: true (SSE `data: {chunk}` lines, then `data: [DONE]`).
 * It records every request and can be told to fail, stall, cut the stream, send garbage, or
 * hold each chunk until the test releases it.
 *
 * Like OpenAI, it ends a stream with a finish_reason chunk and, when the request asked for
 * `stream_options: {include_usage: true}`, a last chunk with `choices: []` and the usage (every
 * other chunk then carries `usage: null`). A script can change both, put reasoning in deltas,
 * report another model, or refuse `stream_options` as servers that do not know it do.
 */
export type Behaviour =
  | ({ kind: 'reply'; delayMs?: number } & Script)
  | ({ kind: 'gated' } & Script) // each chunk waits for release()
  | { kind: 'status'; status: number; body?: unknown }
  | { kind: 'stall' } // headers sent, then nothing
  | { kind: 'silent' } // no response at all
  | ({ kind: 'cut' } & Script) // chunks, then the connection closes without finish/[DONE]
  | { kind: 'malformed' }
  | { kind: 'endless-event' } // one SSE event that never ends, sent until the client hangs up
  | { kind: 'raw'; writes: string[] } // these bytes as they are, one write each, then the end

/** A chunk's delta: its text content, or wire fields of the delta object (`reasoning_content`…). */
export type Piece = string | Record<string, unknown>

export type Usage = { prompt_tokens: unknown; completion_tokens: unknown; total_tokens?: unknown }

export type Script = {
  chunks: Piece[]
  /** The finish_reason of the last chunk ('stop' unless told). */
  finish?: string
  /**
   * The usage sent when the request asked for it (default: 9 prompt tokens, one completion token
   * a chunk); null: none, as servers that ignore `stream_options` do.
   */
  usage?: Usage | null
  /** Where the usage goes: its own last chunk (OpenAI) or the finish_reason chunk (llama.cpp). */
  usageOn?: 'own-chunk' | 'finish'
  /** The `model` the chunks report (default: the requested one). */
  model?: string
  /** Answer 400 to a request carrying `stream_options`, as Azure OpenAI or vLLM before 0.5 did. */
  refuseStreamOptions?: 'azure' | 'vllm'
}

/** The 400 answers of servers that do not know `stream_options`, as they were sent. */
const refusals = {
  azure: {
    error: {
      message:
        'Unrecognized request argument supplied: stream_options. Please contact us through an Azure support request at: https://go.microsoft.com/fwlink/?linkid=2213926 for further questions.',
      type: 'invalid_request_error',
      param: null,
      code: null,
    },
  },
  // vLLM's error body is not wrapped in {error}.
  vllm: {
    object: 'error',
    message:
      "[{'type': 'extra_forbidden', 'loc': ('body', 'stream_options'), 'msg': 'Extra inputs are not permitted', 'input': {'include_usage': True}}]",
    type: 'BadRequestError',
    param: null,
    code: 400,
  },
}

/** `arrival`: the order requests reached the server, before their bodies were read. */
export type Recorded = { body: any; headers: Record<string, string>; at: number; arrival: number }

export async function fakeOpenAI(initial: Behaviour = { kind: 'reply', chunks: ['Hi', ' there'] }) {
  let behaviour = initial
  const queued: Behaviour[] = []
  const requests: Recorded[] = [] // in arrival order
  let arrivals = 0
  let aborted = 0
  let open = 0
  let maxOpen = 0
  let allowance = 0
  const wake: (() => void)[] = []
  const onAbort: (() => void)[] = []

  const chunk = (
    model: string,
    piece: Piece | null,
    finish: string | null,
    usage?: { usage: Usage | null },
    choices = true,
  ) =>
    `data: ${JSON.stringify({
      id: 'chatcmpl-test',
      object: 'chat.completion.chunk',
      created: 1,
      model,
      choices: choices
        ? [
            {
              index: 0,
              delta: piece === null ? {} : typeof piece === 'string' ? { role: 'assistant', content: piece } : piece,
              finish_reason: finish,
            },
          ]
        : [],
      ...usage,
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
      // Queued behaviours answer the next requests in turn; then the current one answers.
      const b = queued.shift() ?? behaviour
      // retry-after-ms keeps the SDK's retries (which it makes for 429 and 5xx) fast in tests.
      if (b.kind === 'status')
        return Response.json(b.body ?? { error: { message: `failure ${b.status}` } }, {
          status: b.status,
          headers: { 'retry-after-ms': '5' },
        })
      if ('refuseStreamOptions' in b && b.refuseStreamOptions && body.stream_options !== undefined)
        return Response.json(refusals[b.refuseStreamOptions], { status: 400 })
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
          if (b.kind === 'raw') {
            for (const text of b.writes) {
              send(text)
              await Bun.sleep(1)
            }
            return finish()
          }
          if (b.kind === 'endless-event') {
            send('data: {"choices": [{"index": 0, "delta": {"content": "')
            // 64 MiB at most, so a client that never gives up cannot keep the test running.
            const block = 'a'.repeat(64 * 1024)
            for (let i = 0; i < 1024 && !req.signal.aborted; i++) {
              send(block)
              await Bun.sleep(0)
            }
            return finish()
          }
          const model = b.model ?? body.model
          const withUsage = body.stream_options?.include_usage === true
          const usage = b.usage === undefined ? { prompt_tokens: 9, completion_tokens: b.chunks.length } : b.usage
          const nullUsage = withUsage ? { usage: null } : undefined
          for (const piece of b.chunks) {
            if (b.kind === 'gated') {
              while (allowance <= 0 && !req.signal.aborted) await new Promise<void>((r) => wake.push(r))
              allowance--
            } else if (b.kind === 'reply' && b.delayMs) await Bun.sleep(b.delayMs)
            if (req.signal.aborted) return
            send(chunk(model, piece, null, nullUsage))
          }
          if (b.kind === 'cut') return finish()
          const onFinish = withUsage && usage && b.usageOn === 'finish'
          send(chunk(model, null, b.finish ?? 'stop', onFinish ? { usage } : nullUsage))
          if (withUsage && usage && !onFinish) send(chunk(model, null, null, { usage }, false))
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
    /** The next requests get these, one each, before the current behaviour answers again. */
    queue(...next: Behaviour[]) {
      queued.push(...next)
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

/**
 * The streamed chunks of tool calls as OpenAI sends them: per call, a first delta with its
 * index, id and function name (empty arguments), then its arguments in pieces of `piece`
 * characters; the step ends with finish_reason "tool_calls".
 */
export function toolCallScript(
  calls: { name: string; arguments: Record<string, unknown>; id?: string }[],
  piece = 7,
): Extract<Behaviour, { kind: 'reply' }> {
  const chunks: Piece[] = []
  calls.forEach((call, index) => {
    const id = call.id ?? `call_${index}`
    chunks.push({ tool_calls: [{ index, id, type: 'function', function: { name: call.name, arguments: '' } }] })
    const args = JSON.stringify(call.arguments)
    for (let i = 0; i < args.length; i += piece)
      chunks.push({ tool_calls: [{ index, function: { arguments: args.slice(i, i + piece) } }] })
  })
  return { kind: 'reply', chunks, finish: 'tool_calls' }
}
