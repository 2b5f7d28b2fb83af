import { describe, expect, test } from 'bun:test'
import { join } from 'node:path'
import { FORMAT } from '../src/storage/transfer-checks'
import { importFixture, png } from './import-fixture'
import { countRows, parley } from './transfer-files'

// Finding 13: `parley import` checks every line as the API would, before writing anything.
const { dir, exported, records, nth, importLines, patched } = importFixture()

const deep = (n: number): unknown => (n === 0 ? 1 : { d: deep(n - 1) })

// Each case: which line to change, how, and the field the error must name.
const refused: [string, () => number, (r: any) => unknown, string, Record<string, string>?][] = [
  ['a non-UUID conversation id', () => nth('conversation', 0), (r) => ({ ...r, id: 'abc' }), 'id'],
  ['a non-UUID reply link', () => nth('message', -1), (r) => ({ ...r, replyTo: '1' }), 'replyTo'],
  ['NUL in content', () => nth('message', -1), (r) => ({ ...r, content: 'a\u0000b' }), 'content'],
  ['a lone surrogate in a title', () => nth('conversation', -1), (r) => ({ ...r, title: '\ud800' }), 'title'],
  ['sender "system"', () => nth('message', 1), (r) => ({ ...r, sender: 'system' }), 'sender'],
  ['empty content', () => nth('message', 1), (r) => ({ ...r, content: '' }), 'content'],
  ['a negative messageCount', () => nth('conversation', 1), (r) => ({ ...r, messageCount: -1 }), 'messageCount'],
  ['an absurd lastSeq', () => nth('conversation', 1), (r) => ({ ...r, lastSeq: 1e15 }), 'lastSeq'],
  ['a seq above lastSeq', () => nth('message', -1), (r) => ({ ...r, seq: 99 }), 'seq'],
  ['a fractional seq', () => nth('message', -1), (r) => ({ ...r, seq: 1.5 }), 'seq'],
  ['metadata 10 levels deep', () => nth('message', -1), (r) => ({ ...r, metadata: deep(10) }), 'metadata'],
  ['JSON 100 levels deep', () => nth('message', -1), (r) => ({ ...r, metadata: deep(100) }), 'JSON'],
  [
    'over-long content',
    () => nth('message', -1),
    (r) => ({ ...r, content: 'x'.repeat(51) }),
    'content',
    { MAX_MESSAGE_LENGTH: '50' },
  ],
  [
    'metadata over its byte cap',
    () => nth('conversation', -1),
    (r) => ({ ...r, metadata: { s: 'x'.repeat(300) } }),
    'metadata',
    { MAX_METADATA_BYTES: '256' },
  ],
  ['an empty userId', () => nth('conversation', -1), (r) => ({ ...r, userId: '' }), 'userId'],
  ['a title over 1000 characters', () => nth('conversation', -1), (r) => ({ ...r, title: 't'.repeat(1001) }), 'title'],
  ['an unknown line type', () => nth('message', -1), (r) => ({ ...r, type: 'note' }), 'type'],
  ['an unknown field', () => nth('message', -1), (r) => ({ ...r, role: 'x' }), 'role'],
  ['a missing field', () => nth('message', -1), ({ content: _, ...r }) => r, 'content'],
  [
    'a timestamp that is not ISO-8601 UTC',
    () => nth('message', -1),
    (r) => ({ ...r, createdAt: 'yesterday' }),
    'createdAt',
  ],
  [
    'updatedAt before createdAt',
    () => nth('message', -1),
    (r) => ({ ...r, updatedAt: '2000-01-01T00:00:00.000Z' }),
    'updatedAt',
  ],
  [
    'a message in another conversation',
    () => nth('message', -1),
    (r) => ({ ...r, conversationId: records()[0].id }),
    'conversationId',
  ],
  ['a duplicated message id', () => nth('message', -1), (r) => ({ ...r, id: records()[nth('message', 0)].id }), 'id'],
  ['a duplicated client id', () => nth('message', -2), (r) => ({ ...r, clientId: 'client-2' }), 'clientId'],
  ['a file whose data is not base64', () => nth('file', 0), (r) => ({ ...r, data: 'not base64!' }), 'data'],
  ['a file whose size is not its data', () => nth('file', 0), (r) => ({ ...r, size: 11 }), 'size'],
  [
    'a file of a type off FILES_TYPES',
    () => nth('file', 0),
    (r) => ({ ...r, mediaType: 'image/svg+xml' }),
    'mediaType',
  ],
  [
    'a file whose bytes are not its type',
    () => nth('file', 0),
    (r) => ({ ...r, mediaType: 'application/pdf' }),
    'mediaType',
  ],
  ['a file over FILES_MAX_BYTES', () => nth('file', 0), (r) => r, 'size', { FILES_MAX_BYTES: '9' }],
  ['a file with an unknown field', () => nth('file', 0), (r) => ({ ...r, url: '/x' }), 'url'],
  ['a file name with a path', () => nth('file', 0), (r) => ({ ...r, filename: '../a.png' }), 'filename'],
  ['an end line without its file count', () => nth('end', 0), ({ files: _, ...r }) => r, 'files'],
  ['a line that is not JSON', () => nth('message', -1), () => '{"type":"message",', 'JSON'],
  ['a line that is not an object', () => nth('message', -1), () => '[1]', 'JSON'],
]

