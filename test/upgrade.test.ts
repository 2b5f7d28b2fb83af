import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import { createPool } from 'mysql2/promise'
import type { Driver } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openMysql } from '../src/storage/mysql-driver'
import { openPostgres } from '../src/storage/postgres-driver'
import { openSqlite } from '../src/storage/sqlite-driver'
import type { Store } from '../src/storage/store'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'
import { migrationsBefore } from './migration-folders'

type Dialect = 'sqlite' | 'postgres' | 'mysql'
type Exec = (sql: string, values: unknown[]) => Promise<unknown>

/** A database of each dialect, a way to write raw SQL to it, and a way to open it as Parley does. */
async function database(dialect: Dialect) {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'parley-upgrade-'))
    const path = join(dir, 'old.db')
    return {
      open: (migrationsFolder: string) =>
        Promise.resolve(openSqlite({ path, synchronous: 'NORMAL', migrationsFolder })),
      raw: async (): Promise<[Exec, () => Promise<void>]> => {
        const db = new Database(path)
        return [async (sql, values) => db.run(sql, values as never), async () => db.close()]
      },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  if (dialect === 'postgres') {
    const db = await createPostgresDatabase()
    return {
      open: (migrationsFolder: string) => openPostgres({ url: db.url, poolSize: 2, migrationsFolder }),
      raw: async (): Promise<[Exec, () => Promise<void>]> => {
        const sql = new SQL(db.url)
        const numbered = (text: string) =>
          text.replace(
            /\?/g,
            (() => {
              let i = 0
              return () => `$${++i}`
            })(),
          )
        return [(text, values) => sql.unsafe(numbered(text), values), () => sql.close()]
      },
      drop: db.drop,
    }
  }
  const db = await createMysqlDatabase()
  return {
    open: (migrationsFolder: string) => openMysql({ url: db.url, poolSize: 2, migrationsFolder }),
    raw: async (): Promise<[Exec, () => Promise<void>]> => {
      const pool = createPool({ uri: db.url, connectionLimit: 1 })
      return [(text, values) => pool.query(text, values), () => pool.end()]
    },
    drop: db.drop,
  }
}

const TREE_MIGRATION: Record<Dialect, string> = {
  sqlite: '0003_message_tree',
  postgres: '0001_message_tree',
  mysql: '0003_message_tree',
}
const SERVICE = { sqlite: null, postgres: 'PostgreSQL', mysql: 'MySQL' } as const

upgradeTest(
  '%s: a database made before the message tree is upgraded; every old message is on the active branch, in order',
  TREE_MIGRATION,
  async (exec) => {
    // Rows as the Parley before the tree stored them: regenerate had replaced replies, so
    // each conversation is a flat list; one was never written to.
    const ids = { long: Bun.randomUUIDv7(), empty: Bun.randomUUIDv7() }
    const messages: string[] = []
    const conv =
      'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at, message_count, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    await exec(conv, [ids.long, 'alice', 'old', '{}', 1000, 2000, 6, 7])
    await exec(conv, [ids.empty, 'alice', null, '{}', 1000, 1000, 0, 0])
    const insert =
      'INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, client_id, reply_to, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
    // seq 4 was deleted before the upgrade: the chain skips it.
    for (const seq of [1, 2, 3, 5, 6, 7]) {
      const id = Bun.randomUUIDv7()
      const ai = seq % 2 === 0
      await exec(insert, [
        id,
        ids.long,
        seq,
        ai ? 'ai' : 'user',
        `m${seq}`,
        '{}',
        ai ? null : `c${seq}`,
        ai ? messages.at(-1) : null,
        1000 + seq,
        1000 + seq,
      ])
      messages.push(id)
    }
    return { ids, messages }
  },
  async (store, { ids, messages }) => {
    expect(await store.getConversation(ids.long)).toMatchObject({ message_count: 6, head_id: messages.at(-1) })
    expect(await store.getConversation(ids.empty)).toMatchObject({ message_count: 0, head_id: null })
    const page = await store.listMessages(ids.long, { limit: 10, offset: 0 })
    expect(page?.map((m) => m.content)).toEqual(['m7', 'm6', 'm5', 'm3', 'm2', 'm1'])
    expect(page?.map((m) => m.parent_id)).toEqual([...messages.slice(0, -1).reverse(), null])
    expect(page?.every((m) => m.siblings.length === 1 && m.parts[0]?.type === 'text')).toBe(true)
    const tree = await store.tree(ids.long, 0, 100)
    expect(tree?.messages.map((m) => m.id)).toEqual(messages)
    // Writing continues on the upgraded data: a new message goes after the head.
    const next = await store.createMessage({ conversationId: ids.long, sender: 'user', content: 'm8', metadata: {} })
    expect(next?.message.parent_id).toBe(messages.at(-1) as string)
    expect(next?.event.seq).toBe(8)
    const first = await store.createMessage({ conversationId: ids.empty, sender: 'user', content: 'x', metadata: {} })
    expect(first?.message.parent_id).toBeNull()
  },
)

