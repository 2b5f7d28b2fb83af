import { Database } from 'bun:sqlite'
import { seedConversation, startServer } from './lib/servers'
import { median, percentile, report } from './lib/stats'

const DEEP = Number(process.env.DEEP ?? 1_000_000)
const REQUESTS = Number(process.env.REQUESTS ?? 400)

async function latencies(url: string): Promise<number[]> {
  for (let i = 0; i < 50; i++) await (await fetch(url)).arrayBuffer() // warm-up
  const out: number[] = []
  for (let i = 0; i < REQUESTS; i++) {
    const t0 = performance.now()
    const res = await fetch(url)
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`${url}: ${res.status}`)
    out.push(performance.now() - t0)
  }
  return out
}

/**
 * Target 2: page 1 and cursor pages deep in a 1,000,000-message conversation, against page 1 of
 * a 1,000-message one (one connection, sequential requests, median latency).
 */
export async function historyDepth() {
  const server = await startServer('parley')
  try {
    const t0 = performance.now()
    const deep = await seedConversation(server, DEEP)
    const shallow = await seedConversation(server, 1000)
    console.log(`  seeded ${DEEP.toLocaleString()} messages in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
    const db = new Database(server.db, { readonly: true })
    const at = (seq: number) =>
      (db.query('SELECT id FROM messages WHERE conversation_id = ? AND seq = ?').get(deep, seq) as { id: string }).id
    const cursors = {
      'cursor at 10%': at(Math.floor(DEEP * 0.9)),
      'cursor at 50%': at(Math.floor(DEEP * 0.5)),
      'cursor at 99.99%': at(100),
    }
    db.close()
    const base = median(await latencies(`${server.url}/conversations/${shallow}/messages?page=1&size=10`))
    console.log(`  1,000 messages, page 1: median ${base.toFixed(2)} ms`)
    const cases: [string, string][] = [
      ['page 1', `${server.url}/conversations/${deep}/messages?page=1&size=10`],
      ...Object.entries(cursors).map(
        ([name, id]) =>
          [name, `${server.url}/conversations/${deep}/messages?before=${id}&limit=10`] as [string, string],
      ),
    ]
    let worst = 0
    const figures: string[] = []
    for (const [name, url] of cases) {
      const l = await latencies(url)
      const ratio = median(l) / base
      worst = Math.max(worst, ratio)
      figures.push(`${name} ${median(l).toFixed(2)} ms (${ratio.toFixed(2)}×)`)
      console.log(
        `  ${DEEP.toLocaleString()} messages, ${name}: median ${median(l).toFixed(2)} ms, p99 ${percentile(l, 99).toFixed(2)} ms`,
      )
    }
    report(
      `2. History depth: ${DEEP.toLocaleString()}-message conversation within 1.5 × a 1,000-message one`,
      `${figures.join(', ')} vs ${base.toFixed(2)} ms`,
      worst <= 1.5,
    )
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await historyDepth()
