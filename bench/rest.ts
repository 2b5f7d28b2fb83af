import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { FASTAPI } from './lib/fastapi'
import { httpLoad, type LoadOptions } from './lib/load'
import { type Running, seedConversation, seedWithIds, startServer } from './lib/servers'
import { median, report } from './lib/stats'

// Many short windows rather than a few long ones: a slow spell of a few seconds then spans
// whole rounds (both servers alike) instead of one server's window, and the median of the
// per-round ratios sets the ones it does split aside. wrk's shortest window is 1 s.
const ROUNDS = Number(process.env.ROUNDS ?? 11)
const SECONDS = Number(process.env.SECONDS ?? 1)
// Each server is new: its JIT needs a few thousand requests of a route before that route runs
// at its steady speed, Parley's larger code longer than the floor's. Measured after it.
const WARM_UP = 2
// Messages seeded per second of a DELETE window (each request deletes one): more than any server deletes.
const DELETABLE = 60_000
const message = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })

type Route = {
  /** For ROUTES=. */
  key: string
  name: string
  /** Parley / floor at least this; null: a reference figure, not a target. */
  target: number | null
  /** What one window sends to a server (a DELETE window seeds the messages it uses up). */
  load(
    server: Running,
    fixture: Fixture,
    seconds: number,
  ): Promise<Omit<LoadOptions, 'connections' | 'seconds'> & { url: string }>
}
type Fixture = { empty: string; page: string; edit: { id: string; messageId: string } }

const routes: Route[] = [
  {
    key: 'post',
    name: 'POST /conversations/{id}/messages',
    target: 1,
    load: async (s, f) => ({ url: `${s.url}/conversations/${f.empty}/messages`, method: 'POST', body: message }),
  },
  {
    key: 'create',
    name: 'POST /conversations/',
    target: 1,
    load: async (s) => ({ url: `${s.url}/conversations/`, method: 'POST', body: JSON.stringify({ user_id: 'bench' }) }),
  },
  {
    key: 'put',
    name: 'PUT /conversations/{id}/messages/{id}',
    target: 1,
    load: async (s, f) => ({
      url: `${s.url}/conversations/${f.edit.id}/messages/${f.edit.messageId}`,
      method: 'PUT',
      body: JSON.stringify({ content: 'Edited: how are you today?' }),
    }),
  },
  {
    key: 'delete',
    name: 'DELETE /conversations/{id}/messages/{id}',
    target: 1,
    load: async (s, _, seconds) => {
      const { id, messageIds } = await seedWithIds(s, DELETABLE * seconds)
      const paths = join(s.dir, 'delete-paths.txt')
      writeFileSync(paths, messageIds.map((m) => `/conversations/${id}/messages/${m}\n`).join(''))
      return { url: `${s.url}/conversations/${id}/messages/${messageIds[0]}`, method: 'DELETE', paths }
    },
  },
  {
    key: 'get',
    name: 'GET /conversations/{id}/messages?page=1&size=10 (1,000 messages)',
    target: 1.2,
    load: async (s, f) => ({ url: `${s.url}/conversations/${f.page}/messages?page=1&size=10` }),
  },
  {
    // No work at all: what each server's request handling alone allows (a ceiling for any route).
    key: 'health',
    name: 'GET /health/ (no work: the ceiling)',
    target: null,
    load: async (s) => ({ url: `${s.url}/health/` }),
  },
]

// VS=<checkout>: Parley from that checkout in the floor's place, to measure a change side by side.
const VS = process.env.VS
const contenders = [
  VS ? { name: 'before', kind: 'parley' as const, root: VS } : { name: 'floor', kind: 'floor' as const },
  { name: 'parley', kind: 'parley' as const },
]
// ROUTES=post,create,put,delete,get: only these routes.
const chosen = process.env.ROUTES?.split(',')
const measured = routes.filter((r) => !chosen || chosen.includes(r.key))

