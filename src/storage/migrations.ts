import { readFileSync } from 'node:fs'

/** One generated migration, as Drizzle's dialect migrators take it. */
export type MigrationMeta = { sql: string[]; bps: boolean; folderMillis: number; hash: string }

type Journal = { entries: { tag: string; when: number; breakpoints: boolean }[] }

/**
 * The migrations drizzle-kit generated in `folder`, read exactly as drizzle-orm's
 * `readMigrationFiles` reads them (the journal, statement breakpoints, a SHA-256 of each file;
 * test/migrations.test.ts compares the two), but hashed with Bun's native hasher: drizzle-orm's
 * reader imports node:crypto, and loading that module took ~12 ms of a ~90 ms start-up.
 */
export function readMigrations(folder: string): MigrationMeta[] {
  const journal = JSON.parse(read(`${folder}/meta/_journal.json`, 'No migrations found')) as Journal
  return journal.entries.map((entry) => {
    const query = read(`${folder}/${entry.tag}.sql`, 'Migration missing')
    return {
      sql: query.split('--> statement-breakpoint'),
      bps: entry.breakpoints,
      folderMillis: entry.when,
      hash: new Bun.CryptoHasher('sha256').update(query).digest('hex'),
    }
  })
}

/** A file's text; a missing one is an error that names it. */
function read(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`${what}: ${path} is missing`)
    throw error
  }
}

/** What drizzle-orm's `migrate` of each dialect uses of a database (not in its public typings). */
type Migratable = {
  dialect: { migrate(migrations: MigrationMeta[], session: unknown, config: { migrationsFolder: string }): unknown }
  session: unknown
}

/**
 * Applies the pending migrations of `folder`: what drizzle-orm's `migrate` does for every
 * dialect (its own migrator, its own bookkeeping table), with the migrations read above.
 * Synchronous on SQLite, a promise on PostgreSQL and MySQL.
 */
export function migrate(db: object, folder: string): unknown {
  const { dialect, session } = db as Migratable
  return dialect.migrate(readMigrations(folder), session, { migrationsFolder: folder })
}