describe('a record the API would refuse is refused, naming its line and field, and nothing is imported', () => {
  for (const [name, where, patch, field, env] of refused) {
    test(name, async () => {
      const index = where()
      const r = await importLines(patched(index, patch), env)
      expect(r.code).toBe(1)
      expect(r.err).toContain(`line ${index + 1}: ${field}`)
      expect([r.conversations, r.messages]).toEqual([0, 0])
    })
  }
})

test('message_count is recomputed from the imported messages, never taken from the file', async () => {
  const r = await importLines(patched(nth('conversation', 0), (c) => ({ ...c, messageCount: 40 })))
  expect(r.code).toBe(0)
  using db = new (await import('bun:sqlite')).Database(r.db, { readonly: true })
  const counts = db.query('SELECT message_count AS n FROM conversations').all() as { n: number }[]
  expect(counts.map((c) => c.n)).toEqual([4, 4, 4])
})

test('an end line whose counts disagree with the file is refused', async () => {
  const r = await importLines(patched(exported.length - 1, (e) => ({ ...e, messages: 13 })))
  expect(r.code).toBe(1)
  expect(r.err).toContain(`line ${exported.length}: messages`)
  expect(r.conversations).toBe(0)
})

test('file lines come after every conversation, once each, and are counted by the end line', async () => {
  const fileLine = exported[nth('file', 0)] as string
  const early = exported.filter((l) => l !== fileLine)
  early.splice(nth('conversation', -1), 0, fileLine)
  const before = await importLines(early)
  expect(before.err).toContain(`line ${nth('conversation', -1) + 2}: type`)
  const twice = exported.toSpliced(nth('file', 0), 0, fileLine)
  expect((await importLines(twice)).err).toContain(`line ${nth('file', 0) + 2}: id`)
  const miscounted = await importLines(patched(exported.length - 1, (e) => ({ ...e, files: 2 })))
  expect(miscounted.err).toContain(`line ${exported.length}: files`)
  expect([before.conversations, miscounted.conversations]).toEqual([0, 0])
})

test('a file is stored with its bytes, once: importing it again skips its id', async () => {
  const r = await importLines(exported)
  expect(r.code).toBe(0)
  const again = await parley(['import', `${r.db}.ndjson`], `sqlite:///${r.db}`)
  expect(again.code).toBe(0)
  expect(countRows(r.db, 'files')).toBe(1)
  using db = new (await import('bun:sqlite')).Database(r.db, { readonly: true })
  const row = db.query('SELECT data, media_type AS type FROM files').get() as { data: Uint8Array; type: string }
  expect([new Uint8Array(row.data), row.type]).toEqual([png, 'image/png'])
})

test('a file line may pass MAX_BODY_BYTES (up to FILES_MAX_BYTES of base64); no other line may', async () => {
  const big = new Uint8Array(2 * 1024 * 1024)
  big.set(png)
  const data = Buffer.from(big).toString('base64')
  const ok = await importLines(patched(nth('file', 0), (r) => ({ ...r, data, size: big.length })))
  expect(ok.code).toBe(0)
  expect(countRows(ok.db, 'files')).toBe(1)
  const long = await importLines(patched(nth('message', -1), (r) => ({ ...r, metadata: { data } })))
  expect(long.err).toContain(`line ${nth('message', -1) + 1}: JSON: line longer than MAX_BODY_BYTES`)
  const tooBig = await importLines(
    patched(nth('file', 0), (r) => ({ ...r, data, size: big.length })),
    {
      FILES_MAX_BYTES: String(big.length - 1),
    },
  )
  expect(tooBig.err).toContain(`line ${nth('file', 0) + 1}: size`)
})

test('a file of a newer format, or data after the end line, is refused', async () => {
  const newer = await importLines(patched(0, (h) => ({ ...h, format: FORMAT + 1 })))
  expect(newer.err).toContain('line 1: format')
  const after = await importLines([...exported, exported[1] as string])
  expect(after.err).toContain(`line ${exported.length + 1}: type`)
  expect([newer.conversations, after.conversations]).toEqual([0, 0])
})

test('an export without header and end line (before format 2) imports with a warning; cut inside its last conversation it is refused', async () => {
  // Before format 3 there were no file lines.
  const legacy = exported.slice(1, -1).filter((l) => !/"type":"(file|assistant|quota|usage)"/.test(l))
  const whole = await importLines(legacy)
  expect(whole.code).toBe(0)
  expect(whole.err).toContain('no header line')
  expect([whole.conversations, whole.messages]).toEqual([3, 12])
  const cut = await importLines(legacy.slice(0, -2))
  expect(cut.code).toBe(1)
  expect(cut.err).toMatch(/line \d+: messageCount: .*cut short/)
  expect(cut.conversations).toBe(0)
})

test('import reads stdin too, and checks it all before writing', async () => {
  const db = join(dir, 'stdin.db')
  const good = await parley(['import'], `sqlite:///${db}`, { stdin: `${exported.join('\n')}\n` })
  expect(good.err).toContain('imported 3 conversations, 12 messages; skipped 0 existing')
  const bad = join(dir, 'stdin-bad.db')
  const refusedRun = await parley(['import', '-'], `sqlite:///${bad}`, { stdin: exported.slice(0, -1).join('\n') })
  expect(refusedRun.code).toBe(1)
  expect(countRows(bad, 'conversations')).toBe(0)
})
