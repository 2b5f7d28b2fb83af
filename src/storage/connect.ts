import { dirname, join } from 'node:path'
import type { Config } from '../config'
import { createDrizzleStore } from './drizzle-store'
import { openSqlite } from './sqlite-driver'
import type { Store } from './store'

/**
 * Where the generated migrations are. `bun build --compile --asset=drizzle` embeds them
 * next to the entry point, under `/$bunfs/root/`; there `import.meta.dir` is no guide (with
 * --bytecode it still names the build machine's source folder), so a binary looks beside its
 * own entry point and fails loudly if they were not embedded. From source: the repo's drizzle/.
 */
const migrationsRoot = Bun.main.startsWith('/$bunfs/')
  ? join(dirname(Bun.main), 'drizzle')
  : join(import.meta.dir, '../../drizzle')

/** Opens the configured database, applies pending migrations, and returns the Store. */
export function openStorage(config: Pick<Config, 'database' | 'SQLITE_SYNCHRONOUS' | 'EVENT_RETENTION'>): Store {
  const { database } = config
  const driver = openSqlite({
    path: database.path,
    synchronous: config.SQLITE_SYNCHRONOUS,
    migrationsFolder: join(migrationsRoot, 'sqlite'),
  })
  return createDrizzleStore(driver, { eventRetention: config.EVENT_RETENTION })
}
