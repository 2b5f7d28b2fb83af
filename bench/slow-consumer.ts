import { runClient } from './lib/client'
import { seedConversation, startServer } from './lib/servers'
import { report } from './lib/stats'

type Result = { p50: number; p99: number; received: number; expected: number; stalledClose: string }

/** Target 7: one socket that stops reading, in a room of 100, delays no one and is closed. */
export async function slowConsumer() {
  const results: Record<string, Result> = {}
  for (const stall of ['0', '1']) {
    const server = await startServer('parley')
    try {
      const id = await seedConversation(server, 0)
      results[stall] = await runClient<Result>('slow-consumer.ts', { URL: server.url, CONVERSATION: id, STALL: stall })
      const r = results[stall] as Result
      console.log(
        `  ${stall === '1' ? 'with' : 'without'} a stalled socket: p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms, ${r.received}/${r.expected}; stalled: ${r.stalledClose}`,
      )
    } finally {
      await server.stop()
    }
  }
  const calm = results['0'] as Result
  const stalled = results['1'] as Result
  // "Unchanged" on a noisy 2-core machine: within 1.5× (plus 2 ms) of the run without it.
  const unchanged = stalled.received === stalled.expected && stalled.p99 <= calm.p99 * 1.5 + 2
  const closed = /closed with 10(08|13)/.test(stalled.stalledClose)
  report(
    '7. A stalled socket in a 100-socket room: others unchanged, it is closed (1008/1013)',
    `others' p99 ${stalled.p99.toFixed(1)} ms vs ${calm.p99.toFixed(1)} ms without it; the stalled one: ${stalled.stalledClose}`,
    unchanged && closed,
  )
}

if (import.meta.main) await slowConsumer()
