/**
 * Where a REST request's time goes, one layer at a time, in one process (no network): the
 * baseline's own statements, Parley's store, + the chat service, + the whole HTTP app. Each
 * case runs in alternating rounds on the same SQLite file; medians of µs per request. Under
 * load every microsecond costs more (the CPU caches are cold between requests), so read these
 * as proportions, not as throughput. docs/performance.md quotes them.
 *
 *   bun bench/layers.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import type { Actor } from '../src/auth/actor'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { createLogger } from '../src/log'
import { openStorage } from '../src/storage/connect'
import { openBaselineDb, shape } from './lib/baseline-db'
import { BENCH_ENV, seedMessages } from './lib/servers'
import { median } from './lib/stats'

const ROUNDS = 8
const N = Number(process.env.N ?? 3000)

async function measure(cases: Record<string, () => unknown>) {
  const order = Object.entries(cases)
  const times: Record<string, number[]> = Object.fromEntries(order.map(([name]) => [name, []]))
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of round % 2 ? [...order].reverse() : order) {
      for (let i = 0; i < 300; i++) await run()
      const t0 = performance.now()
      for (let i = 0; i < N; i++) await run()
      if (round >= 2) times[name]?.push(((performance.now() - t0) * 1000) / N)
    }
  }
  for (const [name, list] of Object.entries(times)) console.log(`  ${name.padEnd(52)} ${median(list).toFixed(1)} µs`)
}

/** A fresh Parley (bot off, logs at warn, no rate limit in the way) and a raw connection to its file. */
async function setUp(retention: string) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-layers-'))
  const file = join(dir, 'layers.db')
  const config = loadConfig(
    {},
    {
      DATABASE_URL: `sqlite:///${file}`,
      ...BENCH_ENV,
      EVENT_RETENTION: retention,
    },
    dir,
  )
  const raw = await openStorage(config)
  const deps = createDeps(config, raw, createLogger({ level: 'warn', format: 'json' }))
  const app = createApp(deps)
  const actor = (deps.requestAuth(new Request('http://localhost/')) as { actor: Actor }).actor
  // The baseline's statements on a second connection with Parley's settings (WAL, NORMAL sync).
  const { db, q, insert } = openBaselineDb(file)
  return { dir, file, raw, deps, app, actor, db, q, insert }
}

async function getPage() {
  const s = await setUp('10000')
  const { id } = await s.raw.createConversation({ userId: 'bench', title: null, metadata: {} })
  seedMessages(s.file, id, 1000)
  const url = `http://localhost/conversations/${id}/messages?page=1&size=10`
  console.log('GET …/messages?page=1&size=10 on 1,000 messages')
  await measure({
    "baseline's statements and JSON": () => {
      const total = s.q.seq.get(id)?.message_count
      return Response.json({ messages: s.q.page.all(id, 11, 0).slice(0, 10).map(shape), total })
    },
    "Parley's store (owner, count and page, no JSON)": () => s.raw.pageMessages(id, { limit: 10, offset: 0 }),
    '+ the chat service': () => s.deps.chat.as(s.actor).listMessages(id, { page: 1, size: 10 }),
    '+ JSON': async () =>
      new Response(JSON.stringify(await s.deps.chat.as(s.actor).listMessages(id, { page: 1, size: 10 }))),
    '+ the HTTP app (the whole request)': () => s.app.fetch(new Request(url)),
  })
  await done(s)
}

async function postMessage(retention: string) {
  const s = await setUp(retention)
  const { id } = await s.raw.createConversation({ userId: 'bench', title: null, metadata: {} })
  const content = 'Hello, how are you today?'
  const body = JSON.stringify({ sender: 'user', content })
  const url = `http://localhost/conversations/${id}/messages`
  console.log(`POST …/messages, EVENT_RETENTION=${retention} (the log of this conversation passes 10,000 events)`)
  await measure({
    "baseline's transaction": () => s.insert(id, 'user', content),
    "Parley's store": () => s.raw.createMessage({ conversationId: id, sender: 'user', content, metadata: {} }),
    '+ the chat service': () =>
      s.deps.chat.as(s.actor).postMessage(id, { sender: 'user', content, metadata: undefined, clientId: undefined }),
    '+ the HTTP app (the whole request)': () =>
      s.app.fetch(new Request(url, { method: 'POST', body, headers: { 'content-type': 'application/json' } })),
  })
  await done(s)
}

async function done(s: Awaited<ReturnType<typeof setUp>>) {
  s.db.close()
  await s.raw.close()
  rmSync(s.dir, { recursive: true, force: true })
}

await getPage()
await postMessage('10000')
await postMessage('100000000')
process.exit(0)
