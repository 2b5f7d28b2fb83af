import { join } from 'node:path'
import { pinned, seedConversation, startServer } from './lib/servers'
import { report } from './lib/stats'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120)

/** The mixed-traffic client (clients/soak.ts) at RATE requests/s (0: its peak); its JSON result. */
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
 * Soak: 70 % of this machine's measured peak of the same mix for SOAK_SECONDS — REST and
 * WebSocket traffic with bot replies (the peak of REST writes alone would be more than the bot
 * answers) — zero errors, every bot message answered, RSS flat over the last minute.
 */
export async function soak() {
  const server = await startServer('parley', { BOT_PROVIDER: 'builtin', BUILTIN_BOT_DELAY_MS: '0' })
  try {
    const ids = await Promise.all(Array.from({ length: 50 }, () => seedConversation(server, 0)))
    const calibration = await mix(server, ids, 0, 5)
    const peak = await calibration.result()
    if (peak.errors > 0) throw new Error(`the peak run failed: ${peak.described.join('; ')}`)
    const rate = Math.round(peak.rps * 0.7)
    console.log(`  peak of the mix ${peak.rps.toFixed(0)} requests/s; soaking at ${rate} requests/s for ${SECONDS} s`)
    const { client, result } = await mix(server, ids, rate, SECONDS)
    const samples: { at: number; rss: number }[] = []
    const t0 = performance.now()
    while (client.exitCode === null) {
      samples.push({ at: (performance.now() - t0) / 1000, rss: await server.rssMiB() })
      await Promise.race([client.exited, Bun.sleep(5000)])
    }
    const r = await result()
    const lastMinute = samples.filter((s) => s.at >= Math.max(0, SECONDS - 60))
    const from = lastMinute[0]?.rss ?? Number.NaN
    const to = samples.at(-1)?.rss ?? Number.NaN
    const growth = (to - from) / from
    console.log(`  RSS samples (MiB): ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`)
    for (const error of r.described as string[]) console.log(`  error: ${error}`)
    report(
      `Soak: ${SECONDS} s at 70 % of the mix's peak, REST + WebSocket + bot replies`,
      `${r.requests} requests, ${r.errors} errors (${r.retried} sent again after a reset connection), ${r.unanswered} unanswered bot messages, p99 ${r.p99.toFixed(1)} ms; RSS last minute ${from.toFixed(1)} → ${to.toFixed(1)} MiB (${(growth * 100).toFixed(1)} %)`,
      r.errors === 0 && r.unanswered === 0 && growth <= 0.05,
    )
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await soak()
