import { expect, test } from 'bun:test'
import { readdirSync, readFileSync, readlinkSync } from 'node:fs'
import { SQL } from 'bun'
import { type Instance, spawnInstance } from './cluster'
import { createPostgresDatabase, needs, PG_ADMIN } from './databases'
import { type WsClient, wsClient } from './live'
import { ownRedis, redisServerInstalled } from './redis-server'

const withRedis = redisServerInstalled() && (await needs('PostgreSQL'))
const withPostgres = await needs('PostgreSQL')
// 3 s by default; PARLEY_TEST_OUTAGE_MS=40000 measures a long outage (past Bun's own 20 retries).
const OUTAGE_MS = Number(process.env.PARLEY_TEST_OUTAGE_MS ?? 3000)

/** Polls `check` until it holds (bounded); returns how long that took, in ms. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 15_000): Promise<number> {
  const started = performance.now()
  while (!(await check())) {
    if (performance.now() - started > ms) throw new Error(`not within ${ms} ms: ${what}`)
    await Bun.sleep(20)
  }
  return Math.round(performance.now() - started)
}

/** The local ports of a process's TCP connections to `port` (read from /proc: which backends are its). */
function clientPorts(pid: number, port: number): number[] {
  const inodes = new Set(
    readdirSync(`/proc/${pid}/fd`).flatMap((fd) => {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' })
      return link.startsWith('socket:[') ? [link.slice(8, -1)] : []
    }),
  )
  return ['/proc/net/tcp', '/proc/net/tcp6'].flatMap((table) =>
    readFileSync(table, 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (f) => f.length > 9 && inodes.has(f[9] as string) && Number.parseInt(f[2]?.split(':')[1] ?? '', 16) === port,
      )
      .map((f) => Number.parseInt(f[1]?.split(':')[1] ?? '', 16)),
  )
}

const contents = (c: WsClient) => c.inbox.named('new_message').map((m) => m.content as string)
const seqs = (c: WsClient) => c.inbox.named('new_message').map((m) => m.seq as number)
const readiness = async (i: Instance) => (await i.call('GET', '/health/ready')).status

/** Two instances on one fresh PostgreSQL database, a socket on B in a conversation, posts on A. */
async function pair(env: Record<string, string>) {
  const db = await createPostgresDatabase()
  const [a, b] = await Promise.all([
    spawnInstance({ DATABASE_URL: db.url, ...env }),
    spawnInstance({ DATABASE_URL: db.url, ...env }),
  ])
  const id = (await a.call('POST', '/conversations/', { user_id: 'u' })).body.id as string
  const client = await wsClient(b.ws)
  await client.join(id)
  // A new room reads the log once, 150 ms after its first join: let that pass, so that only the
  // bus's own recovery can bring what it misses.
  await Bun.sleep(400)
  return {
    db,
    a,
    b,
    client,
    post: (content: string) => a.call('POST', `/conversations/${id}/messages`, { sender: 'user', content }),
    async [Symbol.asyncDispose]() {
      client.close()
      await Promise.all([a.stop(), b.stop()])
      await db.drop()
    },
  }
}

test.if(withRedis)(
  'BUS=redis: after Redis restarts, messages posted before, during and after the outage reach the other instance once, in order; readiness is 503 meanwhile',
  async () => {
    await using redis = await ownRedis()
    await using p = await pair({ BUS: 'redis', REDIS_URL: redis.url, CONNECT_TIMEOUT_MS: '2000' })
    const { a, b, client } = p
    await p.post('before')
    await until('"before" reaches B', () => contents(client).includes('before'))

    await redis.kill()
    const noticed = await until('B reports the bus down', async () => (await readiness(b)) === 503)
    const ready = await b.call('GET', '/health/ready')
    expect(ready.body.code).toBe('not_ready')
    expect(ready.body.detail).toContain('redis')
    expect((await b.call('GET', '/health/')).status).toBe(200) // alive: only not ready
    for (const n of [1, 2, 3]) expect((await p.post(`during ${n}`)).status).toBe(201)
    await Bun.sleep(OUTAGE_MS)

    await redis.start()
    const recovered = await until(
      'both instances ready again',
      async () => (await readiness(a)) === 200 && (await readiness(b)) === 200,
      OUTAGE_MS + 15_000,
    )
    // Nothing new was posted yet: the gap is filled from the event log on reconnect alone.
    const filled = await until("the outage's messages reach B", () => contents(client).includes('during 3'))
    expect(await redis.subscribers('parley:hub')).toBe(2)
    for (const n of [1, 2, 3]) await p.post(`after ${n}`)
    await until('"after 3" reaches B', () => contents(client).includes('after 3'))
    await client.inbox.quiet(300) // a duplicate would arrive meanwhile
    console.log(
      `Redis down ${OUTAGE_MS} ms: readiness 503 after ${noticed} ms, ready again ${recovered} ms after Redis was back, gap filled ${filled} ms later`,
    )
    expect(contents(client)).toEqual(['before', 'during 1', 'during 2', 'during 3', 'after 1', 'after 2', 'after 3'])
    expect(seqs(client)).toEqual([...seqs(client)].sort((x, y) => x - y))
  },
  OUTAGE_MS + 45_000,
)

