import { join } from 'node:path'
import { httpLoad } from './lib/load'
import { pinned, seedConversation, startServer } from './lib/servers'
import { report } from './lib/stats'

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120)

/**
 * Soak: 70 % of this machine's measured peak (REST message writes) for SOAK_SECONDS with mixed
 * REST and WebSocket traffic and bot replies: zero errors, RSS flat over the last minute.
 */
export async function soak() {
  const server = await startServer('parley', { BOT_PROVIDER: 'builtin', BUILTIN_BOT_DELAY_MS: '0' })
  try {
    const ids = await Promise.all(Array.from({ length: 50 }, () => seedConversation(server, 0)))
    const peak = await httpLoad(`${server.url}/conversations/${ids[0]}/messages`, {
      connections: 32,
      seconds: 5,
      method: 'POST',
      body: JSON.stringify({ sender: 'user', content: 'peak' }),
    })
    const rate = Math.round(peak.rps * 0.7)
    console.log(`  peak ${peak.rps.toFixed(0)} writes/s; soaking at ${rate} requests/s for ${SECONDS} s`)
    const client = Bun.spawn(pinned(1, [process.execPath, join(import.meta.dir, 'clients/soak.ts')]), {
      env: {
        PATH: process.env.PATH ?? '',
        URL: server.url,
        RATE: String(rate),
        SECONDS: String(SECONDS),
        CONVERSATIONS: JSON.stringify(ids),
      },
      stdout: 'pipe',
      stderr: 'inherit',
    })
    const samples: { at: number; rss: number }[] = []
    const t0 = performance.now()
    while (client.exitCode === null) {
      samples.push({ at: (performance.now() - t0) / 1000, rss: await server.rssMiB() })
      await Promise.race([client.exited, Bun.sleep(5000)])
    }
    const r = JSON.parse((await new Response(client.stdout).text()).trim().split('\n').at(-1) as string)
    const lastMinute = samples.filter((s) => s.at >= Math.max(0, SECONDS - 60))
    const from = lastMinute[0]?.rss ?? Number.NaN
    const to = samples.at(-1)?.rss ?? Number.NaN
    const growth = (to - from) / from
    console.log(`  RSS samples (MiB): ${samples.map((s) => s.rss.toFixed(0)).join(' ')}`)
    for (const error of r.described as string[]) console.log(`  error: ${error}`)
    report(
      `Soak: ${SECONDS} s at 70 % of peak, mixed REST + WebSocket + bot replies`,
      `${r.requests} requests, ${r.errors} errors (${r.retried} sent again after a reset connection), ${r.unanswered} unanswered bot messages, p99 ${r.p99.toFixed(1)} ms; RSS last minute ${from.toFixed(1)} → ${to.toFixed(1)} MiB (${(growth * 100).toFixed(1)} %)`,
      r.errors === 0 && r.unanswered === 0 && growth <= 0.05,
    )
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await soak()
