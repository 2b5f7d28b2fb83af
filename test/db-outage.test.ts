import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { openStorage } from '../src/storage/connect'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { guardStore } from '../src/storage/outage'
import { openSqlite } from '../src/storage/sqlite-driver'
import type { Store } from '../src/storage/store'
import { createMysqlDatabase, createPostgresDatabase, MYSQL_ADMIN, needs, PG_ADMIN } from './databases'
import { memoryLogger } from './helpers'
import { tcpProxy } from './tcp-proxy'

const migrationsFolder = join(import.meta.dir, '../drizzle/sqlite')

/** The app on `url` through a proxy the test cuts; every log line (store and requests) kept. */
async function appBehind(url: string, upstreamPort: number) {
  const proxy = tcpProxy(upstreamPort)
  const target = new URL(url)
  target.port = String(proxy.port)
  // PostgreSQL's trust login ignores a password (MariaDB's root has none): the logs must hide it.
  if (target.protocol === 'postgres:') target.password = 'hunter2'
  const config = loadConfig({}, { DATABASE_URL: target.toString(), BOT_PROVIDER: 'none', CONNECT_TIMEOUT_MS: '1000' })
  const log = memoryLogger()
  const store = await openStorage(config, log)
  const app = createApp(createDeps(config, store, log))
  const call = async (method: string, path: string, body?: unknown) => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json' } }
    if (body !== undefined) init.body = JSON.stringify(body)
    const res = await app.handle(new Request(`http://localhost${path}`, init))
    const text = await res.text()
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: text ? JSON.parse(text) : null }
  }
  const logged = () => log.lines.map((l) => JSON.parse(l) as { level: string; msg: string; [k: string]: unknown })
  return { proxy, call, logged, log, close: () => store.close().catch(() => {}) }
}

const servers: [string, () => Promise<{ url: string; drop(): Promise<void> }>, number][] = []
if (await needs('PostgreSQL')) servers.push(['PostgreSQL', createPostgresDatabase, Number(new URL(PG_ADMIN).port)])
if (await needs('MySQL')) servers.push(['MySQL/MariaDB', createMysqlDatabase, Number(new URL(MYSQL_ADMIN).port)])

test.each(servers)(
  '%s outage mid-run: 503 with Retry-After on every route, one log line, 200 again once it is back',
  async (name, create, upstreamPort) => {
    const db = await create()
    const t = await appBehind(db.url, upstreamPort)
    try {
      const conv = (await t.call('POST', '/conversations/', { user_id: 'u' })).body
      expect((await t.call('GET', '/conversations')).status).toBe(200)

      t.proxy.cut()
      const routes: [string, string, unknown?][] = [
        ['GET', '/conversations'],
        ['POST', '/conversations/', { user_id: 'u' }],
        ['GET', `/conversations/${conv.id}`],
        ['PATCH', `/conversations/${conv.id}`, { title: 't' }],
        ['POST', `/conversations/${conv.id}/messages`, { sender: 'user', content: 'hi' }],
        ['GET', `/conversations/${conv.id}/messages`],
        ['DELETE', `/conversations/${conv.id}`],
      ]
      for (let round = 0; round < 3; round++) {
        for (const [method, path, body] of routes) {
          const res = await t.call(method, path, body)
          expect({
            route: `${method} ${path}`,
            status: res.status,
            retryAfter: res.retryAfter,
            code: res.body?.code,
          }).toEqual({
            route: `${method} ${path}`,
            status: 503,
            retryAfter: '5',
            code: 'service_unavailable',
          })
        }
      }
      expect((await t.call('GET', '/health/ready')).status).toBe(503)

      const lines = t.logged()
      const outage = lines.filter((l) => l.msg === 'database unavailable')
      expect(outage).toHaveLength(1)
      expect(outage[0]).toMatchObject({ level: 'error', service: name })
      expect(String(outage[0]?.database)).toContain(`@127.0.0.1:${t.proxy.port}/`)
      if (name === 'PostgreSQL') expect(String(outage[0]?.database)).toContain(':***@')
      expect(t.log.lines.join('\n')).not.toContain('hunter2')
      // No stack per request: nothing was logged as a failed request.
      expect(lines.filter((l) => l.msg === 'request failed')).toEqual([])
      expect(t.log.lines.join('\n')).not.toContain('"stack"')

      t.proxy.restore()
      expect((await t.call('GET', '/conversations')).status).toBe(200)
      expect(
        (await t.call('POST', `/conversations/${conv.id}/messages`, { sender: 'user', content: 'back' })).status,
      ).toBe(201)
      const back = t.logged().filter((l) => l.msg === 'database available again')
      expect(back).toHaveLength(1)
      expect(back[0]).toMatchObject({ service: name, suppressed: 3 * routes.length })
    } finally {
      t.proxy.cut()
      await t.close()
      await db.drop()
    }
  },
  30_000,
)

test('SQLite still locked by another process after the busy timeout: 503 with Retry-After, then 201 once released', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-busy-'))
  const path = join(dir, 'busy.db')
  const log = memoryLogger()
  const config = loadConfig({}, { DATABASE_URL: `sqlite:///${path}`, BOT_PROVIDER: 'none' })
  const driver = openSqlite({ path, synchronous: 'NORMAL', migrationsFolder, busyTimeoutMs: 20 })
  const store = guardStore(createDrizzleStore(driver, { eventRetention: 100 }), {
    log,
    dialect: 'sqlite',
    database: path,
  })
  const app = createApp(createDeps(config, store, log))
  const create = () =>
    app.handle(
      new Request('http://localhost/conversations/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"user_id":"u"}',
      }),
    )
  const other = new Database(path)
  try {
    other.exec('BEGIN IMMEDIATE') // a second connection stands for another process holding the write lock
    const refused = await create()
    expect([
      refused.status,
      refused.headers.get('retry-after'),
      ((await refused.json()) as { code: string }).code,
    ]).toEqual([503, '5', 'service_unavailable'])
    expect(log.lines.filter((l) => l.includes('"database unavailable"'))).toHaveLength(1)
    other.exec('COMMIT')
    expect((await create()).status).toBe(201)
  } finally {
    other.close()
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
})

test('a real error (not an outage) is still a 500, logged with its stack', async () => {
  const log = memoryLogger()
  const config = loadConfig({}, { DATABASE_URL: 'sqlite::memory:', BOT_PROVIDER: 'none' })
  const driver = openSqlite({ path: ':memory:', synchronous: 'NORMAL', migrationsFolder })
  const real = createDrizzleStore(driver, { eventRetention: 100 })
  // A query the database rejects on its merits: a NOT NULL constraint.
  const broken: Store = {
    ...real,
    createConversation: async () => {
      await driver.db
        .insert(driver.tables.conversations)
        .values({ id: 'x', userId: null as never, metadata: '{}', createdAt: 0, updatedAt: 0 })
      throw new Error('unreachable')
    },
  }
  const store = guardStore(broken, { log, dialect: 'sqlite', database: 'sqlite::memory:' })
  const app = createApp(createDeps(config, store, log))
  try {
    const res = await app.handle(
      new Request('http://localhost/conversations/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"user_id":"u"}',
      }),
    )
    expect(res.status).toBe(500)
    const failed = log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request failed')
    expect(failed).toHaveLength(1)
    expect(JSON.stringify(failed[0].err)).toContain('NOT NULL')
    expect(log.lines.join('')).not.toContain('database unavailable')
  } finally {
    await store.close()
  }
})
