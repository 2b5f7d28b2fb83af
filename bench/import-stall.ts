import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAIN, writeExport } from '../test/transfer-files'
import { pinned, type Running, startServer } from './lib/servers'
import { percentile, report } from './lib/stats'

const MESSAGES = Number(process.env.IMPORT_MESSAGES ?? 100_000)
const CONVERSATIONS = 10
// Another checkout's entry point (e.g. the code before small transactions), for the "before" figure.
const IMPORTER = process.env.PARLEY_IMPORT_MAIN ?? MAIN

/** Sequential requests until `done()`, each one's latency in ms. */
async function probe(done: () => boolean, request: () => Promise<Response>): Promise<number[]> {
  const out: number[] = []
  while (!done()) {
    const t0 = performance.now()
    const res = await request()
    await res.arrayBuffer()
    if (!res.ok) throw new Error(`${res.url}: ${res.status}`)
    out.push(performance.now() - t0)
  }
  return out
}

/** Runs `parley import` into the server's SQLite file while /health and a writer probe it. */
async function importBeside(server: Running, file: string, idle: boolean) {
  const created = await fetch(`${server.url}/conversations/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user_id: 'bench' }),
  })
  const { id } = (await created.json()) as { id: string }
  let finished = false
  let seconds = 0
  const started = performance.now()
  const importing = idle
    ? Bun.sleep(3000).then(() => 0)
    : Bun.spawn(pinned(1, [process.execPath, IMPORTER, 'import', file]), {
        env: { ...process.env, DATABASE_URL: `sqlite:///${server.db}`, LOG_LEVEL: 'error' },
        stdout: 'ignore',
        stderr: 'inherit',
      }).exited
  const ended = importing.then((code) => {
    finished = true
    seconds = (performance.now() - started) / 1000
    if (code !== 0) throw new Error(`import exited with ${code}`)
  })
  const body = JSON.stringify({ sender: 'user', content: 'written during the import' })
  const [health, writes] = await Promise.all([
    probe(
      () => finished,
      () => fetch(`${server.url}/health/`),
    ),
    probe(
      () => finished,
      () =>
        fetch(`${server.url}/conversations/${id}/messages`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        }),
    ),
    ended,
  ])
  return { health, writes, seconds }
}

const figures = (xs: number[]) =>
  `worst ${Math.max(...xs).toFixed(1)} ms, p99 ${percentile(xs, 99).toFixed(1)} ms (${xs.length} requests)`

/**
 * Finding 17: a 100,000-message `parley import` into a running server's SQLite file, with one
 * client polling /health and one posting messages, one request at a time. The server's worst
 * /health latency is how long its event loop stood still waiting for the file's write lock.
 */
export async function importStall() {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-import-'))
  const file = join(dir, 'import.ndjson')
  // Format 1 (no header): the importers of every version read it, so before/after compare.
  await writeExport(file, CONVERSATIONS, MESSAGES / CONVERSATIONS, true)
  let idleWorst = 0
  for (const idle of [true, false]) {
    const server = await startServer('parley')
    try {
      const r = await importBeside(server, file, idle)
      if (idle) {
        idleWorst = Math.max(...r.health)
        console.log(`  no import (3 s): /health ${figures(r.health)}; POST ${figures(r.writes)}`)
        continue
      }
      console.log(`  importer: ${IMPORTER}`)
      console.log(`  import: ${(MESSAGES / r.seconds).toFixed(0)} messages/s (${r.seconds.toFixed(1)} s)`)
      console.log(`  /health ${figures(r.health)}; POST ${figures(r.writes)}`)
      const worst = Math.max(...r.health)
      // 50 ms: well above this machine's idle worst (~10-20 ms, noise), far below one long transaction.
      report(
        `Live import: ${MESSAGES.toLocaleString()} messages into a serving SQLite file, worst /health ≤ 50 ms`,
        `worst /health ${worst.toFixed(1)} ms (without the import ${idleWorst.toFixed(1)} ms), worst POST ${Math.max(...r.writes).toFixed(1)} ms, ${(MESSAGES / r.seconds).toFixed(0)} messages/s`,
        worst <= 50,
      )
    } finally {
      await server.stop()
    }
  }
  rmSync(dir, { recursive: true, force: true })
}

if (import.meta.main) await importStall()
