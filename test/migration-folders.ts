import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export const MIGRATIONS = join(import.meta.dir, '../drizzle')

/**
 * A copy of a dialect's migrations that stops before `tag`: a database migrated with it is
 * one an earlier Parley made. Disposable (the copy is removed).
 */
export function migrationsBefore(dialect: 'sqlite' | 'postgres' | 'mysql', tag: string) {
  const current = join(MIGRATIONS, dialect)
  const folder = mkdtempSync(join(tmpdir(), `parley-${dialect}-old-`))
  cpSync(current, folder, { recursive: true })
  const journal = JSON.parse(readFileSync(join(current, 'meta/_journal.json'), 'utf8'))
  const at = journal.entries.findIndex((e: { tag: string }) => e.tag === tag)
  if (at < 1) throw new Error(`${dialect} has no migration ${tag} after the first`)
  journal.entries = journal.entries.slice(0, at)
  writeFileSync(join(folder, 'meta/_journal.json'), JSON.stringify(journal))
  return { folder, current, [Symbol.dispose]: () => rmSync(folder, { recursive: true, force: true }) }
}
