/**
 * Mixed traffic at a fixed RATE (requests/s) for SECONDS: 40 % POST a message, 30 % GET a page,
 * 10 % list conversations, 20 % WebSocket send_message answered by the bot. Prints
 * {requests, errors, retried, p99, unanswered} as JSON, with the first few errors described.
 */
const base = process.env.URL as string
const rate = Number(process.env.RATE ?? 500)
const seconds = Number(process.env.SECONDS ?? 120)
const ids = JSON.parse(process.env.CONVERSATIONS as string) as string[]

const latencies: number[] = []
let errors = 0
const described: string[] = []
const t0 = performance.now()
const fail = (what: string) => {
  errors++
  if (described.length < 5) described.push(`at ${((performance.now() - t0) / 1000).toFixed(1)} s: ${what}`)
}
let requests = 0
// A socket message's send time: by its content until the server echoes it, then by its id until answered.
const pending = new Map<string, number>()
const sockets = await Promise.all(
  ids.map(
    (id) =>
      new Promise<{ ws: WebSocket; id: string }>((resolve) => {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/?conversation_id=${id}`)
        ws.onmessage = (e) => {
          const f = JSON.parse(String(e.data))
          if (f.event === 'joined') resolve({ ws, id })
          else if (f.event === 'error') fail(`socket: ${JSON.stringify(f.data)}`)
          else if (f.event === 'new_message' && f.data.sender === 'ai') {
            const sent = pending.get(f.data.reply_to)
            if (sent === undefined) return
            latencies.push(performance.now() - sent)
            pending.delete(f.data.reply_to)
          } else if (f.event === 'new_message' && pending.has(f.data.content)) {
            pending.set(f.data.id, pending.get(f.data.content) as number)
            pending.delete(f.data.content)
          }
        }
      }),
  ),
)
// A connection the server closes as idle (keep-alive timeout) just as the client reuses it
// fails with ECONNRESET before any answer: as a careful client does, such a request is sent once
// more (POSTs carry a client_id, so a retry can never store a message twice), and counted.
let retried = 0
const timed = async (what: string, run: () => Promise<Response>) => {
  const t0 = performance.now()
  try {
    let res: Response
    try {
      res = await run()
    } catch (error) {
      if ((error as { code?: string }).code !== 'ECONNRESET') throw error
      retried++
      res = await run()
    }
    const body = await res.text()
    if (res.status >= 300) fail(`${what}: ${res.status} ${body.slice(0, 200)}`)
  } catch (error) {
    fail(`${what}: ${error}`)
  }
  latencies.push(performance.now() - t0)
}
const json = { 'content-type': 'application/json' }
/** Sends request `n` of the mix; a REST one resolves when answered (a socket message is counted when the bot's reply arrives). */
function send(n: number): Promise<void> | null {
  const id = ids[n % ids.length] as string
  const kind = n % 10
  requests++
  if (kind < 4)
    return timed('POST message', () =>
      fetch(`${base}/conversations/${id}/messages`, {
        method: 'POST',
        headers: json,
        body: JSON.stringify({ sender: 'user', content: `soak ${n}`, client_id: `soak-${n}` }),
      }),
    )
  if (kind < 7) return timed('GET page', () => fetch(`${base}/conversations/${id}/messages?page=1&size=10`))
  if (kind < 8) return timed('GET conversations', () => fetch(`${base}/conversations?limit=20`))
  const s = sockets[n % sockets.length] as { ws: WebSocket; id: string }
  const content = `soak-ws ${n}`
  pending.set(content, performance.now())
  s.ws.send(JSON.stringify({ event: 'send_message', data: { conversationId: s.id, content } }))
  return null
}
const start = performance.now()
const inflight = new Set<Promise<void>>()
for (let n = 0; performance.now() - start < seconds * 1000; n++) {
  const due = start + (n * 1000) / rate
  const wait = due - performance.now()
  if (wait > 1) await Bun.sleep(wait)
  const p = send(n)
  if (!p) continue
  inflight.add(p)
  p.finally(() => inflight.delete(p))
}
await Promise.all(inflight)
// Replies still coming: up to 30 s more for the last ones.
for (const t = performance.now(); pending.size > 0 && performance.now() - t < 30_000; ) await Bun.sleep(100)
for (const s of sockets) s.ws.close()
latencies.sort((a, b) => a - b)
const p99 = latencies[Math.min(latencies.length - 1, Math.ceil(0.99 * latencies.length) - 1)] ?? Number.NaN
console.log(
  JSON.stringify({
    requests,
    errors,
    retried,
    described,
    p99,
    unanswered: pending.size,
  }),
)
process.exit(0)
