import { Database } from 'bun:sqlite'
import { afterEach, beforeEach, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pageJson } from '../src/features/messages/page-json'
import type { Driver } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { openSqlite } from '../src/storage/sqlite-driver'
import type { Store } from '../src/storage/store'

let dir: string
let path: string
let driver: Driver
let store: Store
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'parley-pages-'))
  path = join(dir, 'pages.db')
  driver = openSqlite({ path, synchronous: 'NORMAL', migrationsFolder: join(import.meta.dir, '../drizzle/sqlite') })
  store = createDrizzleStore(driver, { eventRetention: 1000 })
})
afterEach(async () => {
  await driver.close()
  rmSync(dir, { recursive: true, force: true })
})

const say = (conversationId: string, content: string) =>
  store.createMessage({ conversationId, sender: 'user', content, metadata: {} })
const firstPage = async (id: string) =>
  (await store.pageMessages(id, { limit: 3, offset: 0 }))?.messages?.map((m) => m.content)

test('a first page read again is the same page until the conversation changes, through any write', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  const ids: string[] = []
  for (const text of ['a', 'b', 'c', 'd']) ids.push((await say(c.id, text))?.message.id as string)
  const page = await store.pageMessages(c.id, { limit: 3, offset: 0 })
  expect(page?.messages?.map((m) => m.content)).toEqual(['d', 'c', 'b'])
  // Kept: the same objects, frozen, so no reader can change another's page.
  const again = await store.pageMessages(c.id, { limit: 3, offset: 0 })
  expect(again?.messages).toBe(page?.messages as never)
  expect(Object.isFrozen(again?.messages?.[0])).toBe(true)
  // Another size or a later page is read, not taken from the first page's entry.
  expect((await store.pageMessages(c.id, { limit: 2, offset: 0 }))?.messages?.map((m) => m.content)).toEqual(['d', 'c'])
  expect((await store.pageMessages(c.id, { limit: 3, offset: 3 }))?.messages?.map((m) => m.content)).toEqual(['a'])

  const e = await say(c.id, 'e')
  expect(await firstPage(c.id)).toEqual(['e', 'd', 'c'])
  await store.updateMessage(c.id, e?.message.id as string, 'E')
  expect(await firstPage(c.id)).toEqual(['E', 'd', 'c'])
  await store.deleteMessage(c.id, e?.message.id as string)
  expect(await firstPage(c.id)).toEqual(['d', 'c', 'b'])
  await store.createMessage({ conversationId: c.id, sender: 'user', content: 'x', metadata: {}, parentId: null })
  expect(await firstPage(c.id)).toEqual(['x'])
  await store.setHead(c.id, ids[3] as string)
  expect(await firstPage(c.id)).toEqual(['d', 'c', 'b'])
  await store.updateConversation(c.id, { title: 'renamed' })
  expect(await firstPage(c.id)).toEqual(['d', 'c', 'b'])
  await store.deleteConversation(c.id)
  expect(await store.pageMessages(c.id, { limit: 3, offset: 0 })).toBeNull()
})

test('a write by another connection to the file (an import, another process) is seen at once', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  await say(c.id, 'a')
  expect(await firstPage(c.id)).toEqual(['a'])
  // As an import adds messages: straight into the file, last_seq left as it was.
  const other = new Database(path)
  other
    .query(
      "INSERT INTO messages (id, conversation_id, seq, sender, content, metadata, created_at, updated_at) VALUES (?, ?, 2, 'user', 'from elsewhere', '{}', ?, ?)",
    )
    .run(Bun.randomUUIDv7(), c.id, Date.now(), Date.now())
  other.close()
  expect(await firstPage(c.id)).toEqual(['from elsewhere', 'a'])
})

test('a page is answered as exactly the JSON JSON.stringify writes, a kept page from its one serialization', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  for (const text of ['a', 'b "quoted"', 'c\nnew line', 'é ✓']) await say(c.id, text)
  const kept = await store.pageMessages(c.id, { limit: 3, offset: 0 })
  const messages = kept?.messages ?? []
  expect(Object.isFrozen(messages)).toBe(true)
  const page = { messages, total: 4, page: 1, size: 3, pages: 2, has_more: true, next_cursor: messages[2]?.id ?? null }
  expect(pageJson(page)).toBe(JSON.stringify(page))
  expect(pageJson({ ...page, total: 5, has_more: false, next_cursor: null })).toBe(
    JSON.stringify({ ...page, total: 5, has_more: false, next_cursor: null }),
  )
  const cursor = { messages: [...messages], total: 4, has_more: false, next_cursor: null }
  expect(pageJson(cursor)).toBe(JSON.stringify(cursor))
  expect(pageJson({ messages: [], total: 0, has_more: false, next_cursor: null })).toBe(
    '{"messages":[],"total":0,"has_more":false,"next_cursor":null}',
  )
})

test('a page too large for its share of memory is read each time, not kept', async () => {
  const c = await store.createConversation({ userId: 'u', title: null, metadata: {} })
  for (let i = 0; i < 3; i++) await say(c.id, 'x'.repeat(200_000))
  const first = await store.pageMessages(c.id, { limit: 3, offset: 0 })
  const again = await store.pageMessages(c.id, { limit: 3, offset: 0 })
  expect(again?.messages).toEqual(first?.messages as never)
  expect(again?.messages).not.toBe(first?.messages as never)
  expect(Object.isFrozen(again?.messages)).toBe(false)
})
