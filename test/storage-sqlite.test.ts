import { join } from 'node:path'
import { openSqlite } from '../src/storage/sqlite-driver'
import { storeContract } from './storage.contract'

storeContract('SQLite', async () => {
  const driver = openSqlite({
    path: ':memory:',
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  return { driver, close: () => driver.close() }
})
