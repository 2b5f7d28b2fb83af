import { join } from 'node:path'
import { openPostgres } from '../src/storage/postgres-driver'
import { createPostgresDatabase, needs } from './databases'
import { storeContract } from './storage.contract'

if (await needs('PostgreSQL')) {
  storeContract('PostgreSQL', async () => {
    const db = await createPostgresDatabase()
    const driver = await openPostgres({
      url: db.url,
      poolSize: 10,
      migrationsFolder: join(import.meta.dir, '../drizzle/postgres'),
    })
    return {
      driver,
      async close() {
        await driver.close()
        await db.drop()
      },
    }
  })
}
