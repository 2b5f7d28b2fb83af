import { Database } from 'bun:sqlite'
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { liveServer } from './live'
import { countRows, MAIN, parley, writeExport } from './transfer-files'

// Finding 17: an import into a running server's SQLite file writes in small transactions, so
// the server keeps answering and writing; one stopped midway is completed by running it again.
const dir = mkdtempSync(join(tmpdir(), 'parley-import-live-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

test('a running server keeps answering and storing messages while a big import fills its SQLite file', async () => {
  const db = join(dir, 'live.db')
  const url = `sqlite:///${db}`
  const file = join(dir, 'big.ndjson')
  // One big conversation: written in one transaction, it would hold the write lock throughout.
  await writeExport(file, 1, 20_000, true)
  const bigId = JSON.parse((await Bun.file(file).text()).split('\n', 1)[0] as string).id
  await using live = await liveServer({
    DATABASE_URL: url,
    BOT_PROVIDER: 'none',
    RATE_LIMIT_REQUESTS: '10000000',
    RATE_LIMIT_MESSAGES: '10000000',
  })
  const own = (await live.call('POST', '/conversations/', { user_id: 'writer' })).body.id

  const importing = parley(['import', file], url)
  let done = false
  void importing.then(() => {
    done = true
  })
  const partialCounts = new Set<number>()
  const statuses = new Set<number>()
  let worstHealth = 0
  let worstPost = 0
  let rounds = 0
  while (!done) {
    rounds++
    let started = performance.now()
    expect((await fetch(`${live.base}/health/`)).status).toBe(200)
    worstHealth = Math.max(worstHealth, performance.now() - started)
    started = performance.now()
    const posted = await live.call('POST', `/conversations/${own}/messages`, { sender: 'user', content: `m${rounds}` })
    worstPost = Math.max(worstPost, performance.now() - started)
    statuses.add(posted.status)
    const big = await live.call('GET', `/conversations/${bigId}`)
    if (big.status === 200 && big.body.message_count < 20_000) partialCounts.add(big.body.message_count)
  }
  const result = await importing
  expect(result.code).toBe(0)
  console.log(
    `import of 20,000 messages beside a live server: ${rounds} rounds of /health + POST + GET; worst /health ${worstHealth.toFixed(1)} ms, worst POST ${worstPost.toFixed(1)} ms; ${partialCounts.size} partial counts seen`,
  )
  // The server saw the big conversation grow in several steps, answering between them.
  expect(partialCounts.size).toBeGreaterThanOrEqual(3)
  expect([...statuses]).toEqual([201])
  expect((await live.call('GET', `/conversations/${bigId}`)).body.message_count).toBe(20_000)
  expect((await live.call('GET', `/conversations/${own}`)).body.message_count).toBe(rounds)
}, 120_000)

test('an import killed midway leaves consistent data, and running it again completes it', async () => {
  const file = join(dir, 'two.ndjson')
  await writeExport(file, 3, 8_000)
  const db = join(dir, 'killed.db')
  const url = `sqlite:///${db}`
  await parley(['migrate'], url)
  const proc = Bun.spawn([process.execPath, MAIN, 'import', file], {
    env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'error' },
    stdout: 'ignore',
    stderr: 'ignore',
  })
  // Killed once some, but not all, of the messages are stored.
  using reader = new Database(db, { readonly: true })
  const stored = () => (reader.query('SELECT count(*) AS n FROM messages').get() as { n: number }).n
  while (stored() < 10_000 && proc.exitCode === null) await Bun.sleep(5)
  proc.kill('SIGKILL')
  await proc.exited
  const atKill = stored()
  expect(atKill).toBeGreaterThan(0)
  expect(atKill).toBeLessThan(24_000)
  // Every committed conversation counts exactly the messages it has.
  const counts = reader
    .query(
      'SELECT c.message_count AS counted, (SELECT count(*) FROM messages m WHERE m.conversation_id = c.id) AS stored FROM conversations c',
    )
    .all() as { counted: number; stored: number }[]
  for (const c of counts) expect(c.counted).toBe(c.stored)

  const again = await parley(['import', file], url)
  expect(again.code).toBe(0)
  expect(again.err).toContain('completed 1 partly imported')
  expect(countRows(db, 'messages')).toBe(24_000)
  // The same bytes as an import that was never interrupted.
  const clean = `sqlite:///${join(dir, 'clean.db')}`
  expect((await parley(['import', file], clean)).code).toBe(0)
  expect((await parley(['export'], url)).out).toBe((await parley(['export'], clean)).out)
  console.log(`import killed at ${atKill} of 24,000 messages; the re-run stored the rest: ${again.err.trim()}`)
}, 120_000)
