import { httpLoad } from './lib/load'
import { type Kind, seedConversation, startServer } from './lib/servers'
import { median, report } from './lib/stats'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 5)
const body = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })

/**
 * Side by side in each round: the baseline, the baseline doing Parley's per-request duties
 * (request id, security and CORS headers, caller and rate limit, schema checks; see
 * baseline.ts), and Parley. The second is a floor for a server with those duties: where it is
 * below a target, the report says so.
 */
const contenders: { name: string; kind: Kind; env?: Record<string, string> }[] = [
  { name: 'baseline', kind: 'baseline' },
  { name: 'duties', kind: 'baseline', env: { DUTIES: '1' } },
  { name: 'parley', kind: 'parley' },
]

/** Target 1: REST POST …/messages and GET page 1 on a 1,000-message conversation, 32 connections. */
export async function restThroughput() {
  const results = {
    post: Object.fromEntries(contenders.map((c) => [c.name, [] as number[]])),
    get: Object.fromEntries(contenders.map((c) => [c.name, [] as number[]])),
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const { name, kind, env } of contenders) {
      const server = await startServer(kind, env)
      try {
        const writeTo = await seedConversation(server, 0)
        await httpLoad(`${server.url}/conversations/${writeTo}/messages`, {
          connections: 8,
          seconds: 1,
          method: 'POST',
          body,
        }) // warm-up
        const post = await httpLoad(`${server.url}/conversations/${writeTo}/messages`, {
          connections: 32,
          seconds: SECONDS,
          method: 'POST',
          body,
        })
        const readFrom = await seedConversation(server, 1000)
        const get = await httpLoad(`${server.url}/conversations/${readFrom}/messages?page=1&size=10`, {
          connections: 32,
          seconds: SECONDS,
        })
        if (post.errors || get.errors) throw new Error(`${name}: ${post.errors + get.errors} failed requests`)
        results.post[name]?.push(post.rps)
        results.get[name]?.push(get.rps)
        console.log(
          `  round ${round + 1} ${name.padEnd(8)} POST ${post.rps.toFixed(0)}/s (p99 ${post.p99.toFixed(1)} ms)  GET ${get.rps.toFixed(0)}/s (p99 ${get.p99.toFixed(1)} ms)`,
        )
      } finally {
        await server.stop()
      }
    }
  }
  for (const [route, label] of [
    ['post', 'REST POST …/messages throughput'],
    ['get', 'REST GET page 1 (1,000 messages) throughput'],
  ] as const) {
    const [b, floor, p] = ['baseline', 'duties', 'parley'].map((name) => median(results[route][name] ?? [])) as [
      number,
      number,
      number,
    ]
    const reach =
      floor / b < 0.85
        ? `; below the target even for the baseline doing Parley's duties: ${(floor / b).toFixed(2)}×`
        : `; the baseline doing Parley's duties makes ${(floor / b).toFixed(2)}×`
    report(
      `1. ${label} ≥ 0.85 × baseline`,
      `${p.toFixed(0)}/s vs ${b.toFixed(0)}/s = ${(p / b).toFixed(2)}×${reach}`,
      p / b >= 0.85,
    )
  }
}

if (import.meta.main) await restThroughput()
