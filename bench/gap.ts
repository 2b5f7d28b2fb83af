/**
 * Where a REST route's gap to the baseline is, under load: `GET` page 1 of 1,000 messages, or
 * with `post`, `POST` a message. One process runs the real Parley server (`startServer`) and,
 * next to it on other ports, the same request answered with less and less of Parley's path:
 * the baseline's own statements, Parley's store and chat service, then the per-request duties
 * by hand without Elysia. The baseline runs as its own process. All take turns in 1 s windows
 * (wrk, 32 connections, pinned to the other core), 15 rounds in rotating order; each line is
 * the median of its per-round ratios to the baseline, with the range. A diagnostic, not a
 * target: docs/performance.md quotes it.
 *
 *   bun bench/gap.ts [post]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Actor } from '../src/auth/actor'
import { recordAddress } from '../src/auth/client-address'
import { loadConfig } from '../src/config'
import { createLogger } from '../src/log'
import { startServer as startParley } from '../src/server'
import { openBaselineDb } from './lib/baseline-db'
import { answer, readMessage, requestIdOf } from './lib/duties'
import { GENERATOR, httpLoad } from './lib/load'
import { BENCH_ENV, PINNING, pinned, seedConversation, seedMessages, startServer } from './lib/servers'
import { median } from './lib/stats'

// The servers in this process share core 0 with nothing else; wrk takes core 1.
if (!process.env.GAP_PINNED && PINNING.startsWith('server')) {
  const child = Bun.spawn(pinned(0, [process.execPath, import.meta.path, ...process.argv.slice(2)]), {
    env: { ...process.env, GAP_PINNED: '1' },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  process.exit(await child.exited)
}

const POST = process.argv[2] === 'post'
const BODY = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })
const ROUNDS = Number(process.env.ROUNDS ?? 15)
const SECONDS = Number(process.env.SECONDS ?? 1)

const dir = mkdtempSync(join(tmpdir(), 'parley-gap-'))
const file = join(dir, 'gap.db')
const config = loadConfig(
  {},
  {
    DATABASE_URL: `sqlite:///${file}`,
    HOST: '127.0.0.1',
    PORT: '0',
    ...BENCH_ENV,
  },
  dir,
)
const parley = await startParley(config, createLogger({ level: 'warn', format: 'json' }))
const { deps } = parley
const baselineDb = openBaselineDb(file)
const { db, q } = baselineDb
const actor = (deps.requestAuth(new Request('http://localhost/')) as { actor: Actor }).actor
// Each variant writes to a conversation of its own (and Parley to another).
const conversation = async () =>
  (await deps.store.createConversation({ userId: 'bench', title: null, metadata: {} })).id
const ids = await Promise.all([conversation(), conversation(), conversation(), conversation(), conversation()])
const [own, store, duties, awaited, served] = ids as [string, string, string, string, string]
if (!POST) for (const id of ids) seedMessages(file, id, 1000)

/** The per-request duties as directly as possible: the request id, the caller and its rate limit. */
async function admit(request: Request, server: Bun.Server<undefined>) {
  recordAddress(request, () => server.requestIP(request)?.address, 0)
  const requestId = requestIdOf(request)
  const { actor: caller } = (await deps.requestAuth(request)) as { actor: Actor }
  return { requestId, caller }
}

