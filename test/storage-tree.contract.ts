import { expect, test } from 'bun:test'
import { type ChatEvent, MissingParent, type NewMessage, type Part, type Store } from '../src/storage/store'

/**
 * The message tree part of the Store contract (run inside storeContract, once per dialect):
 * forks, heads, siblings, branches read back, deletes that re-attach or remove a subtree,
 * parts and generation stored exactly.
 */
export function treeCases(store: () => Store) {
  const conversation = () => store().createConversation({ userId: 'tree', title: null, metadata: {} })
  const send = async (conversationId: string, content: string, extra: Partial<NewMessage> = {}) => {
    const r = await store().createMessage({ conversationId, sender: 'user', content, metadata: {}, ...extra })
    if (!r) throw new Error('conversation missing')
    return r
  }
  const branch = async (id: string) =>
    ((await store().listMessages(id, { limit: 100, offset: 0 })) ?? []).map((m) => m.content).reverse()
  const head = async (id: string) => (await store().getConversation(id))?.head_id

  test('tree: a fork makes a new active branch; siblings are listed; the head moves to the newest leaf', async () => {
    const c = await conversation()
    const a = await send(c.id, 'a')
    const b = await send(c.id, 'b')
    const cc = await send(c.id, 'c')
    expect([a.message.parent_id, b.message.parent_id, cc.message.parent_id]).toEqual([null, a.message.id, b.message.id])
    const d = await send(c.id, 'd', { parentId: a.message.id })
    expect(d.event).toMatchObject({ type: 'new_message', headId: d.message.id })
    expect(d.message.siblings).toEqual([b.message.id, d.message.id])
    expect(await branch(c.id)).toEqual(['a', 'd'])
    expect(await store().getConversation(c.id)).toMatchObject({ message_count: 2, head_id: d.message.id })
    const page = await store().listMessages(c.id, { limit: 10, offset: 0 })
    expect(page?.map((m) => m.siblings.length)).toEqual([2, 1])

    const moved = await store().setHead(c.id, b.message.id)
    expect(moved?.headId).toBe(cc.message.id)
    expect(moved?.event).toMatchObject({ type: 'head_changed', headId: cc.message.id, messageCount: 3 })
    expect(await branch(c.id)).toEqual(['a', 'b', 'c'])
    expect((await store().setHead(c.id, cc.message.id))?.event).toBeNull()
    expect(await store().setHead(c.id, Bun.randomUUIDv7())).toBeNull()
    // The unchanged head logged nothing: the next event follows the head change.
    expect(await store().lastSeq(c.id)).toBe(moved?.event?.seq as number)

    const root = await send(c.id, 'e', { parentId: null })
    expect(root.message.siblings).toEqual([a.message.id, root.message.id])
    expect(await branch(c.id)).toEqual(['e'])
    const tree = await store().tree(c.id, 0, 100)
    expect(tree?.headId).toBe(root.message.id)
    expect(tree?.messages.map((m) => [m.content, m.parent_id])).toEqual([
      ['a', null],
      ['b', a.message.id],
      ['c', b.message.id],
      ['d', a.message.id],
      ['e', null],
    ])
    const paged = await store().tree(c.id, 2, 2)
    expect([paged?.messages.map((m) => m.content), paged?.hasMore]).toEqual([['c', 'd'], true])
  })

  test('tree: a reply to a message off the active branch goes under it and leaves the head', async () => {
    const c = await conversation()
    const q = await send(c.id, 'q')
    await send(c.id, 'old answer', { sender: 'ai', replyTo: q.message.id })
    const q2 = await send(c.id, 'q edited', { parentId: null })
    const r = await send(c.id, 'late answer', { sender: 'ai', replyTo: q.message.id })
    expect(r.message.parent_id).toBe(q.message.id)
    expect(r.event).toMatchObject({ headId: q2.message.id })
    expect(await branch(c.id)).toEqual(['q edited'])
    expect((await store().ancestors(c.id, r.message.id, 10)).map((m) => m.content)).toEqual(['q', 'late answer'])
    // A reply to the head's own message goes at the head.
    const r2 = await send(c.id, 'answer', { sender: 'ai', replyTo: q2.message.id })
    expect([r2.message.parent_id, await head(c.id)]).toEqual([q2.message.id, r2.message.id])
    expect((await store().ancestors(c.id, r2.message.id, 1)).map((m) => m.content)).toEqual(['answer'])
  })

  test('tree: a parent that is not a message of the conversation is refused and nothing is stored', async () => {
    const c = await conversation()
    const other = await conversation()
    const foreign = await send(other.id, 'elsewhere')
    await send(c.id, 'a')
    const seq = await store().lastSeq(c.id)
    for (const parentId of [Bun.randomUUIDv7(), foreign.message.id]) {
      await expect(send(c.id, 'x', { parentId })).rejects.toBeInstanceOf(MissingParent)
    }
    await Bun.sleep(0)
    expect(await store().lastSeq(c.id)).toBe(seq)
    expect(await branch(c.id)).toEqual(['a'])
  })

  test('tree: deleting one message re-attaches its children; deleting a subtree removes the branch', async () => {
    const c = await conversation()
    const a = await send(c.id, 'a')
    const b = await send(c.id, 'b')
    const cc = await send(c.id, 'c')
    const one = (await store().deleteMessage(c.id, b.message.id)) as Extract<ChatEvent, { type: 'message_deleted' }>
    expect(one).toMatchObject({ parentId: a.message.id, deletedIds: [b.message.id], headId: cc.message.id })
    expect(await branch(c.id)).toEqual(['a', 'c'])
    expect((await store().getMessage(c.id, cc.message.id))?.parent_id).toBe(a.message.id)
    expect((await store().getConversation(c.id))?.message_count).toBe(2)

    const x = await send(c.id, 'x', { parentId: a.message.id })
    const y = await send(c.id, 'y')
    expect(await branch(c.id)).toEqual(['a', 'x', 'y'])
    const gone = await store().deleteMessage(c.id, x.message.id, { subtree: true })
    expect(gone).toMatchObject({ deletedIds: [x.message.id, y.message.id], headId: a.message.id })
    expect(await branch(c.id)).toEqual(['a'])
    expect((await store().getConversation(c.id))?.message_count).toBe(1)
    expect(await store().getMessage(c.id, y.message.id)).toBeNull()
    // The head deleted: it moves to the parent, and the next message goes there.
    const z = await send(c.id, 'z')
    expect(z.message.parent_id).toBe(a.message.id)
    expect(z.message.siblings).toEqual([cc.message.id, z.message.id])
  })

  test('tree: the newest message of a chain deleted, the next one follows its parent; one in the middle, its child does', async () => {
    const c = await conversation()
    const a = await send(c.id, 'a')
    const b = await send(c.id, 'b')
    expect(await store().deleteMessage(c.id, b.message.id)).toMatchObject({ headId: a.message.id })
    const d = await send(c.id, 'd')
    expect(d.message.parent_id).toBe(a.message.id)
    const e = await send(c.id, 'e')
    await store().deleteMessage(c.id, d.message.id)
    expect((await store().getMessage(c.id, e.message.id))?.parent_id).toBe(a.message.id)
    expect(await branch(c.id)).toEqual(['a', 'e'])
    expect((await store().getConversation(c.id))?.message_count).toBe(2)
  })

  test('tree: concurrent appends form one chain, each after the one stored before it', async () => {
    const c = await conversation()
    await Promise.all(Array.from({ length: 20 }, (_, i) => send(c.id, `m${i}`)))
    const tree = (await store().tree(c.id, 0, 100))?.messages ?? []
    expect(tree.length).toBe(20)
    expect(tree.map((m) => m.parent_id)).toEqual([null, ...tree.slice(0, -1).map((m) => m.id)])
    expect((await store().getConversation(c.id))?.message_count).toBe(20)
  })

  test('parts and generation are stored exactly; usage is summed per conversation; an edit keeps other parts', async () => {
    const c = await conversation()
    const parts: Part[] = [
      { type: 'reasoning', text: 'thinking 🤔' },
      { type: 'text', text: 'Hello ' },
      {
        type: 'tool-call',
        toolCallId: 't1',
        toolName: 'weather',
        input: { city: 'Zürich', z: 1, a: [1] },
        state: 'output-available',
        output: { temp: 3.5 },
      },
      { type: 'file', mediaType: 'image/png', url: `/files/${Bun.randomUUIDv7()}`, filename: 'a.png' },
      { type: 'source-url', sourceId: 's1', url: 'https://example.com/', title: 'Example' },
      { type: 'data', name: 'chart', data: { b: 2, a: 1 } },
      { type: 'text', text: 'world' },
    ]
    const generation = {
      model: 'm-1',
      finish_reason: 'stop',
      usage: { input_tokens: 12, output_tokens: 30, estimated: false },
      duration_ms: 42,
    }
    const r = await send(c.id, 'Hello world', { sender: 'ai', parts, generation })
    const read = await store().getMessage(c.id, r.message.id)
    expect(JSON.stringify(read?.parts)).toBe(JSON.stringify(parts))
    expect(read?.generation).toEqual(generation)
    await send(c.id, 'again', {
      sender: 'ai',
      generation: { ...generation, usage: { input_tokens: 1, output_tokens: 2, estimated: true } },
    })
    expect((await store().getConversation(c.id))?.usage).toEqual({ input_tokens: 13, output_tokens: 32 })
    const plain = await send(c.id, 'plain')
    expect(plain.message.parts).toEqual([{ type: 'text', text: 'plain' }])
    const edited = await store().updateMessage(c.id, r.message.id, 'Bye')
    expect(edited?.message.content).toBe('Bye')
    expect(edited?.message.parts.map((p) => p.type)).toEqual([
      'reasoning',
      'text',
      'tool-call',
      'file',
      'source-url',
      'data',
    ])
  })
}
