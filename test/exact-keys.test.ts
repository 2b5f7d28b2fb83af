import { describe, expect, test } from 'bun:test'
import { createApp } from '../src/app'
import { loadConfig } from '../src/config'
import { createDeps } from '../src/deps'
import { openStorage } from '../src/storage/connect'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'
import { memoryLogger } from './helpers'
import { SECRET, userToken } from './tokens'

// MySQL/MariaDB's utf8mb4_bin compares 'k ' equal to 'k' (PAD SPACE): through the API, a key
// with a trailing space must be another key on every database.
const databases: [string, () => Promise<{ url: string; drop(): Promise<void> }>][] = [
  ['SQLite', async () => ({ url: 'sqlite::memory:', drop: async () => {} })],
]
if (await needs('PostgreSQL')) databases.push(['PostgreSQL', createPostgresDatabase])
if (await needs('MySQL')) databases.push(['MariaDB/MySQL', createMysqlDatabase])

async function appOn(url: string, env: Record<string, string> = {}) {
  const config = loadConfig({}, { DATABASE_URL: url, BOT_PROVIDER: 'none', ...env })
  const store = await openStorage(config)
  const app = createApp(createDeps(config, store, memoryLogger()))
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } }
    if (body !== undefined) init.body = JSON.stringify(body)
    const res = await app.handle(new Request(`http://localhost${path}`, init))
    return { status: res.status, body: (await res.json()) as any }
  }
  return { call, close: () => store.close() }
}

describe.each(databases)('exact keys through the API on %s', (_name, create) => {
  test('client_id "k " is not "k"; user_id "alice " is not "alice"', async () => {
    const db = await create()
    const t = await appOn(db.url)
    try {
      const alice = (await t.call('POST', '/conversations/', { user_id: 'alice' })).body
      const spaced = (await t.call('POST', '/conversations/', { user_id: 'alice ' })).body
      const send = (client_id: string, content: string) =>
        t.call('POST', `/conversations/${alice.id}/messages`, { sender: 'user', content, client_id })
      const k = await send('k', 'first')
      const kSpace = await send('k ', 'second')
      expect([k.status, kSpace.status]).toEqual([201, 201])
      expect(kSpace.body.id).not.toBe(k.body.id)
      expect(kSpace.body.content).toBe('second')
      expect((await send('k', 'retry')).body.id).toBe(k.body.id)
      expect((await t.call('GET', `/conversations/${alice.id}`)).body.message_count).toBe(2)
      const listed = async (user: string) =>
        (await t.call('GET', `/conversations?user_id=${encodeURIComponent(user)}`)).body.conversations.map(
          (c: { id: string }) => c.id,
        )
      expect(await listed('alice')).toEqual([alice.id])
      expect(await listed('alice ')).toEqual([spaced.id])
    } finally {
      await t.close()
      await db.drop()
    }
  })

  test('a JWT user "carol " sees none of carol\'s conversations', async () => {
    const db = await create()
    const t = await appOn(db.url, { AUTH_MODE: 'jwt', JWT_SECRET: SECRET })
    try {
      const carol = { authorization: `Bearer ${await userToken('carol')}` }
      const spaced = { authorization: `Bearer ${await userToken('carol ')}` }
      const conv = (await t.call('POST', '/conversations/', {}, carol)).body
      expect((await t.call('GET', '/conversations', undefined, spaced)).body.conversations).toEqual([])
      expect((await t.call('GET', `/conversations/${conv.id}`, undefined, spaced)).status).toBe(404)
      const intrusion = { sender: 'user', content: 'x' }
      expect((await t.call('POST', `/conversations/${conv.id}/messages`, intrusion, spaced)).status).toBe(404)
      expect((await t.call('GET', `/conversations/${conv.id}`, undefined, carol)).status).toBe(200)
    } finally {
      await t.close()
      await db.drop()
    }
  })
})
