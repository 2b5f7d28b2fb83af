/**
 * Fan-out: SOCKETS clients (native or Socket.IO) join one conversation; MESSAGES messages are
 * POSTed one after another; for each socket and message, the delay from the write's 201 to the
 * socket receiving it. Prints {p50, p99, received, expected} as JSON.
 */
import { io } from 'socket.io-client'

const base = process.env.URL as string
const sockets = Number(process.env.SOCKETS ?? 1000)
const messages = Number(process.env.MESSAGES ?? 20)
const kind = process.env.KIND ?? 'native'
const id = process.env.CONVERSATION as string

const received = new Map<string, number[]>() // content → receive times
const onMessage = (content: string) => {
  const at = performance.now()
  const list = received.get(content) ?? []
  if (list.length === 0) received.set(content, list)
  list.push(at)
}
const closers: (() => void)[] = []
// A socket that is refused never joins: fail the bench instead of waiting for it forever.
const joinTimeout = setTimeout(() => {
  console.error(`fan-out: not every ${kind} socket joined within 30 s`)
  process.exit(1)
}, 30_000)
for (let i = 0; i < sockets; i += 50) {
  await Promise.all(
    Array.from({ length: Math.min(50, sockets - i) }, async () => {
      if (kind === 'native') {
        const ws = new WebSocket(`${base.replace('http', 'ws')}/?conversation_id=${id}`)
        await new Promise<void>((resolve) => {
          ws.onmessage = (e) => {
            const f = JSON.parse(String(e.data))
            if (f.event === 'joined') resolve()
            else if (f.event === 'new_message') onMessage(f.data.content)
          }
        })
        closers.push(() => ws.close())
      } else {
        const s = io(base, {
          transports: ['websocket'],
          query: { conversation_id: id },
          reconnection: false,
          forceNew: true,
        })
        await new Promise<void>((resolve) => s.on('joined', () => resolve()))
        s.on('new_message', (m: { content: string }) => onMessage(m.content))
        closers.push(() => s.disconnect())
      }
    }),
  )
}
clearTimeout(joinTimeout)
const delays: number[] = []
for (let n = 0; n < messages; n++) {
  const content = `fan-out ${n}`
  const res = await fetch(`${base}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender: 'user', content }),
  })
  const acked = performance.now()
  if (res.status !== 201) throw new Error(`POST answered ${res.status}`)
  const deadline = acked + 5000
  while ((received.get(content)?.length ?? 0) < sockets && performance.now() < deadline) await Bun.sleep(1)
  for (const at of received.get(content) ?? []) delays.push(Math.max(0, at - acked))
}
for (const close of closers) close()
delays.sort((a, b) => a - b)
const at = (p: number) => delays[Math.min(delays.length - 1, Math.ceil(p * delays.length) - 1)] ?? Number.NaN
console.log(JSON.stringify({ p50: at(0.5), p99: at(0.99), received: delays.length, expected: sockets * messages }))
process.exit(0)
