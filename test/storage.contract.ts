import { afterAll, beforeAll, describe, expect, setSystemTime, test } from 'bun:test'
import type { Driver } from '../src/storage/driver'
import { createDrizzleStore } from '../src/storage/drizzle-store'
import { type ChatEvent, Hidden, type Store } from '../src/storage/store'
import { assistantCases } from './storage-assistants.contract'
import { treeCases } from './storage-tree.contract'
import { usageCases } from './storage-usage.contract'

/**
 * The Store contract, run once per dialect: every dialect must pass it identically.
 * `open` returns a fresh, migrated, empty database's Driver; `close` drops it.
 */
export function storeContract(name: string, open: () => Promise<{ driver: Driver; close(): Promise<void> }>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    let small: Store // the same database with a tiny event retention
    let close: () => Promise<void>
    beforeAll(async () => {
      const opened = await open()
      store = createDrizzleStore(opened.driver, { eventRetention: 10_000 })
      small = createDrizzleStore(opened.driver, { eventRetention: 10 })
      close = opened.close
    })
    afterAll(async () => {
      await close?.()
    })

    const conversation = (userId = 'u', metadata: Record<string, unknown> = {}) =>
      store.createConversation({ userId, title: null, metadata })
    const post = async (
      conversationId: string,
      content: string,
      extra: { clientId?: string; sender?: 'user' | 'ai' } = {},
    ) => {
      const r = await store.createMessage({
        conversationId,
        sender: extra.sender ?? 'user',
        content,
        metadata: {},
        clientId: extra.clientId,
      })
      if (!r) throw new Error('conversation missing')
      return r
    }

    test('conversations round-trip: unicode, JSON metadata byte for byte, millisecond timestamps', async () => {
      setSystemTime(new Date('2026-04-05T06:07:08.009Z'))
      const metadata = { z: 1, a: [true, null, 1.5], ключ: '🧪 emoji 𝔘', nested: { b: 2, a: 1 } }
      const c = await store.createConversation({ userId: 'ユーザー😀', title: 'Тема 👨‍👩‍👧', metadata })
      setSystemTime()
      const got = await store.getConversation(c.id)
      expect(got).toEqual(c)
      expect(JSON.stringify(got?.metadata)).toBe(JSON.stringify(metadata))
      expect(got?.created_at).toBe('2026-04-05T06:07:08.009Z')
      expect(await store.getConversation(Bun.randomUUIDv7())).toBeNull()
    })

    test('the brief of a conversation: its owner and its maintained message count', async () => {
      const c = await store.createConversation({ userId: 'brief-owner', title: null, metadata: {} })
      expect(await store.getConversationBrief(c.id)).toEqual({ user_id: 'brief-owner', message_count: 0 })
      await post(c.id, 'one')
      await post(c.id, 'two')
      expect(await store.getConversationBrief(c.id)).toEqual({ user_id: 'brief-owner', message_count: 2 })
      expect(await store.getConversationBrief(Bun.randomUUIDv7())).toBeNull()
      await store.deleteConversation(c.id)
      expect(await store.getConversationBrief(c.id)).toBeNull()
    })

    test('messages: 4-byte characters and 32768-character content stored exactly', async () => {
      const c = await conversation()
      const emoji = '😀'.repeat(32768)
      const samples = ['e\u0301 combining', 'مرحبا', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', emoji]
      for (const s of samples) await post(c.id, s)
      const rows = (await store.listMessages(c.id, { limit: 10, offset: 0 })) ?? []
      expect(rows.map((m) => m.content).reverse()).toEqual(samples)
    })

    test('a guarded edit or delete checks owner and sender in its transaction: Hidden, nothing changed, no seq taken', async () => {
      const c = await conversation('owner')
      const a = await post(c.id, 'a')
      const reply = await store.createMessage({ conversationId: c.id, sender: 'ai', content: 'r', metadata: {} })
      const hiddenAs = (p: Promise<unknown>) =>
        p.then(
          () => 'changed',
          (e: unknown) => (e instanceof Hidden ? e.what : String(e)),
        )
      const id = a.message.id
      expect(await hiddenAs(store.updateMessage(c.id, id, 'x', { userId: 'other', sender: 'user' }))).toBe(
        'conversation',
      )
      expect(await hiddenAs(store.deleteMessage(c.id, id, { guard: { userId: 'other' } }))).toBe('conversation')
      const ai = reply?.message.id as string
      expect(await hiddenAs(store.updateMessage(c.id, ai, 'x', { userId: 'owner', sender: 'user' }))).toBe('message')
      expect(await hiddenAs(store.deleteMessage(c.id, ai, { guard: { sender: 'user' } }))).toBe('message')
      expect(await hiddenAs(store.updateMessage(c.id, Bun.randomUUIDv7(), 'x', { userId: 'owner' }))).toBe('message')
      expect(await hiddenAs(store.deleteMessage(Bun.randomUUIDv7(), id, { guard: {} }))).toBe('conversation')
      expect(await store.lastSeq(c.id)).toBe(2)
      expect((await store.getMessage(c.id, id))?.content).toBe('a')
      const edited = await store.updateMessage(c.id, id, 'a2', { userId: 'owner', sender: 'user' })
      expect(edited?.event).toMatchObject({ type: 'message_updated', seq: 3 })
      expect(await store.deleteMessage(c.id, ai, { guard: { userId: 'owner' } })).toMatchObject({ seq: 4 })
    })

    test('seq, message_count and the event log move together; cascade delete removes everything', async () => {
      const c = await conversation()
      const a = await post(c.id, 'a')
      const b = await post(c.id, 'b')
      expect([a.event.seq, b.event.seq]).toEqual([1, 2])
      const edited = await store.updateMessage(c.id, a.message.id, 'a2')
      expect(edited?.event).toMatchObject({ type: 'message_updated', seq: 3 })
      expect(await store.updateMessage(c.id, Bun.randomUUIDv7(), 'x')).toBeNull()
      expect(await store.deleteMessage(c.id, Bun.randomUUIDv7())).toBeNull()
      const deleted = await store.deleteMessage(c.id, b.message.id)
      expect(deleted).toMatchObject({ type: 'message_deleted', seq: 4 })
      const patched = await store.updateConversation(c.id, { title: 't' })
      expect(patched?.event.seq).toBe(5)
      expect((await store.getConversation(c.id))?.message_count).toBe(1)
      expect(await store.lastSeq(c.id)).toBe(5) // the failed update/delete left no gap
      const events = (await store.eventsAfter(c.id, 0, 100)) as ChatEvent[]
      // An appended message is its own new_message event, replayed as it is now; a deleted one
      // leaves a hole (its message_deleted follows).
      expect(events.map((e) => [e.seq, e.type])).toEqual([
        [1, 'new_message'],
        [3, 'message_updated'],
        [4, 'message_deleted'],
        [5, 'conversation_updated'],
      ])
      expect(events[0]).toEqual({
        ...a.event,
        message: { ...a.message, content: 'a2', parts: edited?.message.parts, updated_at: edited?.message.updated_at },
      } as never)
      expect(await store.messageSeq(c.id, a.message.id)).toBe(1)
      const gone = await store.deleteConversation(c.id)
      expect(gone).toEqual({ type: 'conversation_deleted', conversationId: c.id, seq: 6 })
      expect(await store.getConversation(c.id)).toBeNull()
      expect(await store.getMessage(c.id, a.message.id)).toBeNull()
      expect(await store.eventsAfter(c.id, 0, 100)).toEqual([])
      expect(await store.deleteConversation(c.id)).toBeNull()
      expect(await store.createMessage({ conversationId: c.id, sender: 'user', content: 'x', metadata: {} })).toBeNull()
    })

    test('pagination: offsets, cursors, and ties in timestamps ordered by insertion', async () => {
      const c = await conversation()
      setSystemTime(new Date('2026-01-01T00:00:00.000Z'))
      for (let i = 0; i < 25; i++) await post(c.id, `m${i}`)
      setSystemTime()
      const page = async (w: Parameters<Store['listMessages']>[1]) =>
        (await store.listMessages(c.id, w))?.map((m) => m.content)
      const newest = (from: number, n: number) => Array.from({ length: n }, (_, i) => `m${from - i}`)
      expect(await page({ limit: 10, offset: 0 })).toEqual(newest(24, 10))
      expect(await page({ limit: 10, offset: 20 })).toEqual(newest(4, 5))
      expect(await page({ limit: 10, offset: 40 })).toEqual([])
      const all = (await store.listMessages(c.id, { limit: 100, offset: 0 })) ?? []
      const walked: string[] = []
      let before: string | undefined
      for (;;) {
        const rows =
          (await store.listMessages(c.id, before ? { limit: 7, beforeId: before } : { limit: 7, offset: 0 })) ?? []
        walked.push(...rows.map((m) => m.content))
        if (rows.length < 7) break
        before = rows.at(-1)?.id
      }
      expect(walked).toEqual(all.map((m) => m.content))
      expect(await store.listMessages(c.id, { limit: 5, beforeId: Bun.randomUUIDv7() })).toBeNull()

      // The same windows with the conversation's brief, read together.
      const paged = await store.pageMessages(c.id, { limit: 10, offset: 20 })
      expect(paged?.conversation).toEqual({ user_id: c.user_id, message_count: 25 })
      expect(paged?.messages?.map((m) => m.content)).toEqual(newest(4, 5))
      const cursor = all[6]?.id as string
      expect(await store.pageMessages(c.id, { limit: 7, beforeId: cursor })).toEqual({
        conversation: { user_id: c.user_id, message_count: 25 },
        messages: all.slice(7, 14),
      })
      expect((await store.pageMessages(c.id, { limit: 5, beforeId: Bun.randomUUIDv7() }))?.messages).toBeNull()
      expect(await store.pageMessages(Bun.randomUUIDv7(), { limit: 5, offset: 0 })).toBeNull()
    })

    test('conversations list newest-updated first, by user, with cursors', async () => {
      const user = `lister-${Bun.randomUUIDv7()}`
      const ids: string[] = []
      for (let i = 0; i < 5; i++) {
        setSystemTime(new Date(Date.UTC(2026, 0, 1, 0, 0, i)))
        ids.push((await conversation(user)).id)
      }
      setSystemTime(new Date(Date.UTC(2026, 0, 1, 0, 1, 0)))
      await post(ids[1] as string, 'bump')
      setSystemTime()
      const first = (await store.listConversations({ userId: user, limit: 3 })) ?? []
      expect(first.map((c) => c.id)).toEqual([ids[1], ids[4], ids[3]] as string[])
      const next = (await store.listConversations({ userId: user, limit: 3, beforeId: first.at(-1)?.id })) ?? []
      expect(next.map((c) => c.id)).toEqual([ids[2], ids[0]] as string[])
      expect(await store.listConversations({ userId: user, limit: 3, beforeId: Bun.randomUUIDv7() })).toBeNull()
      // Another user's conversation is no cursor in this user's list (it would leak its order).
      const other = await conversation(`${user}-other`)
      expect(await store.listConversations({ userId: user, limit: 3, beforeId: other.id })).toBeNull()
      expect(await store.listConversations({ limit: 3, beforeId: other.id })).not.toBeNull()
    })

    test('concurrent writers on one conversation get unique, gap-free seqs', async () => {
      const c = await conversation()
      const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post(c.id, `p${i}`)))
      expect(results.map((r) => r.event.seq).sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
      expect((await store.getConversation(c.id))?.message_count).toBe(40)
      const events = (await store.eventsAfter(c.id, 0, 100)) ?? []
      expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1))
    })

    test('client ids are idempotency keys, also under concurrent retries', async () => {
      const c = await conversation()
      const first = await post(c.id, 'once', { clientId: 'k1' })
      const again = await post(c.id, 'once', { clientId: 'k1' })
      expect(again).toMatchObject({
        duplicate: true,
        message: { id: first.message.id },
        event: { seq: first.event.seq },
      })
      const racing = await Promise.all(Array.from({ length: 10 }, () => post(c.id, 'race', { clientId: 'K-race' })))
      expect(new Set(racing.map((r) => r.message.id)).size).toBe(1)
      expect(racing.filter((r) => !r.duplicate)).toHaveLength(1)
      // Keys are exact: case matters.
      expect((await post(c.id, 'other', { clientId: 'K1' })).duplicate).toBe(false)
      expect((await store.getConversation(c.id))?.message_count).toBe(3)
    })

    // MySQL/MariaDB's utf8mb4_bin is a PAD SPACE collation, where 'k ' = 'k': every key that is
    // compared by equality must compare exactly, as on SQLite and PostgreSQL.
    test('every key compares exactly: a trailing space makes another key', async () => {
      const user = `exact-${Bun.randomUUIDv7()}`
      const c = await store.createConversation({ userId: user, title: null, metadata: {} })
      const spaced = await store.createConversation({ userId: `${user} `, title: null, metadata: {} })
      expect((await store.listConversations({ userId: user, limit: 10 }))?.map((x) => x.id)).toEqual([c.id])
      expect((await store.listConversations({ userId: `${user} `, limit: 10 }))?.map((x) => x.id)).toEqual([spaced.id])
      expect(await store.getConversation(`${c.id} `)).toBeNull()
      expect(await store.getConversationBrief(`${c.id} `)).toBeNull()
      expect(await store.lastSeq(`${c.id} `)).toBeNull()

      const k = await post(c.id, 'first', { clientId: 'k' })
      const kSpace = await post(c.id, 'second', { clientId: 'k ' })
      expect(kSpace.duplicate).toBe(false)
      expect(kSpace.message.content).toBe('second')
      expect((await post(c.id, 'again', { clientId: 'k' })).message.id).toBe(k.message.id)
      expect(await store.getMessage(c.id, `${k.message.id} `)).toBeNull()
      expect(await store.messageSeq(c.id, `${k.message.id} `)).toBeNull()
      expect(await store.listMessages(c.id, { limit: 5, beforeId: `${kSpace.message.id} ` })).toBeNull()
      expect(await store.updateMessage(c.id, `${k.message.id} `, 'x')).toBeNull()
      expect(await store.deleteMessage(c.id, `${k.message.id} `)).toBeNull()
      expect(
        await store.createMessage({ conversationId: `${c.id} `, sender: 'user', content: 'x', metadata: {} }),
      ).toBeNull()
      await store.createMessage({
        conversationId: c.id,
        sender: 'ai',
        content: 'a',
        metadata: {},
        replyTo: k.message.id,
      })
      expect(await store.ancestors(c.id, `${k.message.id} `, 10)).toEqual([])
      expect(await store.setHead(c.id, `${k.message.id} `)).toBeNull()
      expect(await store.updateConversation(`${c.id} `, { title: 't' })).toBeNull()
      expect(await store.deleteConversation(`${c.id} `)).toBeNull()
      expect((await store.getConversation(c.id))?.message_count).toBe(3)

      const lease = Bun.randomUUIDv7()
      expect(await store.acquireLease(lease, 'A', 60_000)).toBe(true)
      await store.releaseLease(lease, 'A ') // not A's lease: no effect
      await store.releaseLease(`${lease} `, 'A')
      expect(await store.acquireLease(lease, 'B', 60_000)).toBe(false)
    })

    test('replies keep the message they answer and pre-assigned ids', async () => {
      const c = await conversation()
      const q = await post(c.id, 'q')
      const id = Bun.randomUUIDv7()
      await store.createMessage({
        id,
        conversationId: c.id,
        sender: 'ai',
        content: 'a',
        metadata: { stopped: true },
        replyTo: q.message.id,
      })
      const reply = await store.getMessage(c.id, id)
      expect([reply?.id, reply?.reply_to, reply?.parent_id, reply?.metadata]).toEqual([
        id,
        q.message.id,
        q.message.id,
        { stopped: true },
      ])
    })

    test('the event log is pruned to the retention, and a pruned point asks for a resync', async () => {
      const c = await small.createConversation({ userId: 'u', title: null, metadata: {} })
      for (let i = 0; i < 130; i++)
        await small.createMessage({ conversationId: c.id, sender: 'user', content: `${i}`, metadata: {} })
      expect(await small.eventsAfter(c.id, 2, 10)).toBeNull()
      const recent = await small.eventsAfter(c.id, 125, 10)
      expect(recent?.map((e) => e.seq)).toEqual([126, 127, 128, 129, 130])
    })

    test('reply leases: one holder at a time, renewable, taken over once expired, released', async () => {
      const id = Bun.randomUUIDv7()
      expect(await store.acquireLease(id, 'A', 60_000)).toBe(true)
      expect(await store.acquireLease(id, 'B', 60_000)).toBe(false)
      expect(await store.acquireLease(id, 'A', 60_000)).toBe(true) // renew
      await store.releaseLease(id, 'B') // not B's: no effect
      expect(await store.acquireLease(id, 'B', 60_000)).toBe(false)
      await store.releaseLease(id, 'A')
      expect(await store.acquireLease(id, 'B', 1)).toBe(true)
      await Bun.sleep(5)
      const racing = await Promise.all(['C', 'D', 'E'].map((h) => store.acquireLease(id, h, 60_000)))
      expect(racing.filter(Boolean)).toHaveLength(1)
    })

    treeCases(() => store)
    assistantCases(() => store)
    usageCases(() => store)

    test('ping answers', async () => {
      await store.ping()
    })
  })
}
