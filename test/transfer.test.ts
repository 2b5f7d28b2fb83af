import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createMysqlDatabase, createPostgresDatabase, needs } from './databases'
import { liveServer } from './live'

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

// A PNG signature, then every byte value: a file that must come back byte for byte.
const everyByte = new Uint8Array([
  0x89,
  0x50,
  0x4e,
  0x47,
  0x0d,
  0x0a,
  0x1a,
  0x0a,
  ...Array.from({ length: 256 }, (_, i) => i),
])

/** A SQLite database with varied data: unicode, metadata, edits, deletes, replies, client ids, files. */
async function seed(url: string) {
  await using live = await liveServer({ DATABASE_URL: url, BOT_PROVIDER: 'builtin' })
  const form = new FormData()
  form.append('user_id', 'user-0')
  form.append('file', new File([everyByte], 'every byte 🧪.png', { type: 'image/png' }))
  const uploaded = (await (await fetch(`${live.base}/files`, { method: 'POST', body: form })).json()) as { url: string }
  for (let c = 0; c < 3; c++) {
    const conv = (
      await live.call('POST', '/conversations/', {
        user_id: `user-${c}`,
        title: c ? `Title ${c} 🧵` : undefined,
        metadata: { c, tags: ['a', 'b'], nested: { z: 1, a: 'é' } },
      })
    ).body
    const ids: string[] = []
    for (let i = 0; i < 7; i++) {
      const m = await live.call('POST', `/conversations/${conv.id}/messages`, {
        sender: i % 2 ? 'ai' : 'user',
        content: `message ${i} 😀 مرحبا e\u0301`,
        metadata: { i },
        ...(i === 2 ? { client_id: `client-${c}` } : {}),
      })
      ids.push(m.body.id)
    }
    await live.call('PUT', `/conversations/${conv.id}/messages/${ids[0]}`, { content: 'edited ✍️' })
    await live.call('DELETE', `/conversations/${conv.id}/messages/${ids[4]}`)
    const hello = await live.call('POST', `/conversations/${conv.id}/messages`, {
      sender: 'user',
      content: 'hello',
      reply: true,
    })
    await live.deps.replies?.idle()
    if (c > 0) continue
    // Branches: another reply to hello (a sibling), a question forked from an earlier message,
    // then the head moved back to the regenerated reply's branch.
    await live.call('POST', `/conversations/${conv.id}/messages/${hello.body.id}/regenerate`)
    await live.deps.replies?.idle()
    const fork = { sender: 'user', content: 'a fork 🌿', parent_id: ids[1] }
    expect((await live.call('POST', `/conversations/${conv.id}/messages`, fork)).status).toBe(201)
    expect((await live.call('PUT', `/conversations/${conv.id}/head`, { message_id: hello.body.id })).status).toBe(200)
    // Files named by parts: one uploaded, one sent as a data: URL (stored as a second file).
    const dataUrl = `data:text/plain;base64,${Buffer.from('notes\u0000\n').toString('base64')}`
    const parts = [
      { type: 'text', text: 'two files' },
      { type: 'file', mediaType: 'image/png', url: uploaded.url, filename: 'every byte 🧪.png' },
      { type: 'file', mediaType: 'text/plain', url: dataUrl },
    ]
    expect((await live.call('POST', `/conversations/${conv.id}/messages`, { sender: 'user', parts })).status).toBe(201)
  }
  return uploaded.url
}

test('export → import moves everything between dialects, byte-identical: SQLite → PostgreSQL → MySQL → SQLite', async () => {
  const source = `sqlite:///${join(dir, 'source.db')}`
  const fileUrl = await seed(source)
  const first = (await cli(['export'], source)).out
  // The header, 3 conversations of 8 messages (11 in the first: a part message, a second reply,
  // a fork), 2 files, the end line.
  expect(first.split('\n').filter(Boolean).length).toBe(1 + 3 + 3 * 8 + 3 + 2 + 1)
  expect(first).toContain('"parentId":"')
  expect(first).toContain('"active":0')
  expect(first).toContain('"branched":1')
  expect(first).toContain('"replyTo":"')
  expect(first).toContain(`"data":"${Buffer.from(everyByte).toString('base64')}"`)
  expect(first.trimEnd().split('\n').at(-1)).toBe('{"conversations":3,"files":2,"messages":27,"type":"end"}')

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
      expect(err).toContain('imported 3 conversations, 27 messages; skipped 0')
      const again = (await cli(['export'], target.url)).out
      expect(again).toBe(first)
      // Importing the same data twice stores nothing new.
      expect((await cli(['import', file], target.url)).err).toContain('skipped 3 existing')
      current = again
    }
  } finally {
    for (const t of targets) await t.drop?.()
  }
  // The imported SQLite copy serves the same API answers, and sequences continue.
  await using live = await liveServer({ DATABASE_URL: `sqlite:///${join(dir, 'back.db')}`, BOT_PROVIDER: 'none' })
  const list = (await live.call('GET', '/conversations?limit=10')).body.conversations
  expect(list).toHaveLength(3)
  const served = await fetch(`${live.base}${fileUrl}`)
  expect(served.headers.get('content-type')).toBe('image/png')
  expect(new Uint8Array(await served.arrayBuffer())).toEqual(everyByte)
  const one = list[0]
  const posted = await live.call('POST', `/conversations/${one.id}/messages`, {
    sender: 'user',
    content: 'after import',
  })
  expect(posted.status).toBe(201)
  expect(await live.deps.store.messageSeq(one.id, posted.body.id)).toBeGreaterThan(8)
}, 60_000)
