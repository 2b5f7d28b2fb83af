import { expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readMigrationFiles } from 'drizzle-orm/migrator'
import { readMigrations } from '../src/storage/migrations'

const root = join(import.meta.dir, '../drizzle')

// The dialects' migrators record each migration's hash and decide what is pending from what
// they read: Parley's reader must give them exactly what drizzle-orm's own reader gives.
test.each(['sqlite', 'postgres', 'mysql'])('the %s migrations read as drizzle-orm reads them', (dialect) => {
  const folder = join(root, dialect)
  const ours = readMigrations(folder)
  expect(ours.length).toBeGreaterThan(0)
  expect(ours).toEqual(readMigrationFiles({ migrationsFolder: folder }))
})

test('a missing journal or migration file is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-migrations-'))
  try {
    expect(() => readMigrations(dir)).toThrow(/_journal\.json is missing/)
    const meta = join(dir, 'meta')
    mkdirSync(meta)
    writeFileSync(
      join(meta, '_journal.json'),
      JSON.stringify({ entries: [{ tag: '0000_x', when: 1, breakpoints: true }] }),
    )
    expect(() => readMigrations(dir)).toThrow(/0000_x\.sql is missing/)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