/**
 * On each dialect: a database migrated up to just before `migration`, given the rows the code
 * before it wrote (`seed`), then opened as Parley opens it (every migration applied); `check`
 * gets the upgraded store and what `seed` returned.
 */
function upgradeTest<T>(
  title: string,
  migration: Record<Dialect, string>,
  seed: (exec: Exec) => Promise<T>,
  check: (store: Store, seeded: T) => Promise<void>,
) {
  test.each(['sqlite', 'postgres', 'mysql'] as const)(
    title,
    async (dialect) => {
      const service = SERVICE[dialect]
      if (service && !(await needs(service))) return
      const db = await database(dialect)
      let driver: Driver | null = null
      try {
        using old = migrationsBefore(dialect, migration[dialect])
        await (await db.open(old.folder)).close()
        const [exec, close] = await db.raw()
        const seeded = await seed(exec)
        await close()
        driver = await db.open(old.current)
        await check(createDrizzleStore(driver, { eventRetention: 100 }), seeded)
      } finally {
        await driver?.close()
        await db.drop()
      }
    },
    30_000,
  )
}

upgradeTest(
  '%s: a database made before assistants is upgraded; its conversations have the default assistant and usage starts empty',
  { sqlite: '0005_assistants', postgres: '0003_assistants', mysql: '0005_assistants' },
  async (exec) => {
    // A conversation as the Parley before assistants stored it (the store now writes assistant_id).
    const c = { id: Bun.randomUUIDv7() }
    await exec(
      'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at, message_count, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [c.id, 'bob', 'kept', '{"k":1}', 1000, 1000, 0, 0],
    )
    return c
  },
  async (store, c) => {
    expect(await store.getConversation(c.id)).toMatchObject({ title: 'kept', metadata: { k: 1 }, assistant_id: null })
    expect(await store.listAssistants()).toEqual([])
    expect(await store.usage({ limit: 10 })).toEqual({
      rows: [],
      totals: { input_tokens: 0, output_tokens: 0, replies: 0 },
    })
    // The new tables work on the upgraded database.
    expect(await store.createAssistant('helper', { a: 1 })).toMatchObject({ id: 'helper' })
    expect((await store.updateConversation(c.id, { assistantId: 'helper' }))?.conversation.assistant_id).toBe('helper')
    const generation = { assistant_id: 'helper', model: 'm', finish_reason: 'stop', usage: null, duration_ms: 1 }
    await store.createMessage({ conversationId: c.id, sender: 'ai', content: 'a', metadata: {}, generation })
    expect((await store.usage({ userId: 'bob', limit: 10 })).rows).toMatchObject([
      { assistant_id: 'helper', replies: 1 },
    ])
    await store.setQuota('bob', { day: 1 })
    expect(await store.getQuota('bob')).toEqual({ day: 1 })
  },
)

upgradeTest(
  '%s: a database made before the message log is upgraded; each conversation replays from where its stored events begin',
  { sqlite: '0006_message_log', postgres: '0004_message_log', mysql: '0006_message_log' },
  async (exec) => {
    // Pruned below seq 3 (events 3 and 4 kept), and imported (no events, last_seq 7).
    const pruned = Bun.randomUUIDv7()
    const imported = Bun.randomUUIDv7()
    for (const [id, last] of [
      [pruned, 4],
      [imported, 7],
    ] as const)
      await exec(
        'INSERT INTO conversations (id, user_id, title, metadata, created_at, updated_at, message_count, last_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [id, 'bob', null, '{}', 1000, 1000, 0, last],
      )
    for (const seq of [3, 4]) {
      const event = { type: 'conversation_updated', conversationId: pruned, seq, conversation: { title: `t${seq}` } }
      await exec('INSERT INTO events (conversation_id, seq, type, payload, created_at) VALUES (?, ?, ?, ?, ?)', [
        pruned,
        seq,
        event.type,
        JSON.stringify(event),
        1000,
      ])
    }
    return { pruned, imported }
  },
  async (store, { pruned, imported }) => {
    expect(await store.eventsAfter(pruned, 1, 10)).toBeNull()
    expect((await store.eventsAfter(pruned, 2, 10))?.map((e) => e.seq)).toEqual([3, 4])
    expect(await store.eventsAfter(imported, 6, 10)).toBeNull()
    expect(await store.eventsAfter(imported, 7, 10)).toEqual([])
    // Appended after the upgrade: replayed from the message rows.
    const next = await store.createMessage({ conversationId: imported, sender: 'user', content: 'm', metadata: {} })
    expect(await store.eventsAfter(imported, 7, 10)).toEqual([next?.event as never])
  },
)
