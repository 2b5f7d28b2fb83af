/**
 * The relay benchmark's load generator, run as its own process on the load core: it serves the
 * model (relay-model.ts, on MODEL_PORT) and plays the clients of TARGET (Parley or the floor,
 * which speak the same frames). REPLIES conversations, each its own user, one native WebSocket
 * joined to each; then each conversation gets one user message — POSTed with `Accept:
 * text/event-stream` when SSE=1 (that answer is the SSE client), else sent as `send_message` on
 * its socket — and the model streams TOKENS chunks for each reply, one every INTERVAL_MS (0: as
 * fast as it can). Every delta's delay is its receive time here minus the time the model wrote
 * it, on this process's clock. SERVER_PID's CPU time (/proc, utime + stime) is read just before
 * the messages are sent and once every reply has ended. Before that, WARMUP conversations get
 * one 100-token reply each the same way, not measured: the server has loaded the model client,
 * compiled its hot paths and opened its first upstream connections. Prints one JSON line
 * (RELAY_DEBUG=1 adds the p99 per tenth of the replies' tokens and per 250 ms).
 */
import { startModel } from './relay-model'
import { percentile } from './stats'

const target = process.env.TARGET as string
const replies = Number(process.env.REPLIES ?? 200)
const tokens = Number(process.env.TOKENS ?? 500)
const intervalMs = Number(process.env.INTERVAL_MS ?? 0)
const warmup = Number(process.env.WARMUP ?? 20)
const sse = process.env.SSE === '1'
const pid = Number(process.env.SERVER_PID)
const timeoutMs = Number(process.env.TIMEOUT_MS ?? 30_000)

const WARM_TOKENS = 100
const model = startModel({
  port: Number(process.env.MODEL_PORT),
  plan: (tag) => (tag.startsWith('warm') ? { tokens: WARM_TOKENS, intervalMs: 0 } : { tokens, intervalMs }),
})
const ticks = Number(Bun.spawnSync(['getconf', 'CLK_TCK']).stdout.toString().trim()) || 100
/** The server's CPU time so far (all its threads), in ms. */
async function cpuMs(): Promise<number> {
  const stat = await Bun.file(`/proc/${pid}/stat`).text()
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ') // fields from the 3rd on
  return ((Number(fields[11]) + Number(fields[12])) / ticks) * 1000
}
/**
 * CPU time on core 0 (the server's) so far, in ms, from /proc/stat: `tasks` (user, nice, system,
 * steal: any process's) and `kernel` (irq, softirq: the loopback's packet work lands there, charged
 * to no process).
 */
async function core0(): Promise<{ tasks: number; kernel: number }> {
  const line = (await Bun.file('/proc/stat').text()).split('\n').find((l) => l.startsWith('cpu0 ')) ?? ''
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.split(/\s+/).slice(1).map(Number)
  return { tasks: ((user + nice + system + steal) / ticks) * 1000, kernel: ((irq + softirq) / ticks) * 1000 }
}

/** The deltas one face (WebSocket or SSE) received, in the measured replies. */
class Face {
  readonly delays = new Float64Array(replies * tokens)
  readonly indexes = new Uint16Array(replies * tokens)
  readonly at = new Float64Array(replies * tokens)
  received = 0
}
const ws = new Face()
const es = new Face()
let errors = 0
const errorSamples: string[] = []
const error = (what: string) => {
  errors++
  if (errorSamples.length < 5) errorSamples.push(what)
}
const record = (f: Face | null, at: number, tag: string, index: number) => {
  const sent = model.sentAt(tag, index)
  if (Number.isNaN(sent)) return error(`delta ${index} of ${tag} was never sent`)
  if (!f) return // a warm-up reply
  f.indexes[f.received] = index
  f.at[f.received] = at
  f.delays[f.received++] = at - sent
}

/** Counts the replies' ends (a socket's `new_message` from the bot, an SSE `done`). */
class Ends {
  private count = 0
  private wake: () => void = () => {}
  readonly all: Promise<void>
  constructor(readonly needed: number) {
    this.all = new Promise<void>((r) => {
      this.wake = r
    })
  }
  end() {
    if (++this.count === this.needed) this.wake()
  }
  get ended() {
    return this.count
  }
}

/** Creates `n` conversations, each for its own user (per-user limits stay out of the way). */
async function create(n: number, prefix: string): Promise<string[]> {
  const ids: string[] = []
  for (let i = 0; i < n; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, n - i) }, async (_, k) => {
        const res = await fetch(`${target}/conversations/`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ user_id: `${prefix}-${i + k}` }),
        })
        if (res.status !== 201) throw new Error(`POST /conversations/ answered ${res.status}`)
        return ((await res.json()) as { id: string }).id
      }),
    )
    ids.push(...batch)
  }
  return ids
}

