import { httpLoad } from './lib/load'
import { type Kind, seedConversation, startServer } from './lib/servers'
import { median, report } from './lib/stats'

// Many short windows rather than a few long ones: a slow spell of a few seconds then spans
// whole rounds (all three servers alike) instead of one server's window, and the median of
// 15 per-round ratios sets the ones it does split aside. wrk's shortest window is 1 s.
const ROUNDS = Number(process.env.ROUNDS ?? 15)
const SECONDS = Number(process.env.SECONDS ?? 1)
// Each server is new: its JIT needs a few thousand requests of a route before that route runs
// at its steady speed, Parley's larger code longer than the baseline's. Measured after it.
const WARM_UP = 3
const body = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })

/**
 * Three servers side by side: the baseline, the baseline doing Parley's per-request duties
 * (request id, security and CORS headers, caller and rate limit, schema checks; see
 * baseline.ts), and Parley. The second is a floor for a server with those duties: where it is
 * below a target, the report says so.
 */
const contenders: { name: string; kind: Kind; env?: Record<string, string> }[] = [
  { name: 'baseline', kind: 'baseline' },
  { name: 'duties', kind: 'baseline', env: { DUTIES: '1' } },
  { name: 'parley', kind: 'parley' },
]
type Route = 'post' | 'get'

/**
 * Target 1: REST POST …/messages and GET page 1 on a 1,000-message conversation, 32 connections.
 * All three servers run at once (pinned to the same core; one idles while another is measured)
 * and take turns in short windows, the order rotating each round: this machine's speed drifts
 * by tens of percent over minutes, so each round's ratio compares measurements seconds apart.
 * The figure is the median of those per-round ratios.
 */
export async function restThroughput() {
  const servers = await Promise.all(contenders.map(({ kind, env }) => startServer(kind, env)))
  try {
    const urls = await Promise.all(
      servers.map(async (server) => {
        const post = `${server.url}/conversations/${await seedConversation(server, 0)}/messages`
        const get = `${server.url}/conversations/${await seedConversation(server, 1000)}/messages?page=1&size=10`
        return { post, get }
      }),
    )
    const load = (i: number, route: Route, connections: number, seconds: number) => {
      const url = urls[i] as { post: string; get: string }
      return route === 'post'
        ? httpLoad(url.post, { connections, seconds, method: 'POST', body })
        : httpLoad(url.get, { connections, seconds })
    }
    for (const route of ['post', 'get'] as const)
      for (let i = 0; i < servers.length; i++) await load(i, route, 8, WARM_UP) // warm-up
    const results: Record<Route, number[][]> = { post: [], get: [] }
    for (const route of ['post', 'get'] as const) {
      // The writes leave tens of MB of dirty pages; the kernel writing them back (30 s later)
      // slowed the reads by a third, for every server alike. Flushed first instead.
      if (route === 'get') Bun.spawnSync(['sync'])
      for (let round = 0; round < ROUNDS; round++) {
        const rps: number[] = []
        for (let k = 0; k < servers.length; k++) {
          const i = (round + k) % servers.length
          await Bun.sleep(500) // the previous server's background JIT and GC threads settle
          const r = await load(i, route, 32, SECONDS)
          if (r.errors) throw new Error(`${contenders[i]?.name}: ${r.errors} failed requests`)
          rps[i] = r.rps
        }
        results[route].push(rps)
        console.log(
          `  ${route.toUpperCase().padEnd(4)} round ${round + 1}: ${contenders.map(({ name }, i) => `${name} ${rps[i]?.toFixed(0)}/s`).join('  ')}`,
        )
      }
    }
    for (const [route, label] of [
      ['post', 'REST POST …/messages throughput'],
      ['get', 'REST GET page 1 (1,000 messages) throughput'],
    ] as const) {
      const rounds = results[route]
      const rps = (i: number) => median(rounds.map((r) => r[i] as number))
      const ratio = (i: number) => median(rounds.map((r) => (r[i] as number) / (r[0] as number)))
      const [floor, parley] = [ratio(1), ratio(2)]
      const reach =
        floor < 0.85
          ? `; below the target even for the baseline doing Parley's duties: ${floor.toFixed(2)}×`
          : `; the baseline doing Parley's duties makes ${floor.toFixed(2)}×`
      const spread = rounds.map((r) => (r[2] as number) / (r[0] as number))
      report(
        `1. ${label} ≥ 0.85 × baseline`,
        `${rps(2).toFixed(0)}/s vs ${rps(0).toFixed(0)}/s, ${parley.toFixed(2)}× (median of ${rounds.length} rounds, ${Math.min(...spread).toFixed(2)}-${Math.max(...spread).toFixed(2)})${reach}`,
        parley >= 0.85,
      )
    }
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

if (import.meta.main) await restThroughput()