const pageOf = (url: string) => {
  const query = new URL(url).searchParams
  return { page: Number(query.get('page') ?? 1), size: Number(query.get('size') ?? 10) }
}
/** The baseline's page: its statements, its row shape, one JSON response. */
const baselinePage = (request: Request, id: string) => {
  const { page, size } = pageOf(request.url)
  const conv = q.seq.get(id)
  if (!conv) return Response.json({ detail: 'Conversation not found' }, { status: 404 })
  return Response.json(baselineDb.page(id, conv.message_count, page, size))
}
/** The baseline's message write: its plain body read, its transaction, one JSON response. */
const baselinePost = async (request: Request, id: string) => {
  const body = (await request.json()) as { sender: string; content: string }
  return Response.json(baselineDb.insert(id, body.sender, body.content)?.message, { status: 201 })
}
type Variant = (request: Request, server: Bun.Server<undefined>) => Response | Promise<Response>
const baselineCode = POST ? baselinePost : baselinePage
/** The variants that answer through Parley's own code, for the route measured. */
const parleyCode: Record<string, Variant> = POST
  ? {
      "Parley's store and chat service instead": async (request) => {
        const { sender, content } = (await request.json()) as { sender: 'user'; content: string }
        const sent = await deps.chat.as(actor).postMessage(store, { sender, content })
        return Response.json(sent.message, { status: 201 })
      },
      '… plus request id, headers, caller and rate limit, body checks, no Elysia': async (request, server) => {
        const { requestId, caller } = await admit(request, server)
        const body = await readMessage(request)
        if (!body) throw new Error('a message body Parley would refuse')
        const { sender, content, metadata, client_id: clientId } = body
        const sent = await deps.chat.as(caller).postMessage(duties, { sender, content, metadata, clientId })
        return answer(sent.message, requestId, 201)
      },
    }
  : {
      "Parley's store and chat service instead": async (request) =>
        Response.json(await deps.chat.as(actor).listMessages(store, pageOf(request.url))),
      '… plus request id, headers, caller and rate limit, no Elysia': async (request, server) => {
        const { requestId, caller } = await admit(request, server)
        return answer(await deps.chat.as(caller).listMessages(duties, pageOf(request.url)), requestId, 200)
      },
    }
/** Each variant answers the route for its own conversation. */
const variants: Record<string, Variant> = {
  "the baseline's code, in Parley's process": (request) => baselineCode(request, own),
  '… with one `await` first (Bun gets a pending promise)': async (request) => {
    await null
    return baselineCode(request, awaited)
  },
  ...parleyCode,
}
const servers = Object.values(variants).map((fetch) => Bun.serve({ hostname: '127.0.0.1', port: 0, fetch }))
const baseline = await startServer('baseline')
const route = (id: string) => (POST ? `/conversations/${id}/messages` : `/conversations/${id}/messages?page=1&size=10`)
const contenders = [
  {
    name: 'the baseline (its own process)',
    url: `${baseline.url}${route(await seedConversation(baseline, POST ? 0 : 1000))}`,
  },
  ...Object.keys(variants).map((name, i) => ({ name, url: `http://127.0.0.1:${servers[i]?.port}${route(own)}` })),
  { name: 'Parley', url: `${parley.url.origin}${route(served)}` },
]
const load = (url: string, connections: number, seconds: number) =>
  httpLoad(url, POST ? { connections, seconds, method: 'POST', body: BODY } : { connections, seconds })

try {
  const what = POST ? 'POST a message' : 'GET page 1 of 1,000 messages'
  console.log(`${what}, 32 connections; ${GENERATOR}; ${PINNING}`)
  for (const { name, url } of contenders) {
    const init = POST ? { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } } : {}
    const res = await fetch(url, init)
    if (res.status !== (POST ? 201 : 200)) throw new Error(`${name}: ${res.status} ${await res.text()}`)
    await load(url, 8, 3) // warm-up
  }
  Bun.spawnSync(['sync'])
  const rounds: number[][] = []
  for (let round = 0; round < ROUNDS; round++) {
    const rps: number[] = []
    for (let k = 0; k < contenders.length; k++) {
      const i = (round + k) % contenders.length
      await Bun.sleep(300)
      const r = await load((contenders[i] as { url: string }).url, 32, SECONDS)
      if (r.errors) throw new Error(`${contenders[i]?.name}: ${r.errors} failed requests`)
      rps[i] = r.rps
    }
    rounds.push(rps)
  }
  console.log(`| What answers | requests/s | vs the baseline (median of ${ROUNDS} rounds, range) |`)
  console.log('|---|---|---|')
  contenders.forEach(({ name }, i) => {
    const ratios = rounds.map((r) => (r[i] as number) / (r[0] as number))
    const range = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`
    console.log(
      `| ${name} | ${median(rounds.map((r) => r[i] as number)).toFixed(0)} | ${median(ratios).toFixed(2)}× (${range}) |`,
    )
  })
} finally {
  for (const server of servers) server.stop(true)
  await baseline.stop()
  await parley.stop()
  db.close()
  rmSync(dir, { recursive: true, force: true })
}
process.exit(0)
