/**
 * WebSocket send → echo load, run as its own process (pinned to the load core): CONNECTIONS
 * sockets, each joined to its own conversation, each sending `send_message` and waiting for its
 * `new_message` before the next, for SECONDS. Prints {rate, p50, p99, errors} as JSON.
 * Speaks the same frames to Parley and to the baseline.
 */
const base = process.env.URL as string
const connections = Number(process.env.CONNECTIONS ?? 100)
const seconds = Number(process.env.SECONDS ?? 5)
const ids = JSON.parse(process.env.CONVERSATIONS as string) as string[]

const latencies: number[] = []
let errors = 0
const end = performance.now() + seconds * 1000
await Promise.all(
  Array.from({ length: connections }, async (_, i) => {
    const id = ids[i % ids.length] as string
    const ws = new WebSocket(base.replace('http', 'ws'))
    let resolveEcho: (() => void) | null = null
    ws.onmessage = (e) => {
      const frame = JSON.parse(String(e.data))
      if (frame.event === 'new_message' || frame.event === 'joined') resolveEcho?.()
      else if (frame.event === 'error') {
        errors++ // counted (the bench fails on any), and not waited on forever
        resolveEcho?.()
      }
    }
    await new Promise((r) => (ws.onopen = r))
    await new Promise<void>((r) => {
      resolveEcho = r
      ws.send(JSON.stringify({ event: 'join_conversation', data: { conversationId: id } }))
    })
    let n = 0
    while (performance.now() < end) {
      const t0 = performance.now()
      await new Promise<void>((r) => {
        resolveEcho = r
        ws.send(JSON.stringify({ event: 'send_message', data: { conversationId: id, content: `message ${n++}` } }))
      })
      latencies.push(performance.now() - t0)
    }
    ws.close()
  }),
)
latencies.sort((a, b) => a - b)
const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)] ?? Number.NaN
console.log(JSON.stringify({ rate: latencies.length / seconds, p50: at(0.5), p99: at(0.99), errors }))
