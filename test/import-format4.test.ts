import { describe, expect, test } from 'bun:test'
import { importFixture } from './import-fixture'
import { countRows } from './transfer-files'

// Format 4: assistant, quota and usage lines, and each conversation's assistantId, are checked
// as the other lines are, and older formats still import.
const { exported, nth, importLines, patched } = importFixture()

const refused: [string, () => number, (r: any) => unknown, string][] = [
  ['an assistant id over 64 characters', () => nth('assistant', 0), (r) => ({ ...r, id: 'a'.repeat(65) }), 'id'],
  ['an assistant spec that is not an object', () => nth('assistant', 0), (r) => ({ ...r, spec: [1] }), 'spec'],
  ['an assistant with an unknown field', () => nth('assistant', 0), (r) => ({ ...r, owner: 'x' }), 'owner'],
  ['quota limits that are not an object', () => nth('quota', 0), (r) => ({ ...r, limits: 'x' }), 'limits'],
  ['NUL in a quota user id', () => nth('quota', 0), (r) => ({ ...r, userId: 'a\u0000' }), 'userId'],
  ['a usage day that is no day', () => nth('usage', 0), (r) => ({ ...r, day: '2026-02-30' }), 'day'],
  ['a usage model over 200 characters', () => nth('usage', 0), (r) => ({ ...r, model: 'm'.repeat(201) }), 'model'],
  ['negative usage tokens', () => nth('usage', 0), (r) => ({ ...r, inputTokens: -1 }), 'inputTokens'],
  ['fractional usage replies', () => nth('usage', 0), (r) => ({ ...r, replies: 1.5 }), 'replies'],
  [
    'a conversation assistantId over 64',
    () => nth('conversation', 0),
    (r) => ({ ...r, assistantId: 'a'.repeat(65) }),
    'assistantId',
  ],
  ['a lone surrogate in a usage model', () => nth('usage', 0), (r) => ({ ...r, model: 'm\ud800' }), 'model'],
  ['a usage line with an unknown field', () => nth('usage', 0), (r) => ({ ...r, cost: 1 }), 'cost'],
  [
    'an empty conversation assistantId',
    () => nth('conversation', 0),
    (r) => ({ ...r, assistantId: '' }),
    'assistantId',
  ],
  [
    'a format 4 conversation without assistantId',
    () => nth('conversation', 0),
    ({ assistantId: _, ...r }) => r,
    'assistantId',
  ],
  ['an end line without its usage count', () => nth('end', 0), ({ usage: _, ...r }) => r, 'usage'],
  ['an end line whose assistant count is off', () => nth('end', 0), (r) => ({ ...r, assistants: 2 }), 'assistants'],
]

describe('a format 4 record the API would refuse is refused, naming its line and field, and nothing is imported', () => {
  for (const [name, where, patch, field] of refused) {
    test(name, async () => {
      const index = where()
      const r = await importLines(patched(index, patch))
      expect(r.code).toBe(1)
      expect(r.err).toContain(`line ${index + 1}: ${field}`)
      expect([r.conversations, r.messages]).toEqual([0, 0])
    })
  }
})

test('assistant, quota and usage lines come after every conversation, each key once', async () => {
  const usageLine = exported[nth('usage', 0)] as string
  const early = exported.filter((l) => l !== usageLine)
  early.splice(nth('conversation', -1), 0, usageLine)
  expect((await importLines(early)).err).toContain(`line ${nth('conversation', -1) + 2}: type`)
  const twice = exported.toSpliced(nth('usage', 0), 0, usageLine)
  const doubled = await importLines(twice)
  expect(doubled.err).toContain(`line ${nth('usage', 0) + 2}: usage ["user-0"`)
  expect(doubled.conversations).toBe(0)
})

test('assistants, quotas and usage come from their lines: imported replies add no usage', async () => {
  const r = await importLines(exported)
  expect(r.code).toBe(0)
  using db = new (await import('bun:sqlite')).Database(r.db, { readonly: true })
  const rows = db.query('SELECT model, input_tokens AS i, replies FROM usage ORDER BY model').all()
  expect(rows).toEqual([
    { model: 'm1', i: 4, replies: 1 },
    { model: 'm3', i: 4, replies: 1 },
  ])
  expect(db.query('SELECT id, spec FROM assistants').all()).toEqual([{ id: 'helper', spec: '{"name":"Helper"}' }])
  expect(db.query('SELECT user_id AS u, limits FROM quotas').all()).toEqual([{ u: 'user-1', limits: '{"day":100}' }])
})

test('a format 3 export still imports: conversations get the default assistant, and no usage', async () => {
  const tail = /"type":"(assistant|quota|usage)"/
  const three = exported
    .filter((l) => !tail.test(l))
    .map((l) => {
      const { assistantId: _, assistants: _a, quotas: _q, usage: _u, ...r } = JSON.parse(l)
      return JSON.stringify(r.type === 'header' ? { ...r, format: 3 } : r)
    })
  const r = await importLines(three)
  expect(r.code).toBe(0)
  expect([r.conversations, r.messages]).toEqual([3, 12])
  using db = new (await import('bun:sqlite')).Database(r.db, { readonly: true })
  expect(db.query('SELECT DISTINCT assistant_id AS a FROM conversations').all()).toEqual([{ a: null }])
  expect(countRows(r.db, 'usage')).toBe(0)
  // Format 4 lines and counts are refused in a format 3 file.
  const withUsage = three.toSpliced(-1, 0, exported[nth('usage', 0)] as string)
  expect((await importLines(withUsage)).err).toContain(`line ${three.length}: type: usage lines are format 4`)
  const counted = three.map((l, i) => (i === three.length - 1 ? JSON.stringify({ ...JSON.parse(l), usage: 0 }) : l))
  expect((await importLines(counted)).err).toContain(`line ${three.length}: usage: only from format 4`)
})

test('usage keys are counted in characters, as the databases count them: 200 emoji are a valid model', async () => {
  const r = await importLines(patched(nth('usage', 0), (u) => ({ ...u, model: '😀'.repeat(200) })))
  expect(r.code).toBe(0)
  expect(countRows(r.db, 'usage')).toBe(2)
})
