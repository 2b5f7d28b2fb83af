import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'
import { liveServer } from './live'
import { everyByte, kinds, seed, seedAssistants } from './transfer-seed'

const dir = mkdtempSync(join(tmpdir(), 'parley-transfer-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const main = join(import.meta.dir, '../src/main.ts')

async function cli(args: string[], databaseUrl: string) {
  const proc = Bun.spawn([process.execPath, main, ...args], {
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'error' },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const [code, out, err] = await Promise.all([
    proc.exited,
    new Response(proc.stdout).text(),
    new Response(proc.stderr).text(),
  ])
  if (code !== 0) throw new Error(`parley ${args.join(' ')} failed (${code}): ${err}`)
  return { out, err }
}

test('export → import moves everything between dialects, byte-identical: SQLite → PostgreSQL → MySQL → SQLite', async () => {
  const source = `sqlite:///${join(dir, 'source.db')}`
  const fileUrl = await seed(source)
  await seedAssistants(source)
  const first = (await cli(['export'], source)).out
  // The header, 3 conversations of 8 messages (11 in the first: a part message, a second reply,
  // a fork) and the assisted one of 4, 2 files, 2 assistants, a quota, usage rows (the built-in
  // bot's of each user, today — two days if the seed ran over midnight — and the assisted
  // conversation's two), the end line.
  const counts = kinds(first)
  const usage = counts.usage as number
  expect(counts).toEqual({
    header: 1,
    conversation: 4,
    message: 3 * 8 + 3 + 4,
    file: 2,
    assistant: 2,
    quota: 1,
    usage,
    end: 1,
  })
  expect(usage).toBeGreaterThanOrEqual(3 + 2)
  expect(first).toContain('"parentId":"')
  expect(first).toContain('"active":0')
  expect(first).toContain('"branched":1')
  expect(first).toContain('"replyTo":"')
  expect(first).toContain('"assistantId":"helper"')
  expect(first).toContain(`"data":"${Buffer.from(everyByte).toString('base64')}"`)
  // Each kind in its key's byte order: 'Zeta' before 'helper'.
  const lines = first.trimEnd().split('\n')
  const assistants = lines.filter((l) => l.includes('"type":"assistant"'))
  expect(assistants.map((l) => JSON.parse(l).id)).toEqual(['Zeta', 'helper'])
  // Nested keys in their stored order (only a line's own keys are sorted).
  expect(assistants[1]).toContain('"spec":{"name":"Helper 🤖","z":1,"a":[1,{"y":null,"b":"é"}]}')
  expect(lines.filter((l) => l.includes('"userId":"user-9"') && l.includes('"type":"usage"'))).toEqual([
    '{"assistantId":"helper","day":"2030-01-02","inputTokens":8,"model":"m1","outputTokens":10,"replies":2,"type":"usage","userId":"user-9"}',
    '{"assistantId":"helper","day":"2030-01-02","inputTokens":7,"model":"m2 é","outputTokens":8,"replies":1,"type":"usage","userId":"user-9"}',
  ])
  expect(lines.at(-1)).toBe(
    `{"assistants":2,"conversations":4,"files":2,"messages":31,"quotas":1,"type":"end","usage":${usage}}`,
  )

  const targets: { name: string; url: string; drop?: () => Promise<void> }[] = []
  if (await needs('PostgreSQL')) targets.push({ name: 'postgres', ...(await createPostgresDatabase()) })
  if (await needs('MySQL')) targets.push({ name: 'mysql', ...(await createMysqlDatabase()) })
  targets.push({ name: 'sqlite', url: `sqlite:///${join(dir, 'back.db')}` })
  try {
    let current = first
    for (const target of targets) {
      const file = join(dir, `${target.name}.ndjson`)
      await Bun.write(file, current)
      const { err } = await cli(['import', file], target.url)
      expect(err).toContain('imported 4 conversations, 31 messages; skipped 0')
      // The same bytes: imported replies added no usage of their own (it came from its lines).
      const again = (await cli(['export'], target.url)).out
      expect(again).toBe(first)
      // Importing the same data twice stores nothing new: no row doubled, no usage summed again.
      expect((await cli(['import', file], target.url)).err).toContain('skipped 4 existing')
      expect((await cli(['export'], target.url)).out).toBe(first)
      current = again
    }
  } finally {
    for (const t of targets) await t.drop?.()
  }
  // The imported SQLite copy serves the same API answers, and sequences continue.
  await using live = await liveServer({ DATABASE_URL: `sqlite:///${join(dir, 'back.db')}`, BOT_PROVIDER: 'none' })
  const list = (await live.call('GET', '/conversations?limit=10')).body.conversations
  expect(list).toHaveLength(4)
  const store = live.deps.store
  expect((await store.getAssistant('helper'))?.spec).toEqual({ name: 'Helper 🤖', z: 1, a: [1, { y: null, b: 'é' }] })
  expect(await store.getQuota('user-1')).toEqual({ tokens_per_day: 5000, nested: { é: 1, a: true } })
  expect((await store.usage({ userId: 'user-9', limit: 10 })).totals).toEqual({
    input_tokens: 15,
    output_tokens: 18,
    replies: 3,
  })
  const served = await fetch(`${live.base}${fileUrl}`)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(everyByte)
  const one = list.find((c: { user_id: string }) => c.user_id === 'user-0')
  const posted = await live.call('POST', `/conversations/${one.id}/messages`, {
    sender: 'user',
    content: 'after import',
  })
  expect(posted.status).toBe(201)
  expect(await live.deps.store.messageSeq(one.id, posted.body.id)).toBeGreaterThan(8)
}, 60_000)
