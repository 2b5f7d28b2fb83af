import { Database } from 'bun:sqlite'
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { openSqliteStorage } from '../src/storage/connect'
import { memoryLogger } from './helpers'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-persist-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function open(url: string) {
  const config = loadConfig({}, { DATABASE_URL: url }, dir)
  const store = openSqliteStorage(config)
  const app = createApp(createDeps(config, store, memoryLogger()))
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await app.handle(
      new Request(`http://localhost${path}`, {
        method,
        ...(body ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      }),
    )
    const json: any = await res.json().catch(() => null)
    return { status: res.status, body: json }
  }
  return { store, call }
}

test('a restart on the same file keeps every conversation and message; migrations are idempotent', async () => {
  const url = 'sqlite:///nested/folder/chat.db' // relative to the working directory, folder created
  const first = open(url)
  const conv = (await first.call('POST', '/conversations/', { user_id: 'u', title: 'keep me' })).body
  for (let i = 0; i < 5; i++)
    await first.call('POST', `/conversations/${conv.id}/messages`, { sender: 'user', content: `m${i}` })
  await first.store.close()
  expect(existsSync(join(dir, 'nested/folder/chat.db'))).toBe(true)

  for (let round = 0; round < 2; round++) {
    const again = open(url)
    const got = await again.call('GET', `/conversations/${conv.id}`)
    expect(got.status).toBe(200)
    expect(got.body.title).toBe('keep me')
    expect(got.body.message_count).toBe(5)
    expect(got.body.messages.map((m: { content: string }) => m.content)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4'])
    await again.store.close()
  }
})

test('absolute paths work and the file is opened with server-safe pragmas', async () => {
  const path = join(dir, 'abs.db')
  const { store } = open(`sqlite:///${path}`)
  await store.close()
  expect(existsSync(path)).toBe(true)
  // Check the persistent settings and the schema from a second, independent connection.
  const db = new Database(path)
  expect(db.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' })
  const tables = db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
  expect(tables.map((r) => (r as { name: string }).name)).toContain('messages')
  db.close()
})

test('per-connection pragmas: foreign keys on, synchronous NORMAL (or FULL), busy timeout', async () => {
  const { openSqlite } = await import('../src/storage/sqlite-driver')
  for (const synchronous of ['NORMAL', 'FULL'] as const) {
    const driver = openSqlite({
      path: join(dir, `p-${synchronous}.db`),
      synchronous,
      migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
    })
    const pragma = async (name: string) => {
      const { sql } = await import('drizzle-orm')
      return (await driver.db.all(sql.raw(`PRAGMA ${name}`)))[0]
    }
    expect(await pragma('foreign_keys')).toEqual({ foreign_keys: 1 })
    expect(await pragma('synchronous')).toEqual({ synchronous: synchronous === 'NORMAL' ? 1 : 2 })
    expect(await pragma('busy_timeout')).toEqual({ timeout: 5000 })
    await driver.close()
  }
})
