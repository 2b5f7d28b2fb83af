/**
 * The relay benchmark's model: an OpenAI-compatible server on 127.0.0.1 speaking the wire format
 * of test/fake-openai.ts (POST …/chat/completions with stream: true answered by SSE `data:
 * {chunk}` events, a finish_reason chunk, the usage chunk when asked for, `data: [DONE]`), written
 * as raw HTTP/1.1 over `Bun.listen` so that the moment a chunk is handed to the kernel is known:
 * `sentAt(tag, i)` is the `performance.now()` just before chunk i of the reply tagged `tag` (the
 * last user message's text) was written. It runs in the load generator's process, so the clients
 * compare their receive times against the same clock, with no cross-process offset.
 *
 * `plan(tag)` says how many chunks a reply has and how fast they go. Each stream writes its next
 * chunk once the previous one is in the kernel (`write` took all of it, else after `drain`) and,
 * with `intervalMs` 0, after one turn of the event loop (so streams interleave): as fast as it
 * can. Otherwise chunk i is due `intervalMs` after chunk i-1 (after a random phase for the first,
 * as independent replies would be), and written then or as soon after as the process gets to it.
 */
import type { Socket } from 'bun'

/** How the reply to a tag streams: its chunk count and pace (0: as fast as it can). */
export type Plan = { tokens: number; intervalMs: number }
export type ModelOptions = { port: number; plan: (tag: string) => Plan }

const WORDS = [' the', ' quick', ' brown', ' fox', ' jumps', ' over', ' a', ' lazy', ' dog', ' and', ' runs', ' away']
const HEAD =
  'HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n\r\n'

type Conn = { buf: Buffer; pending: string; wake: (() => void) | null; closed: boolean; busy: boolean }

/** One HTTP chunk (the text is ASCII, so its length is its byte count). */
const framed = (s: string) => `${s.length.toString(16)}\r\n${s}\r\n`

export function startModel({ port, plan }: ModelOptions) {
  const sent = new Map<string, Float64Array>()
  let open = 0
  let maxOpen = 0
  let streams = 0
  let failures = 0

  // Every stream sends the same chunks: built once per model name and usage flag.
  const built = new Map<string, string[]>()
  const chunksFor = (model: string, usage: boolean, tokens: number) => {
    const key = `${usage}:${tokens}:${model}`
    let chunks = built.get(key)
    if (chunks) return chunks
    const nullUsage = usage ? { usage: null } : {}
    const event = (choices: unknown[], extra: object) =>
      framed(
        `data: ${JSON.stringify({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: 1, model, choices, ...extra })}\n\n`,
      )
    chunks = Array.from({ length: tokens }, (_, i) =>
      event(
        [
          {
            index: 0,
            delta: i === 0 ? { role: 'assistant', content: 'Hello' } : { content: WORDS[i % WORDS.length] },
            finish_reason: null,
          },
        ],
        nullUsage,
      ),
    )
    let tail = event([{ index: 0, delta: {}, finish_reason: 'stop' }], nullUsage)
    if (usage) tail += event([], { usage: { prompt_tokens: 9, completion_tokens: tokens, total_tokens: 9 + tokens } })
    chunks.push(`${tail}${framed('data: [DONE]\n\n')}0\r\n\r\n`)
    built.set(key, chunks)
    return chunks
  }

  /** Writes all of `text`; resolves once the kernel has taken it (false: the socket closed). */
  const write = (s: Socket<Conn>, text: string): boolean | Promise<boolean> => {
    const n = s.write(text)
    if (n === text.length) return true
    if (n < 0 || s.data.closed) return false
    s.data.pending = text.slice(n)
    return new Promise<boolean>((resolve) => {
      s.data.wake = () => resolve(!s.data.closed)
    })
  }

  async function stream(s: Socket<Conn>, body: any) {
    const tag = String(body.messages?.findLast?.((m: any) => m.role === 'user')?.content ?? '')
    const { tokens, intervalMs } = plan(tag)
    const times = new Float64Array(tokens).fill(Number.NaN)
    sent.set(tag, times)
    streams++
    open++
    maxOpen = Math.max(maxOpen, open)
    try {
      const chunks = chunksFor(String(body.model), body.stream_options?.include_usage === true, tokens)
      if (!(await write(s, HEAD))) return
      let next = performance.now() + Math.random() * intervalMs
      for (let i = 0; i <= tokens; i++, next += intervalMs) {
        if (intervalMs > 0) {
          const wait = next - performance.now()
          await (wait > 0 ? Bun.sleep(wait) : null)
        } else await new Promise<void>((r) => setImmediate(r))
        if (s.data.closed) return
        if (i < tokens) times[i] = performance.now()
        const w = write(s, chunks[i] as string)
        if (!(w === true || (await w))) return
      }
    } finally {
      open--
    }
  }

  function request(s: Socket<Conn>) {
    const d = s.data
    if (d.busy) return
    const end = d.buf.indexOf('\r\n\r\n')
    if (end < 0) return
    const head = d.buf.subarray(0, end).toString('latin1')
    const length = Number(/\r\ncontent-length:\s*(\d+)/i.exec(head)?.[1] ?? 0)
    if (d.buf.length < end + 4 + length) return
    const body = d.buf.subarray(end + 4, end + 4 + length).toString('utf8')
    d.buf = d.buf.subarray(end + 4 + length)
    let parsed: any
    try {
      parsed = JSON.parse(body)
    } catch {
      failures++
      s.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n')
      return
    }
    // One request at a time per connection (HTTP/1.1 without pipelining, as fetch sends).
    d.busy = true
    void stream(s, parsed).then(() => {
      d.busy = false
      if (d.buf.length) request(s)
    })
  }

  const listener = Bun.listen<Conn>({
    hostname: '127.0.0.1',
    port,
    socket: {
      open(s) {
        s.data = { buf: Buffer.alloc(0), pending: '', wake: null, closed: false, busy: false }
        s.setNoDelay(true)
      },
      data(s, chunk) {
        s.data.buf = s.data.buf.length ? Buffer.concat([s.data.buf, chunk]) : Buffer.from(chunk)
        request(s)
      },
      drain(s) {
        const d = s.data
        if (!d.pending) return
        const n = s.write(d.pending)
        if (n < 0) return
        d.pending = d.pending.slice(n)
        if (!d.pending && d.wake) {
          const wake = d.wake
          d.wake = null
          wake()
        }
      },
      close(s) {
        s.data.closed = true
        s.data.wake?.()
      },
      error(s) {
        s.data.closed = true
        s.data.wake?.()
      },
    },
  })

  return {
    url: `http://127.0.0.1:${listener.port}/v1`,
    /** When chunk `i` of the reply to `tag` was written; NaN if never. */
    sentAt: (tag: string, i: number) => sent.get(tag)?.[i] ?? Number.NaN,
    get streams() {
      return streams
    },
    get maxOpen() {
      return maxOpen
    },
    get failures() {
      return failures
    },
    stop: () => listener.stop(true),
  }
}
