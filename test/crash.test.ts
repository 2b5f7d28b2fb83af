import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { crashRound } from './crash'

test('kill -9 under 64 concurrent writers loses no acknowledged message and leaves no gap', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-crash-'))
  try {
    const r = await crashRound(join(dir, 'crash.db'))
    expect(r.acknowledged).toBeGreaterThan(100) // the load was real
    expect(r).toMatchObject({ missing: 0, duplicates: 0, gaps: 0 })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}, 60_000)
