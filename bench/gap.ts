/**
 * Where the REST `GET` gap to the baseline is, under load. One process runs the real Parley
 * server (`startServer`) and, next to it on other ports, the same request answered with less
 * and less of Parley's path: the baseline's own statements, Parley's store and chat service,
 * then the per-request duties by hand without Elysia. The baseline runs as its own process.
 * All take turns in 1 s windows (wrk, 32 connections, pinned to the other core), 15 rounds in
 * rotating order; each line is the median of its per-round ratios to the baseline, with the
 * range. A diagnostic, not a target: README "Performance" quotes it.
 *
 *   bun bench/gap.ts
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Actor } from '../src/auth/actor'
import { recordAddress } from '../src/auth/client-address'
import { loadConfig } from '../src/config'
import { createLogger } from '../src/log'
import { startServer as startParley } from '../src/server'
import { DUTY_HEADERS, openBaselineDb } from './lib/baseline-db'
import { GENERATOR, httpLoad } from './lib/load'
import { BENCH_ENV, PINNING, pinned, seedConversation, seedMessages, startServer } from './lib/servers'
import { median } from './lib/stats'

// The servers in this process share core 0 with nothing else; wrk takes core 1.
if (!process.env.GAP_PINNED && PINNING.startsWith('server')) {
  const child = Bun.spawn(pinned(0, [process.execPath, import.meta.path]), {
    env: { ...process.env, GAP_PINNED: '1' },
    stdio: ['inherit', 'inherit', 'inherit'],
  })
  process.exit(await child.exited)
}

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
const { id } = await deps.store.createConversation({ userId: 'bench', title: null, metadata: {} })
seedMessages(file, id, 1000)
const baselineDb = openBaselineDb(file)
const { db, q } = baselineDb
const actor = (deps.requestAuth(new Request('http://localhost/')) as { actor: Actor }).actor

const pageOf = (url: string) => {
  const query = new URL(url).searchParams
  return { page: Number(query.get('page') ?? 1), size: Number(query.get('size') ?? 10) }
}
/** The baseline's page: its statements, its row shape, one JSON response. */
const baselinePage = (request: Request) => {
  const { page, size } = pageOf(request.url)
  const conv = q.seq.get(id)
  if (!conv) return Response.json({ detail: 'Conversation not found' }, { status: 404 })
  return Response.json(baselineDb.page(id, conv.message_count, page, size))
}

/** Each variant answers `GET /conversations/<id>/messages?page=1&size=10` for the one conversation. */
const variants: Record<string, (request: Request, server: Bun.Server<undefined>) => Response | Promise<Response>> = {
  "the baseline's code, in Parley's process": baselinePage,
  '… with one `await` first (Bun gets a pending promise)': async (request) => {
    await null
    return baselinePage(request)
  },
  "Parley's store and chat service instead": async (request) =>
    Response.json(await deps.chat.as(actor).listMessages(id, pageOf(request.url))),
  '… plus request id, headers, caller and rate limit, no Elysia': async (request, server) => {
    recordAddress(request, () => server.requestIP(request)?.address, false)
    const given = request.headers.get('x-request-id')
    const requestId = given && /^[\w.:-]{1,128}$/.test(given) ? given : Bun.randomUUIDv7()
    const { actor: caller } = (await deps.requestAuth(request)) as { actor: Actor }
    const page = await deps.chat.as(caller).listMessages(id, pageOf(request.url))
    return new Response(JSON.stringify(page), { headers: { ...DUTY_HEADERS, 'x-request-id': requestId } })
  },
}
const servers = Object.values(variants).map((fetch) => Bun.serve({ hostname: '127.0.0.1', port: 0, fetch }))
const baseline = await startServer('baseline')
const path = `/conversations/${id}/messages?page=1&size=10`
const contenders = [
  {
    name: 'the baseline (its own process)',
    url: `${baseline.url}/conversations/${await seedConversation(baseline, 1000)}/messages?page=1&size=10`,
  },
  ...Object.keys(variants).map((name, i) => ({ name, url: `http://127.0.0.1:${servers[i]?.port}${path}` })),
  { name: 'Parley', url: `${parley.url.origin}${path}` },
]

try {
  console.log(`GET page 1 of 1,000 messages, 32 connections; ${GENERATOR}; ${PINNING}`)
  for (const { name, url } of contenders) {
    const res = await fetch(url)
    if (res.status !== 200) throw new Error(`${name}: ${res.status} ${await res.text()}`)
    await httpLoad(url, { connections: 8, seconds: 3 }) // warm-up
  }
  Bun.spawnSync(['sync'])
  const rounds: number[][] = []
  for (let round = 0; round < ROUNDS; round++) {
    const rps: number[] = []
    for (let k = 0; k < contenders.length; k++) {
      const i = (round + k) % contenders.length
      await Bun.sleep(300)
      const r = await httpLoad((contenders[i] as { url: string }).url, { connections: 32, seconds: SECONDS })
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
