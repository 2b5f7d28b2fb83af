import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnParley } from './process'

const main = join(import.meta.dir, '../src/main.ts')
const preload = join(import.meta.dir, 'fixtures/unhandled.ts')

test('an unhandled rejection or uncaught exception is logged and the server keeps serving', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-last-resort-'))
  try {
    await using parley = spawnParley([process.execPath, '--preload', preload, main, '--port', '0'], { cwd: dir })
    const url = await parley.url()
    await parley.until((l) => l.msg === 'unhandled rejection: kept serving' && l.err.message === 'nobody awaited this')
    await parley.until((l) => l.msg === 'uncaught exception: kept serving' && l.err.message === 'thrown from a timer')
    expect(parley.proc.exitCode).toBeNull()
    expect((await fetch(`${url}/health/`)).status).toBe(200)
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

test('`bun run start` (src/main.ts) runs Elysia in production mode unless NODE_ENV says otherwise', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-mode-'))
  try {
    await using parley = spawnParley([process.execPath, main, '--port', '0'], { cwd: dir })
    const url = await parley.url()
    expect(parley.lines.map((l) => JSON.parse(l)).find((l) => l.url === url)?.mode).toBe('production')
    await using dev = spawnParley([process.execPath, main, '--port', '0'], {
      cwd: dir,
      env: { NODE_ENV: 'development' },
    })
    const devUrl = await dev.url()
    expect(dev.lines.map((l) => JSON.parse(l)).find((l) => l.url === devUrl)?.mode).toBe('development')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})
