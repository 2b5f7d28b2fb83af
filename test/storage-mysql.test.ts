import { join } from 'node:path'
import { openMysql } from '../src/storage/mysql-driver'
import { createMysqlDatabase, needs } from './databases'
import { storeContract } from './storage.contract'

if (await needs('MySQL')) {
  storeContract('MariaDB/MySQL', async () => {
    const db = await createMysqlDatabase()
    const driver = await openMysql({
      url: db.url,
      poolSize: 10,
      migrationsFolder: join(import.meta.dir, '../drizzle/mysql'),
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
