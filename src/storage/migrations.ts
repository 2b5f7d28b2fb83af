import { existsSync, readFileSync } from 'node:fs'

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
  const journalPath = `${folder}/meta/_journal.json`
  if (!existsSync(journalPath)) throw new Error(`No migrations found: ${journalPath} is missing`)
  const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as Journal
  return journal.entries.map((entry) => {
    const path = `${folder}/${entry.tag}.sql`
    if (!existsSync(path)) throw new Error(`Migration ${path} is missing`)
    const query = readFileSync(path, 'utf8')
    return {
      sql: query.split('--> statement-breakpoint'),
      bps: entry.breakpoints,
      folderMillis: entry.when,
      hash: new Bun.CryptoHasher('sha256').update(query).digest('hex'),
    }
  })
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
