/**
 * A room of SOCKETS native sockets (+ one that stops reading when STALL=1). MESSAGES messages of
 * SIZE characters are POSTed one after another; prints the others' delivery delays and what
 * happened to the stalled socket: {p50, p99, received, expected, stalledClose}.
 */
import { connect, type Socket } from 'node:net'

const base = process.env.URL as string
const sockets = Number(process.env.SOCKETS ?? 100)
const messages = Number(process.env.MESSAGES ?? 500)
const size = Number(process.env.SIZE ?? 16_000)
const stall = process.env.STALL === '1'
const id = process.env.CONVERSATION as string

const received = new Map<number, number[]>()
const clients: WebSocket[] = []
await Promise.all(
  Array.from({ length: sockets }, async () => {
    const ws = new WebSocket(`${base.replace('http', 'ws')}/?conversation_id=${id}`)
    await new Promise<void>((resolve) => {
      ws.onmessage = (e) => {
        const text = String(e.data)
        if (text.startsWith('{"event":"joined"')) return resolve()
        const n = Number(/"content":"(\d+) /.exec(text)?.[1] ?? -1)
        if (n >= 0) (received.get(n) ?? received.set(n, []).get(n))?.push(performance.now())
      }
    })
    clients.push(ws)
  }),
)

/** A raw WebSocket that joins the room and then never reads again. */
async function stalled(): Promise<{ socket: Socket; closed: Promise<string> }> {
  const { port, hostname } = new URL(base)
  const socket = connect(Number(port), hostname)
  await new Promise((r) => socket.once('connect', r))
  socket.write(
    `GET /?conversation_id=${id} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  )
  await new Promise((r) => socket.once('data', r))
  socket.pause() // from here on, nothing is read: the kernel buffers fill, then the server's
  let tail = Buffer.alloc(0)
  const closed = new Promise<string>((resolve) => {
    socket.on('data', (chunk: Buffer) => {
      tail = Buffer.concat([tail, chunk]).subarray(-4096)
    })
    socket.on('close', () => {
      // The last frame, if it is a Close frame (opcode 8), carries the status code.
      const i = tail.lastIndexOf(0x88)
      resolve(
        i >= 0 && tail[i + 1] !== undefined && tail[i + 1]! >= 2
          ? `closed with ${tail.readUInt16BE(i + 2)}`
          : 'closed (TCP)',
      )
    })
  })
  return { socket, closed }
}
const slow = stall ? await stalled() : null

const body = 'x'.repeat(size)
const delays: number[] = []
for (let n = 0; n < messages; n++) {
  const res = await fetch(`${base}/conversations/${id}/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sender: 'ai', content: `${n} ${body}` }),
  })
  const acked = performance.now()
  if (res.status !== 201) throw new Error(`POST answered ${res.status}`)
  const deadline = acked + 5000
  while ((received.get(n)?.length ?? 0) < sockets && performance.now() < deadline) await Bun.sleep(0)
  for (const at of received.get(n) ?? []) delays.push(Math.max(0, at - acked))
}
let stalledClose = 'none'
if (slow) {
  slow.socket.resume() // drain what is buffered, to see how the server ended it
  stalledClose = await Promise.race([slow.closed, Bun.sleep(3000).then(() => 'still open')])
}
for (const ws of clients) ws.close()
delays.sort((a, b) => a - b)
const at = (p: number) => delays[Math.min(delays.length - 1, Math.ceil(p * delays.length) - 1)] ?? Number.NaN
console.log(
  JSON.stringify({ p50: at(0.5), p99: at(0.99), received: delays.length, expected: sockets * messages, stalledClose }),
)
process.exit(0)
