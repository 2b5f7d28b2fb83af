import { runClient } from './lib/client'
import { seedConversation, startServer } from './lib/servers'
import { median, report } from './lib/stats'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 5)

/** Target 3: native WebSocket send_message → new_message echo, 100 connections (bot off). */
export async function websocketThroughput() {
  const rates: Record<'parley' | 'baseline', number[]> = { parley: [], baseline: [] }
  const p99s: Record<'parley' | 'baseline', number[]> = { parley: [], baseline: [] }
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['baseline', 'parley'] as const) {
      const server = await startServer(kind)
      try {
        const conversations = await Promise.all(Array.from({ length: 100 }, () => seedConversation(server, 0)))
        const r = await runClient<{ rate: number; p99: number; errors: number }>('ws-echo.ts', {
          URL: server.url,
          CONNECTIONS: '100',
          SECONDS: String(SECONDS),
          CONVERSATIONS: JSON.stringify(conversations),
        })
        if (r.errors) throw new Error(`${kind}: ${r.errors} error frames`)
        rates[kind].push(r.rate)
        p99s[kind].push(r.p99)
        console.log(
          `  round ${round + 1} ${kind.padEnd(8)} ${r.rate.toFixed(0)} messages/s, round trip p99 ${r.p99.toFixed(1)} ms`,
        )
      } finally {
        await server.stop()
      }
    }
  }
  const p = median(rates.parley)
  const b = median(rates.baseline)
  report(
    '3. WebSocket send_message → new_message, 100 connections ≥ 0.7 × raw Bun WebSocket',
    `${p.toFixed(0)}/s vs ${b.toFixed(0)}/s = ${(p / b).toFixed(2)}× (round trip p99 ${median(p99s.parley).toFixed(1)} ms vs ${median(p99s.baseline).toFixed(1)} ms)`,
    p / b >= 0.7,
  )
}

if (import.meta.main) await websocketThroughput()
