import { describe, expect, setSystemTime, test } from 'bun:test'
import { ISO_MS, newConversation, post, testApp, UUID7 } from './helpers'

describe('POST /conversations', () => {
  test('creates a conversation with defaults and an empty message list', async () => {
    await using t = testApp()
    const res = await t.call('POST', '/conversations/', { user_id: 'alice', title: 'Trip', metadata: { a: 1 } })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      user_id: 'alice',
      title: 'Trip',
      metadata: { a: 1 },
      messages: [],
      message_count: 0,
    })
    expect(res.body.id).toMatch(UUID7)
    expect(res.body.created_at).toMatch(ISO_MS)
    expect(res.body.updated_at).toBe(res.body.created_at)
    const bare = await t.call('POST', '/conversations', { user_id: 'bob' })
    expect(bare.status).toBe(201)
    expect(bare.body).toMatchObject({ title: null, metadata: {} })
  })

  test.each([
    [{}, ['body', 'user_id'], 'missing'],
    [{ user_id: '' }, ['body', 'user_id'], 'string_too_short'],
    [{ user_id: 'x'.repeat(257) }, ['body', 'user_id'], 'string_too_long'],
    [{ user_id: 42 }, ['body', 'user_id'], 'string_type'],
    [{ user_id: 'u', metadata: [1] }, ['body', 'metadata'], undefined],
    [{ user_id: 'u', title: 5 }, ['body', 'title'], undefined],
    [[], ['body'], 'dict_type'],
  ])('rejects %j with a 422 FastAPI-style detail', async (body, loc, type) => {
    await using t = testApp()
    const res = await t.call('POST', '/conversations/', body)
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('validation_error')
    expect(res.body.detail).toBeArray()
    const issue = res.body.detail.find((d: { loc: unknown[] }) => JSON.stringify(d.loc) === JSON.stringify(loc))
    expect(issue).toBeDefined()
    expect(typeof issue.msg).toBe('string')
    if (type) expect(issue.type).toBe(type)
  })

  test('ignores unknown fields instead of storing them', async () => {
    await using t = testApp()
    const res = await t.call('POST', '/conversations/', { user_id: 'u', id: 'mine', message_count: 99 })
    expect(res.status).toBe(201)
    expect(res.body.id).not.toBe('mine')
    expect(res.body.message_count).toBe(0)
  })
})

describe('GET /conversations/{id}', () => {
  test('returns the 50 most recent messages oldest first, and the total count', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    for (let i = 0; i < 55; i++) await post(t, id, `m${i}`)
    const res = await t.call('GET', `/conversations/${id}`)
    expect(res.status).toBe(200)
    expect(res.body.message_count).toBe(55)
    expect(res.body.messages.map((m: { content: string }) => m.content)).toEqual(
      Array.from({ length: 50 }, (_, i) => `m${i + 5}`),
    )
    expect((await t.call('GET', `/conversations/${id}/`)).status).toBe(200)
  })

  test('answers 404 for an unknown id and for ids that are not UUIDs', async () => {
    await using t = testApp()
    for (const id of [Bun.randomUUIDv7(), 'nope', '1', "1' OR '1'='1", '%00', 'x'.repeat(5000)]) {
      const res = await t.call('GET', `/conversations/${encodeURIComponent(id)}`)
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ detail: 'Conversation not found', code: 'conversation_not_found' })
    }
  })
})

describe('GET /conversations (list)', () => {
  test('lists newest-updated first, filters by user, and pages with a cursor', async () => {
    await using t = testApp()
    const ids: string[] = []
    for (let i = 0; i < 7; i++) ids.push(await newConversation(t, 'alice', `c${i}`))
    await newConversation(t, 'bob')
    setSystemTime(new Date(Date.now() + 1000)) // a later millisecond than every creation
    await post(t, ids[2] as string, 'bump') // c2 becomes the most recently updated
    setSystemTime()
    const expected = [ids[2], ids[6], ids[5], ids[4], ids[3], ids[1], ids[0]]

    const seen: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const q: string = `/conversations?user_id=alice&limit=3${cursor ? `&before=${cursor}` : ''}`
      const res = await t.call('GET', q)
      expect(res.status).toBe(200)
      seen.push(...res.body.conversations.map((c: { id: string }) => c.id))
      cursor = res.body.next_cursor
      expect(res.body.has_more).toBe(cursor !== null)
      pages++
    } while (cursor)
    expect(seen).toEqual(expected as string[])
    expect(pages).toBe(3)

    const all = await t.call('GET', '/conversations/')
    expect(all.body.conversations).toHaveLength(8)
    expect(all.body.has_more).toBe(false)
  })

  test('rejects bad limits and unknown cursors', async () => {
    await using t = testApp()
    expect((await t.call('GET', '/conversations?limit=0')).status).toBe(422)
    expect((await t.call('GET', '/conversations?limit=101')).status).toBe(422)
    expect((await t.call('GET', '/conversations?limit=abc')).status).toBe(422)
    const res = await t.call('GET', `/conversations?before=${Bun.randomUUIDv7()}`)
    expect(res.status).toBe(400)
    expect(res.body.code).toBe('invalid_cursor')
  })
})

describe('PATCH /conversations/{id}', () => {
  test('updates title and metadata and bumps updated_at', async () => {
    await using t = testApp()
    setSystemTime(new Date('2026-01-01T00:00:00.000Z'))
    const id = await newConversation(t, 'u', 'old')
    setSystemTime(new Date('2026-01-01T00:00:01.500Z'))
    const res = await t.call('PATCH', `/conversations/${id}`, { title: 'new', metadata: { pinned: true } })
    setSystemTime()
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ title: 'new', metadata: { pinned: true }, updated_at: '2026-01-01T00:00:01.500Z' })
    expect(res.body.created_at).toBe('2026-01-01T00:00:00.000Z')
    const cleared = await t.call('PATCH', `/conversations/${id}/`, { title: null })
    expect(cleared.body).toMatchObject({ title: null, metadata: { pinned: true } })
    expect((await t.call('GET', `/conversations/${id}`)).body.title).toBeNull()
  })

  test('an empty patch changes nothing; unknown ids are 404; bad types are 422', async () => {
    await using t = testApp()
    const id = await newConversation(t, 'u', 'keep')
    const before = (await t.call('GET', `/conversations/${id}`)).body
    const res = await t.call('PATCH', `/conversations/${id}`, {})
    expect(res.status).toBe(200)
    expect(res.body.updated_at).toBe(before.updated_at)
    expect((await t.call('PATCH', `/conversations/${Bun.randomUUIDv7()}`, { title: 'x' })).status).toBe(404)
    expect((await t.call('PATCH', `/conversations/${id}`, { metadata: 'x' })).status).toBe(422)
    expect((await t.call('PATCH', `/conversations/${id}`, { title: 'x'.repeat(1001) })).status).toBe(422)
  })
})

describe('DELETE /conversations/{id}', () => {
  test('deletes the conversation and, by cascade, its messages', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const keep = await newConversation(t)
    const m = await post(t, id, 'hello')
    await post(t, keep, 'stays')
    const res = await t.call('DELETE', `/conversations/${id}`)
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    expect((await t.call('GET', `/conversations/${id}`)).status).toBe(404)
    expect((await t.call('DELETE', `/conversations/${id}`)).status).toBe(404)
    expect(await t.store.getMessage(id, m.id)).toBeNull()
    expect((await t.call('GET', `/conversations/${keep}`)).body.messages).toHaveLength(1)
  })
})
