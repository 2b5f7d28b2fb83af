import { expect, test } from 'bun:test'
import { join } from 'node:path'
import { SQL } from 'bun'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openPostgres } from '../src/storage/postgres-driver'
import { exportData } from '../src/storage/transfer'
import { needs, PG_ADMIN } from './databases'

// Keys a person chose (assistant ids, user ids, models) are listed and exported in code point
// order on every dialect. A PostgreSQL database whose collation is a locale's (here ICU's
// English: case and punctuation ignored at first) orders text otherwise; the store must not.
test('PostgreSQL with a locale collation: assistants, usage and export lines in code point order', async () => {
  if (!(await needs('PostgreSQL'))) return
  const name = `parley_t_icu_${Bun.randomUUIDv7().replaceAll('-', '').slice(-12)}`
  const admin = new SQL({ url: PG_ADMIN, max: 1 })
  await admin.unsafe(
    `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8' LOCALE_PROVIDER icu ICU_LOCALE 'en'`,
  )
  const url = new URL(PG_ADMIN)
  url.pathname = `/${name}`
  const driver = await openPostgres({
    url: url.toString(),
    poolSize: 2,
    migrationsFolder: join(import.meta.dir, '../drizzle/postgres'),
  })
  try {
    const store = createDrizzleStore(driver, { eventRetention: 100 })
    // Code point order; the locale would give _u, alpha, Alpha, été, Zed.
    const ids = ['Alpha', 'Zed', '_u', 'alpha', 'été']
    for (const id of [...ids].reverse()) await store.createAssistant(id, {})
    expect((await store.listAssistants()).map((a) => a.id)).toEqual(ids)

    for (const user of [...ids].reverse()) {
      const c = await store.createConversation({ userId: user, title: null, metadata: {} })
      await store.setQuota(user, { user })
      for (const model of ['b', 'B', '_']) {
        const generation = { assistant_id: 'x', model, finish_reason: 'stop', usage: null, duration_ms: 1 }
        await store.createMessage({ conversationId: c.id, sender: 'ai', content: 'a', metadata: {}, generation })
      }
    }
    const keys = ids.flatMap((user) => ['B', '_', 'b'].map((model) => [user, model]))
    const { rows } = await store.usage({ limit: 100 })
    expect(rows.map((r) => [r.user_id, r.model])).toEqual(keys)

    const lines: { type: string; id?: string; userId?: string; model?: string }[] = []
    for await (const line of exportData(driver)) lines.push(JSON.parse(line))
    expect(lines.filter((l) => l.type === 'assistant').map((l) => l.id)).toEqual(ids)
    expect(lines.filter((l) => l.type === 'quota').map((l) => l.userId)).toEqual(ids)
    expect(lines.filter((l) => l.type === 'usage').map((l) => [l.userId, l.model])).toEqual(keys)
  } finally {
    await driver.close()
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
    await admin.close()
  }
}, 30_000)
