import { expect, setSystemTime, test } from 'bun:test'
import type { Store } from '../src/storage/store'
import { unique } from './storage-usage.contract'

/**
 * The assistants part of the Store contract (run inside storeContract, once per dialect):
 * assistants by id with their JSON spec kept exactly, a conversation's assistant_id.
 */
export function assistantCases(store: () => Store) {
  test('assistants: created once, read, replaced, listed by id, the spec kept byte for byte', async () => {
    const id = unique('helper')
    const spec = { z: 1, a: [true, null, 1.5], name: 'Hélène 🤖', nested: { b: 2, a: 1 }, prompt: 'x'.repeat(70_000) }
    setSystemTime(new Date('2026-04-05T06:07:08.009Z'))
    const made = await store().createAssistant(id, spec)
    setSystemTime()
    expect(made).toEqual({ id, spec, created_at: '2026-04-05T06:07:08.009Z', updated_at: '2026-04-05T06:07:08.009Z' })
    expect(await store().createAssistant(id, { other: true })).toBeNull()
    const read = await store().getAssistant(id)
    expect(read).toEqual(made)
    expect(JSON.stringify(read?.spec)).toBe(JSON.stringify(spec))
    expect(await store().getAssistant(`${id} `)).toBeNull()
    expect(await store().getAssistant(unique('missing'))).toBeNull()

    expect(await store().updateAssistant(unique('missing'), { a: 1 })).toBeNull()
    const updated = await store().updateAssistant(id, { replaced: 'yes', a: 0 })
    expect(updated).toMatchObject({ id, spec: { replaced: 'yes', a: 0 }, created_at: made?.created_at })
    expect(Date.parse(updated?.updated_at as string)).toBeGreaterThan(Date.parse(made?.created_at as string))
    expect(JSON.stringify((await store().getAssistant(id))?.spec)).toBe('{"replaced":"yes","a":0}')

    // Listed in code point order of their ids, whatever the database's collation.
    const tag = Bun.randomUUIDv7()
    const ids = ['Zed', '_under', 'alpha', 'alpha ', 'été'].map((name) => `${tag}:${name}`)
    for (const other of [...ids].reverse()) expect(await store().createAssistant(other, {})).not.toBeNull()
    const listed = (await store().listAssistants()).map((a) => a.id).filter((x) => x.startsWith(tag))
    expect(listed).toEqual(ids)
  })

  test('assistants: deleting one moves its conversations to the default assistant, without events', async () => {
    const [x, y] = [unique('x'), unique('y')]
    await store().createAssistant(x, { n: 1 })
    await store().createAssistant(y, { n: 2 })
    const make = (assistantId?: string | null) =>
      store().createConversation({ userId: 'owner', title: null, metadata: {}, assistantId })
    const [a, b, c, d] = [await make(x), await make(x), await make(y), await make()]
    await store().createMessage({ conversationId: a.id, sender: 'user', content: 'hi', metadata: {} })
    const seq = await store().lastSeq(a.id)
    expect(await store().deleteAssistant(unique('missing'))).toBe(false)
    expect(await store().deleteAssistant(x)).toBe(true)
    expect(await store().getAssistant(x)).toBeNull()
    expect(await store().deleteAssistant(x)).toBe(false)
    const after = await Promise.all([a, b, c, d].map((v) => store().getConversation(v.id)))
    expect(after.map((v) => v?.assistant_id)).toEqual([null, null, y, null])
    expect(after[1]?.updated_at).toBe(b.updated_at)
    expect(await store().lastSeq(a.id)).toBe(seq)
    expect(await store().getAssistant(y)).not.toBeNull()
  })

  test('a conversation names its assistant: on create, on every read, patched (null clears)', async () => {
    const user = unique('assisted')
    const c = await store().createConversation({
      userId: user,
      title: null,
      metadata: {},
      chatId: 'chat',
      assistantId: 'a1',
    })
    expect(c.assistant_id).toBe('a1')
    expect((await store().getConversation(c.id))?.assistant_id).toBe('a1')
    expect((await store().findChat(user, 'chat'))?.assistant_id).toBe('a1')
    expect((await store().listConversations({ userId: user, limit: 5 }))?.[0]?.assistant_id).toBe('a1')
    const plain = await store().createConversation({ userId: user, title: null, metadata: {} })
    expect(plain.assistant_id).toBeNull()
    expect((await store().getConversation(plain.id))?.assistant_id).toBeNull()

    const titled = await store().updateConversation(c.id, { title: 't' })
    expect(titled?.conversation.assistant_id).toBe('a1')
    const moved = await store().updateConversation(c.id, { assistantId: 'a2' })
    expect(moved?.conversation).toMatchObject({ assistant_id: 'a2', title: 't' })
    expect(moved?.event).toMatchObject({ type: 'conversation_updated', conversation: { assistant_id: 'a2' } })
    expect((await store().getConversation(c.id))?.assistant_id).toBe('a2')
    const cleared = await store().updateConversation(c.id, { assistantId: null })
    expect(cleared?.event).toMatchObject({ conversation: { assistant_id: null } })
    expect((await store().getConversation(c.id))?.assistant_id).toBeNull()
  })
}
