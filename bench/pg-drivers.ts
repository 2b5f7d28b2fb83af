/**
 * Bun's built-in SQL client vs postgres.js under the same Drizzle store: the PostgreSQL
 * driver choice. Runs both side by side, alternating, on one fresh database each; reports
 * medians of several rounds. Needs PostgreSQL on 127.0.0.1 (PARLEY_TEST_POSTGRES to override).
 */
import { join } from 'node:path'
import { drizzle } from 'drizzle-orm/postgres-js'
import { migrate } from 'drizzle-orm/postgres-js/migrator'
import postgres from 'postgres'
import type { Tables } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { networkDriver } from '../src/storage/network-driver'
import { openPostgres } from '../src/storage/postgres-driver'
import { schema } from '../src/storage/schema/postgres'
import type { Store } from '../src/storage/store'
import { createPostgresDatabase } from '../test/databases'

const folder = join(import.meta.dir, '../drizzle/postgres')
const ROUNDS = 5
const WRITES = 400
const READS = 400
const CONCURRENCY = 16

async function postgresJs(url: string) {
  const client = postgres(url, { max: 10, onnotice: () => {} })
  const db = drizzle({ client, schema })
  await migrate(db, { migrationsFolder: folder })
  return networkDriver('postgres', db, schema as unknown as Tables, {
    ping: async () => {
      await client`SELECT 1`
    },
    close: () => client.end(),
  })
}

async function round(store: Store) {
  const conv = await store.createConversation({ userId: 'bench', title: null, metadata: {} })
  const t0 = performance.now()
  for (let i = 0; i < WRITES; i += CONCURRENCY) {
    await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, k) =>
        store.createMessage({ conversationId: conv.id, sender: 'user', content: `m${i + k}`, metadata: {} }),
      ),
    )
  }
  const t1 = performance.now()
  for (let i = 0; i < READS; i += CONCURRENCY) {
    await Promise.all(Array.from({ length: CONCURRENCY }, () => store.listMessages(conv.id, { limit: 10, offset: 0 })))
  }
  const t2 = performance.now()
  return { writes: (WRITES / (t1 - t0)) * 1000, reads: (READS / (t2 - t1)) * 1000 }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

const dbs = [await createPostgresDatabase(), await createPostgresDatabase()]
const [bunDb, pgjsDb] = dbs as [(typeof dbs)[0], (typeof dbs)[0]]
const stores = {
  'Bun.SQL': createDrizzleStore(await openPostgres({ url: bunDb.url, poolSize: 10, migrationsFolder: folder }), {
    eventRetention: 10_000,
  }),
  'postgres.js': createDrizzleStore(await postgresJs(pgjsDb.url), { eventRetention: 10_000 }),
}
const results: Record<string, { writes: number[]; reads: number[] }> = {
  'Bun.SQL': { writes: [], reads: [] },
  'postgres.js': { writes: [], reads: [] },
}
for (let r = 0; r < ROUNDS; r++) {
  for (const [name, store] of Object.entries(stores)) {
    const { writes, reads } = await round(store)
    results[name]?.writes.push(writes)
    results[name]?.reads.push(reads)
  }
}
console.log(
  `PostgreSQL drivers through the Drizzle store (${ROUNDS} alternating rounds, ${CONCURRENCY} concurrent, medians)`,
)
for (const [name, r] of Object.entries(results)) {
  console.log(
    `  ${name.padEnd(12)} createMessage ${median(r.writes).toFixed(0).padStart(6)}/s   listMessages ${median(r.reads).toFixed(0).padStart(6)}/s`,
  )
}
for (const store of Object.values(stores)) await store.close()
for (const db of dbs) await db.drop()
