import { runClient } from './lib/client'
import { seedConversation, startServer } from './lib/servers'
import { report } from './lib/stats'

/** Target 4: one message to a room of 1,000 native sockets (p99 ≤ 50 ms) and 500 Socket.IO (≤ 100 ms). */
export async function fanOut() {
  for (const [kind, sockets, limit] of [
    ['native', 1000, 50],
    ['socket.io', 500, 100],
  ] as const) {
    const server = await startServer('parley')
    try {
      const id = await seedConversation(server, 0)
      const r = await runClient<{ p50: number; p99: number; received: number; expected: number }>('fanout.ts', {
        URL: server.url,
        SOCKETS: String(sockets),
        MESSAGES: '20',
        KIND: kind === 'native' ? 'native' : 'sio',
        CONVERSATION: id,
      })
      const complete = r.received === r.expected
      report(
        `4. Fan-out to ${sockets} ${kind} sockets: p99 ≤ ${limit} ms after the write is acknowledged`,
        `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.received}/${r.expected} deliveries`,
        complete && r.p99 <= limit,
      )
    } finally {
      await server.stop()
    }
  }
}

if (import.meta.main) await fanOut()