test.if(withRedis)(
  'BUS=redis: a subscriber cut off reads what it missed from the log; a publisher cut off sends again what it could not',
  async () => {
    await using redis = await ownRedis()
    await using p = await pair({ BUS: 'redis', REDIS_URL: redis.url })
    const { a, b, client } = p
    const admin = new Bun.RedisClient(redis.url, { autoReconnect: false })
    await admin.connect()
    // Redis stays up but refuses new connections, and the chosen kind of connection is cut.
    const cut = async (type: 'pubsub' | 'normal') => {
      await admin.send('CONFIG', ['SET', 'maxclients', '1'])
      await admin.send('CLIENT', ['KILL', 'TYPE', type, 'SKIPME', 'yes'])
    }
    const restore = () => admin.send('CONFIG', ['SET', 'maxclients', '10000'])
    try {
      await p.post('before')
      await until('"before" reaches B', () => contents(client).includes('before'))

      // Subscribers gone, publishers fine: A's messages are published to no one.
      await cut('pubsub')
      await until('B reports the bus down', async () => (await readiness(b)) === 503)
      for (const n of [1, 2]) await p.post(`unheard ${n}`)
      await restore()
      await until('B ready again', async () => (await readiness(b)) === 200)
      const caughtUp = await until('B reads what it missed', () => contents(client).includes('unheard 2'))

      // Publishers gone, subscribers fine: A cannot publish at all.
      await cut('normal')
      await until('A reports the bus down', async () => (await readiness(a)) === 503)
      for (const n of [1, 2]) await p.post(`unsent ${n}`)
      await restore()
      await until('A ready again', async () => (await readiness(a)) === 200)
      const resent = await until('A sends again what failed', () => contents(client).includes('unsent 2'))

      await p.post('after')
      await until('"after" reaches B', () => contents(client).includes('after'))
      await client.inbox.quiet(300)
      console.log(
        `subscriber caught up ${caughtUp} ms after ready; publisher's resend arrived ${resent} ms after ready`,
      )
      expect(contents(client)).toEqual(['before', 'unheard 1', 'unheard 2', 'unsent 1', 'unsent 2', 'after'])
    } finally {
      await restore()
      admin.close()
    }
  },
  45_000,
)

test.if(withPostgres)(
  'BUS=postgres: messages stored while the LISTEN connection was gone reach the other instance when it listens again',
  async () => {
    await using p = await pair({ BUS: 'postgres' })
    const { client } = p
    const name = new URL(p.db.url).pathname.slice(1)
    const admin = new SQL({ url: PG_ADMIN, max: 1 })
    try {
      await p.post('before')
      await until('"before" reaches B', () => contents(client).includes('before'))
      // New connections are refused and B's are cut (its LISTEN among them): A keeps the
      // connections it has, so A's posts are stored while B hears no NOTIFY.
      await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
      const ports = clientPorts(p.b.proc.pid, Number(new URL(PG_ADMIN).port || 5432))
      expect(ports.length).toBeGreaterThan(0)
      const cut: { pid: number }[] =
        await admin`SELECT pid FROM pg_stat_activity WHERE datname = ${name} AND client_port IN ${admin(ports)}`
      await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid IN ${admin(cut.map((r) => r.pid))}`
      // A backend still exiting could yet pass a NOTIFY on: post only once they are gone.
      await until("B's backends are gone", async () => {
        const [row] =
          await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid IN ${admin(cut.map((r) => r.pid))}`
        return row.n === 0
      })
      for (const n of [1, 2, 3]) expect((await p.post(`during ${n}`)).status).toBe(201)
      await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      const filled = await until("the outage's messages reach B", () => contents(client).includes('during 3'))
      await p.post('after')
      await until('"after" reaches B', () => contents(client).includes('after'))
      await client.inbox.quiet(300)
      console.log(`PostgreSQL LISTEN cut: gap filled ${filled} ms after connections were allowed again`)
      expect(contents(client)).toEqual(['before', 'during 1', 'during 2', 'during 3', 'after'])
    } finally {
      await admin.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS true`)
      await admin.close()
    }
  },
  45_000,
)
