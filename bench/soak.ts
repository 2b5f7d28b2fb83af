import { join } from 'node:path'
import { pinned, seedConversation, startServer } from './lib/servers'
import { report, trend } from './lib/stats'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120)
const STEP_SECONDS = 4

/** The mixed-traffic client (clients/soak.ts) at `rate` requests/s; its JSON result. */
async function mix(server: { url: string }, ids: string[], rate: number, seconds: number) {
  const client = Bun.spawn(pinned(1, [process.execPath, join(import.meta.dir, 'clients/soak.ts')]), {
    env: {
      PATH: process.env.PATH ?? '',
      URL: server.url,
      RATE: String(rate),
      SECONDS: String(seconds),
      CONVERSATIONS: JSON.stringify(ids),
    },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  return {
    client,
    result: async () => JSON.parse((await new Response(client.stdout).text()).trim().split('\n').at(-1) as string),
  }
}

/**
 * A step of the ramp holds when nothing failed, every bot message was answered and the p99 of
 * requests and replies stayed under this: past it the bot's queue is growing, which a few
 * seconds hide but a soak does not.
 */
const HELD_P99_MS = 50

/**
 * The highest rate of the mix the server holds: steps 25 % apart, STEP_SECONDS each, at a fixed
 * rate (open loop, as the soak itself), until one does not hold.
 */
async function peakOf(server: { url: string }, ids: string[]) {
  let held = 0
  // At most 20 steps (to 87,000/s): more than any server here holds.
  for (let step = 0, rate = 1000; step < 20; step++, rate = Math.round(rate * 1.25)) {
    const r = await (await mix(server, ids, rate, STEP_SECONDS)).result()
    const ok = r.errors === 0 && r.unanswered === 0 && r.p99 <= HELD_P99_MS
    console.log(
      `  ${rate}/s: ${ok ? 'held' : 'not held'} (p99 ${r.p99.toFixed(1)} ms, ${r.errors} errors, ${r.unanswered} unanswered)`,
    )
    if (!ok) break
    held = rate
  }
  return held
}

/**
 * Soak: 70 % of this machine's measured peak of the same mix for SOAK_SECONDS — REST and
 * WebSocket traffic with bot replies (the peak of REST writes alone would be more than the bot
 * answers) — zero errors, every bot message answered, RSS flat over the last minute.
 */
export async function soak() {
  const server = await startServer('parley', { BOT_PROVIDER: 'builtin', BUILTIN_BOT_DELAY_MS: '0' })
  try {
    const ids = await Promise.all(Array.from({ length: 200 }, () => seedConversation(server, 0)))
    const peak = await peakOf(server, ids)
    const rate = Math.round(peak * 0.7)
    console.log(`  peak of the mix ${peak} requests/s; soaking at ${rate} requests/s for ${SECONDS} s`)
    const { client, result } = await mix(server, ids, rate, SECONDS)
    const samples: { at: number; rss: number }[] = []
    const t0 = performance.now()
    while (client.exitCode === null) {
      samples.push({ at: (performance.now() - t0) / 1000, rss: await server.rssMiB() })
      await Promise.race([client.exited, Bun.sleep(5000)])
    }
    const r = await result()
    const lastMinute = samples.filter((s) => s.at >= Math.max(0, SECONDS - 60))
    // The trend, not two samples: RSS moves by ±10 % between samples as the heap is collected.
    const { from, to } = trend(lastMinute.map((x) => [x.at, x.rss]))
    const growth = (to - from) / from
    console.log(`  RSS samples (MiB): ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`)
    for (const error of r.described as string[]) console.log(`  error: ${error}`)
    console.log(
      `  RSS last minute, first and last sample: ${lastMinute[0]?.rss.toFixed(1)} → ${samples.at(-1)?.rss.toFixed(1)} MiB`,
    )
    report(
      `Soak: ${SECONDS} s at 70 % of the mix's peak, REST + WebSocket + bot replies`,
      `${r.requests} requests, ${r.errors} errors (${r.retried} sent again after a reset connection), ${r.unanswered} unanswered bot messages, p99 ${r.p99.toFixed(1)} ms; RSS over the last minute (least-squares line) ${from.toFixed(1)} → ${to.toFixed(1)} MiB (${(growth * 100).toFixed(1)} %)`,
      r.errors === 0 && r.unanswered === 0 && growth <= 0.05,
    )
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await soak()