/** A native socket joined to conversation `id`, counting the deltas of the reply to `tag`. */
function join(id: string, tag: string, face: Face | null, ends: Ends): Promise<WebSocket> {
  const socket = new WebSocket(`${target.replace('http', 'ws')}/?conversation_id=${id}`)
  let ended = false
  return new Promise<WebSocket>((resolve, reject) => {
    socket.onmessage = (e) => {
      const at = performance.now()
      const f = JSON.parse(e.data as string)
      if (f.event === 'message_delta') record(face, at, tag, f.data.index)
      else if (f.event === 'joined') resolve(socket)
      else if (f.event === 'new_message' && f.data.sender === 'ai') {
        ended = true
        ends.end()
      } else if (f.event === 'error') error(`socket error: ${JSON.stringify(f.data)}`)
    }
    socket.onerror = () => reject(new Error('socket failed to open'))
    socket.onclose = (e) => {
      if (!ended) error(`socket closed early: ${e.code} ${e.reason}`)
    }
  })
}

/** POSTs the user message with Accept: text/event-stream and reads the answer to its end. */
async function streamReply(id: string, tag: string, face: Face | null, ends: Ends) {
  const res = await fetch(`${target}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ sender: 'user', content: tag }),
  })
  if (res.status !== 200 || !res.body) return error(`SSE POST answered ${res.status}`)
  const decoder = new TextDecoder()
  let rest = ''
  let ended = false
  for await (const bytes of res.body) {
    const at = performance.now()
    const events = (rest + decoder.decode(bytes, { stream: true })).split('\n\n')
    rest = events.pop() as string
    for (const event of events) {
      if (event.startsWith('event: delta\n')) record(face, at, tag, JSON.parse(event.slice(19)).index)
      else if (event.startsWith('event: done\n')) ended = true
      else if (event.startsWith('event: error\n')) error(`SSE ${event}`)
    }
  }
  if (!ended) error('SSE stream ended without done')
  ends.end()
}

/** `n` conversations with their sockets joined; `go()` asks for every reply at once. */
async function prepare(n: number, prefix: string, measured: boolean) {
  const ids = await create(n, prefix)
  const tags = ids.map((_, i) => `${prefix}-${i}`)
  const ends = new Ends(n * (sse ? 2 : 1))
  const sockets: WebSocket[] = []
  for (let i = 0; i < n; i += 50) {
    const batch = ids.slice(i, i + 50).map((id, k) => join(id, tags[i + k] as string, measured ? ws : null, ends))
    sockets.push(...(await Promise.all(batch)))
  }
  const go = () => {
    if (sse)
      ids.forEach((id, i) => {
        void streamReply(id, tags[i] as string, measured ? es : null, ends).catch((e) => error(String(e)))
      })
    else
      sockets.forEach((s, i) => {
        s.send(JSON.stringify({ event: 'send_message', data: { conversationId: ids[i], content: tags[i] } }))
      })
    return ends
  }
  return { sockets, go }
}

const timeout = (ends: Ends, what: string) =>
  Promise.race([ends.all.then(() => false), Bun.sleep(timeoutMs).then(() => true)]).then((late) => {
    if (late) error(`${what} timed out: ${ends.ended}/${ends.needed} replies ended`)
  })

if (warmup > 0) {
  const warm = await prepare(warmup, 'warm', false)
  await timeout(warm.go(), 'the warm-up')
  for (const s of warm.sockets) s.close()
}
const measured = await prepare(replies, 'relay', true)
const [cpu0, core0Before] = [await cpuMs(), await core0()]
const t0 = performance.now()
await timeout(measured.go(), 'the measured replies')
const seconds = (performance.now() - t0) / 1000
const cpu = (await cpuMs()) - cpu0
const core0After = await core0()
// What other processes ran on the server's core meanwhile, and the kernel's packet work there.
const others = core0After.tasks - core0Before.tasks - cpu
const kernel = core0After.kernel - core0Before.kernel

/** The p99 of the deltas in each of `n` buckets, by `key`. */
const buckets = (f: Face, n: number, key: (k: number) => number) => {
  const b: number[][] = Array.from({ length: n }, () => [])
  for (let k = 0; k < f.received; k++) b[key(k)]?.push(f.delays[k] as number)
  return b.map((xs) => Number(percentile(xs, 99).toFixed(2)))
}
const summary = (f: Face) => {
  const all = Array.from(f.delays.subarray(0, f.received))
  // Tokens 10-90 % of each reply: after the replies' start and before their end.
  const inMiddle = (k: number) =>
    (f.indexes[k] as number) >= tokens / 10 && (f.indexes[k] as number) < (tokens * 9) / 10
  return {
    received: f.received,
    expected: replies * tokens,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    middleP99: percentile(
      all.filter((_, k) => inMiddle(k)),
      99,
    ),
    max: percentile(all, 100),
    ...(process.env.RELAY_DEBUG
      ? {
          byTenth: buckets(f, 10, (k) => Math.floor(((f.indexes[k] as number) * 10) / tokens)),
          byQuarterSecond: buckets(f, Math.ceil(seconds * 4), (k) => Math.floor(((f.at[k] as number) - t0) / 250)),
        }
      : {}),
  }
}
for (const s of measured.sockets) s.close()
model.stop()
console.log(
  JSON.stringify({
    ws: summary(ws),
    sse: sse ? summary(es) : null,
    cpuMs: cpu,
    othersCore0: others / 1000 / seconds,
    kernelMs: kernel,
    deltas: replies * tokens,
    seconds,
    streams: model.streams - warmup,
    maxOpen: model.maxOpen,
    errors: errors + model.failures,
    errorSamples,
  }),
)
process.exit(0)
