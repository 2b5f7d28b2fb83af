import { httpLoad } from './lib/load'
import { type Kind, seedConversation, startServer } from './lib/servers'
import { median, report } from './lib/stats'

const ROUNDS = Number(process.env.ROUNDS ?? 3)
const SECONDS = Number(process.env.SECONDS ?? 5)
const body = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })

/** Target 1: REST POST …/messages and GET page 1 on a 1,000-message conversation, 32 connections. */
export async function restThroughput() {
  const results: Record<string, Record<Kind, number[]>> = {
    post: { parley: [], baseline: [] },
    get: { parley: [], baseline: [] },
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const kind of ['baseline', 'parley'] as Kind[]) {
      const server = await startServer(kind)
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
        if (post.errors || get.errors) throw new Error(`${kind}: ${post.errors + get.errors} failed requests`)
        results.post?.[kind].push(post.rps)
        results.get?.[kind].push(get.rps)
        console.log(
          `  round ${round + 1} ${kind.padEnd(8)} POST ${post.rps.toFixed(0)}/s (p99 ${post.p99.toFixed(1)} ms)  GET ${get.rps.toFixed(0)}/s (p99 ${get.p99.toFixed(1)} ms)`,
        )
      } finally {
        await server.stop()
      }
    }
  }
  for (const [name, label] of [
    ['post', 'REST POST …/messages throughput'],
    ['get', 'REST GET page 1 (1,000 messages) throughput'],
  ] as const) {
    const p = median(results[name]?.parley ?? [])
    const b = median(results[name]?.baseline ?? [])
    report(
      `1. ${label} ≥ 0.85 × baseline`,
      `${p.toFixed(0)}/s vs ${b.toFixed(0)}/s = ${(p / b).toFixed(2)}×`,
      p / b >= 0.85,
    )
  }
}

if (import.meta.main) await restThroughput()
