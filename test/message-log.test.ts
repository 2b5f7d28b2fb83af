import { afterEach, beforeEach, expect, test } from 'bun:test'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import { loadConfig } from '../src/config'
import type { Driver } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openSqlite } from '../src/storage/sqlite-driver'
import type { ChatEvent, Store } from '../src/storage/store'
import { exportData, importData } from '../src/storage/transfer'

let driver: Driver
let store: Store
beforeEach(() => {
  driver = openSqlite({
    path: ':memory:',
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  store = createDrizzleStore(driver, { eventRetention: 100 })
})
afterEach(() => driver.close())

const eventRows = (id: string) =>
  driver.db.all<{ seq: number; type: string }>(
    sql`select seq, type from events where conversation_id = ${id} order by seq`,
  )
const say = (conversationId: string, content: string, extra: { parentId?: string | null; replyTo?: string } = {}) =>
  store.createMessage({ conversationId, sender: 'user', content, metadata: {}, ...extra })

test('a message appended at the head is its own event; a fork, a reply aside and every other change are rows of the log', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  const a = await say(c.id, 'a')
  const b = await say(c.id, 'b')
  expect(eventRows(c.id)).toEqual([])
  const fork = await say(c.id, 'b2', { parentId: a?.message.id as string })
  const aside = await store.createMessage({
    conversationId: c.id,
    sender: 'ai',
    content: 'answer to b',
    metadata: {},
    replyTo: b?.message.id as string,
  })
  await store.updateConversation(c.id, { title: 't' })
  const d = await say(c.id, 'd')
  expect(eventRows(c.id)).toEqual([
    { seq: 3, type: 'new_message' },
    { seq: 4, type: 'new_message' },
    { seq: 5, type: 'conversation_updated' },
  ])
  // Replayed in seq order, each as it was published (an appended one as its message is now).
  const replay = (await store.eventsAfter(c.id, 0, 100)) as ChatEvent[]
  expect(replay.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6])
  expect(replay[2]).toEqual(fork?.event as never)
  expect(replay[3]).toMatchObject({ type: 'new_message', headId: fork?.message.id, message: { id: aside?.message.id } })
  expect(replay[5]).toEqual(d?.event as never)
  // The first two as published, except that a's siblings now include b2's branch point.
  expect(replay[0]).toMatchObject({ type: 'new_message', seq: 1, headId: a?.message.id, message: { content: 'a' } })
  expect(replay[1]).toMatchObject({
    seq: 2,
    message: { id: b?.message.id, siblings: [b?.message.id, fork?.message.id] },
  })
  // A window: the limit applies to the merged log.
  expect((await store.eventsAfter(c.id, 1, 3))?.map((e) => e.seq)).toEqual([2, 3, 4])
  expect(await store.eventsAfter(c.id, 6, 10)).toEqual([])
})

test('pruning moves the replayable point with it, and a larger retention later does not move it back', async () => {
  const small = createDrizzleStore(driver, { eventRetention: 10 })
  const c = await small.createConversation({ userId: 'u', title: null, metadata: {} })
  for (let i = 0; i < 64; i++) await small.updateConversation(c.id, { title: `t${i}` })
  // At seq 64, events up to 54 went.
  expect(eventRows(c.id).length).toBe(10)
  expect(await small.eventsAfter(c.id, 53, 100)).toBeNull()
  expect((await small.eventsAfter(c.id, 54, 100))?.length).toBe(10)
  // Appends prune too (at their seq): 64 more appended messages, pruned at 128 up to 118.
  for (let i = 0; i < 64; i++)
    await small.createMessage({ conversationId: c.id, sender: 'user', content: `m${i}`, metadata: {} })
  expect(eventRows(c.id)).toEqual([])
  expect(await small.eventsAfter(c.id, 117, 100)).toBeNull()
  expect((await small.eventsAfter(c.id, 118, 100))?.map((e) => e.type)).toEqual(Array(10).fill('new_message'))
  const large = createDrizzleStore(driver, { eventRetention: 1000 })
  for (let i = 0; i < 64; i++) await large.updateConversation(c.id, { title: `u${i}` })
  expect(await large.eventsAfter(c.id, 117, 100)).toBeNull()
})