/**
 * REST throughput, every route Parley and the minimal floor (bench/floor.ts) side by side, 32
 * connections. Both servers run at once (pinned to the same core; one idles while the other is
 * measured) and take turns in short windows, the order alternating each round: this machine's
 * speed drifts by tens of percent over minutes, so each round's ratio compares measurements
 * seconds apart. The figure is the median of those per-round ratios. The FastAPI column is the
 * original backend's figure from the documented run (lib/fastapi.ts, docs/performance.md).
 */
export async function restThroughput() {
  const servers = await Promise.all(contenders.map(({ kind, root }) => startServer(kind, {}, root ? { root } : {})))
  try {
    const fixtures = await Promise.all(
      servers.map(async (s): Promise<Fixture> => {
        const edit = await seedWithIds(s, 1000)
        return {
          empty: await seedConversation(s, 0),
          page: await seedConversation(s, 1000),
          edit: { id: edit.id, messageId: edit.messageIds[500] as string },
        }
      }),
    )
    const window = async (route: Route, i: number, seconds: number) => {
      const { url, ...options } = await route.load(servers[i] as Running, fixtures[i] as Fixture, seconds)
      const r = await httpLoad(url, { connections: 32, seconds, ...options })
      if (r.errors) throw new Error(`${contenders[i]?.name}, ${route.name}: ${r.errors} failed requests`)
      return r.rps
    }
    const table: string[] = []
    for (const route of measured) {
      for (let i = 0; i < servers.length; i++) await window(route, i, WARM_UP)
      // The writes leave dirty pages; the kernel writing them back later slows every server.
      Bun.spawnSync(['sync'])
      const rounds: number[][] = []
      for (let round = 0; round < ROUNDS; round++) {
        const rps: number[] = []
        for (let k = 0; k < servers.length; k++) {
          const i = (round + k) % servers.length
          await Bun.sleep(300) // the other server's background JIT and GC threads settle
          rps[i] = await window(route, i, SECONDS)
        }
        rounds.push(rps)
        console.log(
          `  ${route.name} round ${round + 1}: ${contenders[0]?.name} ${rps[0]?.toFixed(0)}/s  parley ${rps[1]?.toFixed(0)}/s`,
        )
      }
      const [floor, parley] = [0, 1].map((i) => median(rounds.map((r) => r[i] as number))) as [number, number]
      const ratios = rounds.map((r) => (r[1] as number) / (r[0] as number))
      const ratio = median(ratios)
      const fastapi = FASTAPI.rps[route.name]
      const vsFastapi = fastapi ? parley / fastapi : Number.NaN
      const pass = route.target === null || (ratio >= route.target && !(vsFastapi < 50))
      const spread = `${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}`
      const fa = fastapi ? `${fastapi.toFixed(0)}/s (${vsFastapi.toFixed(0)}×)` : '—'
      const goal = route.target === null ? '' : `; ≥ ${route.target}`
      table.push(
        `| ${route.name} | ${parley.toFixed(0)}/s | ${floor.toFixed(0)}/s | ${ratio.toFixed(2)}× (${spread}${goal}) | ${fa} | ${route.target === null ? '—' : pass ? 'PASS' : 'FAIL'} |`,
      )
      if (route.target === null) continue
      report(
        `REST ${route.name} ≥ ${route.target} × floor, ≥ 50 × FastAPI`,
        `${parley.toFixed(0)}/s vs floor ${floor.toFixed(0)}/s: ${ratio.toFixed(2)}× (median of ${ROUNDS} rounds, ${spread}); FastAPI ${fa}`,
        pass,
      )
    }
    console.log(`\n| Route | Parley | Floor | Parley / floor | FastAPI (${FASTAPI.run}) | Result |`)
    console.log('|---|---|---|---|---|---|')
    for (const row of table) console.log(row)
  } finally {
    await Promise.all(servers.map((server) => server.stop()))
  }
}

if (import.meta.main) await restThroughput()