test('an imported conversation replays only from after its last seq (its log is not exported); then as any other', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  await say(c.id, 'a')
  await store.updateConversation(c.id, { title: 't' })
  const lines: string[] = []
  for await (const line of exportData(driver)) lines.push(line)
  expect(lines.join('')).not.toContain('logFrom')
  const other = openSqlite({
    path: ':memory:',
    synchronous: 'NORMAL',
    migrationsFolder: join(import.meta.dir, '../drizzle/sqlite'),
  })
  try {
    await importData(
      other,
      async function* () {
        yield* lines
      },
      loadConfig({}, {}),
    )
    const copy = createDrizzleStore(other, { eventRetention: 100 })
    expect(await copy.eventsAfter(c.id, 0, 10)).toBeNull()
    expect(await copy.eventsAfter(c.id, 2, 10)).toEqual([])
    const next = await copy.createMessage({ conversationId: c.id, sender: 'user', content: 'b', metadata: {} })
    expect(await copy.eventsAfter(c.id, 2, 10)).toEqual([next?.event as never])
  } finally {
    await other.close()
  }
})

test('an edit or a fork names its message in the log instead of copying it; replayed as the message is then, skipped once it is deleted', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  const a = await say(c.id, 'a')
  await say(c.id, 'b')
  const fork = await say(c.id, 'b2 fork text', { parentId: a?.message.id as string })
  await store.updateMessage(c.id, a?.message.id as string, 'first edit text')
  await store.updateMessage(c.id, a?.message.id as string, 'second edit text')
  const payloads = driver.db.all<{ payload: string }>(sql`select payload from events where conversation_id = ${c.id}`)
  expect(payloads.length).toBe(3)
  for (const { payload } of payloads) expect(payload).not.toMatch(/edit text|fork text/)
  const replay = (await store.eventsAfter(c.id, 0, 100)) as ChatEvent[]
  expect(replay.map((e) => [e.seq, e.type])).toEqual([
    [1, 'new_message'],
    [2, 'new_message'],
    [3, 'new_message'],
    [4, 'message_updated'],
    [5, 'message_updated'],
  ])
  expect(replay[2]).toEqual(fork?.event as never)
  for (const e of replay.slice(3))
    expect(e).toMatchObject({ message: { id: a?.message.id, content: 'second edit text' } })
  // a's subtree (every message) is deleted: the fork's event and a's edits become holes.
  await store.deleteMessage(c.id, a?.message.id as string, { subtree: true })
  for (let i = 0; i < 3; i++) await store.updateConversation(c.id, { title: `t${i}` })
  const after = (await store.eventsAfter(c.id, 0, 100)) as ChatEvent[]
  expect(after.map((e) => [e.seq, e.type])).toEqual([
    [6, 'message_deleted'],
    [7, 'conversation_updated'],
    [8, 'conversation_updated'],
    [9, 'conversation_updated'],
  ])
  // Fewer than the limit only at the end, however many holes a window holds.
  expect((await store.eventsAfter(c.id, 0, 2))?.map((e) => e.seq)).toEqual([6, 7])
  expect((await store.eventsAfter(c.id, 7, 2))?.map((e) => e.seq)).toEqual([8, 9])
  expect((await store.eventsAfter(c.id, 9, 2))?.map((e) => e.seq)).toEqual([])
})

test('an event row stored with a copy of its message (before references) replays that copy', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  const a = await say(c.id, 'a')
  const edited = await store.updateMessage(c.id, a?.message.id as string, 'a2')
  const old = JSON.stringify({ ...edited?.event, message: { ...edited?.message, content: 'as it was' } })
  driver.db.run(sql`update events set payload = ${old} where conversation_id = ${c.id} and seq = 2`)
  const replay = (await store.eventsAfter(c.id, 1, 10)) as ChatEvent[]
  expect(replay).toEqual([
    { ...(edited?.event as ChatEvent), message: { ...edited?.message, content: 'as it was' } },
  ] as never)
})
