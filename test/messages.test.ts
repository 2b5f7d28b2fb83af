import { describe, expect, setSystemTime, test } from 'bun:test'
import { ISO_MS, newConversation, post, type TestApp, testApp, UUID7 } from './helpers'

const contents = (res: { body: { messages: { content: string }[] } }) => res.body.messages.map((m) => m.content)

/** n messages m0..m(n-1), oldest first. */
async function fill(t: TestApp, id: string, n: number) {
  for (let i = 0; i < n; i++) await post(t, id, `m${i}`)
}
const newest = (from: number, count: number) => Array.from({ length: count }, (_, i) => `m${from - i}`)

describe('POST /conversations/{id}/messages', () => {
  test('stores the message and bumps the conversation', async () => {
    await using t = testApp()
    setSystemTime(new Date('2026-03-01T12:00:00.000Z'))
    const id = await newConversation(t)
    setSystemTime(new Date('2026-03-01T12:00:05.250Z'))
    const res = await t.call('POST', `/conversations/${id}/messages/`, {
      sender: 'user',
      content: 'Hi',
      metadata: { k: [1] },
    })
    setSystemTime()
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ conversation_id: id, sender: 'user', content: 'Hi', metadata: { k: [1] } })
    expect(res.body.id).toMatch(UUID7)
    expect(res.body.created_at).toBe('2026-03-01T12:00:05.250Z')
    expect(res.body.updated_at).toMatch(ISO_MS)
    const conv = (await t.call('GET', `/conversations/${id}`)).body
    expect(conv.updated_at).toBe('2026-03-01T12:00:05.250Z')
    expect(conv.message_count).toBe(1)
    const ai = await t.call('POST', `/conversations/${id}/messages`, { sender: 'ai', content: 'Hello!' })
    expect(ai.status).toBe(201)
    expect(ai.body.metadata).toEqual({})
  })

  test('404 for a missing conversation, 422 for bad bodies', async () => {
    await using t = testApp({ MAX_MESSAGE_LENGTH: '5' })
    const missing = await t.call('POST', `/conversations/${Bun.randomUUIDv7()}/messages`, {
      sender: 'user',
      content: 'x',
    })
    expect(missing.status).toBe(404)
    expect(missing.body.code).toBe('conversation_not_found')
    expect((await t.call('POST', '/conversations/zzz/messages', { sender: 'user', content: 'x' })).status).toBe(404)
    const id = await newConversation(t)
    for (const body of [
      { sender: 'bot', content: 'x' },
      { sender: 'user', content: '' },
      { sender: 'user' },
      { content: 'x' },
      { sender: 'user', content: 7 },
      { sender: 'user', content: 'x', metadata: 'no' },
      { sender: 'user', content: 'x', metadata: null },
    ]) {
      const res = await t.call('POST', `/conversations/${id}/messages`, body)
      expect(res.status, JSON.stringify(body)).toBe(422)
      expect(res.body.code).toBe('validation_error')
    }
    // The limit counts characters (code points): 5 emoji pass, 6 do not.
    expect(
      (await t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: '😀😀😀😀😀' })).status,
    ).toBe(201)
    const long = await t.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'abcdef' })
    expect(long.status).toBe(422)
    expect(long.body.detail[0]).toMatchObject({ loc: ['body', 'content'], type: 'string_too_long' })
    expect((await t.call('GET', `/conversations/${id}`)).body.message_count).toBe(1)
  })

  test('client_id makes a retry store nothing new', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const body = { sender: 'user', content: 'once', client_id: 'c-1' }
    const a = await t.call('POST', `/conversations/${id}/messages`, body)
    const b = await t.call('POST', `/conversations/${id}/messages`, body)
    expect(b.body.id).toBe(a.body.id)
    expect((await t.call('GET', `/conversations/${id}`)).body.message_count).toBe(1)
  })
})

describe('GET /conversations/{id}/messages (page mode)', () => {
  test('first, middle, last and past-the-end pages', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    await fill(t, id, 25)
    const page = (q: string) => t.call('GET', `/conversations/${id}/messages?${q}`)

    const first = await page('')
    expect(first.status).toBe(200)
    expect(first.body).toMatchObject({ total: 25, page: 1, size: 10, pages: 3, has_more: true })
    expect(contents(first)).toEqual(newest(24, 10))
    expect(first.body.next_cursor).toBe(first.body.messages[9].id)

    const middle = await page('page=2&size=10')
    expect(contents(middle)).toEqual(newest(14, 10))
    expect(middle.body.has_more).toBe(true)

    const last = await page('page=3&size=10')
    expect(contents(last)).toEqual(newest(4, 5))
    expect(last.body).toMatchObject({ has_more: false, next_cursor: null })

    const past = await page('page=9&size=10')
    expect(past.body).toMatchObject({ messages: [], total: 25, page: 9, pages: 3, has_more: false })

    // A last page that is exactly full has nothing after it; the one before it has.
    expect((await page('page=5&size=5')).body).toMatchObject({ has_more: false, next_cursor: null, pages: 5 })
    expect((await page('page=4&size=5')).body).toMatchObject({ has_more: true, pages: 5 })
    expect(contents(await page('page=25&size=1'))).toEqual(['m0'])
    const big = await page('size=100')
    expect(contents(big)).toEqual(newest(24, 25))
    expect(big.body.pages).toBe(1)
  })

  test('an empty conversation has zero pages', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const res = await t.call('GET', `/conversations/${id}/messages`)
    expect(res.body).toEqual({
      messages: [],
      total: 0,
      page: 1,
      size: 10,
      pages: 0,
      has_more: false,
      next_cursor: null,
    })
  })

  test.each(['page=0', 'page=-1', 'page=1.5', 'page=abc', 'size=0', 'size=101', 'size=x', 'limit=0', 'limit=101'])(
    'rejects %s with 422',
    async (q) => {
      await using t = testApp()
      const id = await newConversation(t)
      const res = await t.call('GET', `/conversations/${id}/messages?${q}`)
      expect(res.status).toBe(422)
      expect(res.body.detail[0].loc).toEqual(['query', q.split('=')[0]])
    },
  )

  test('query numbers arrive as numbers; exponent, padded, empty and oversized forms are rejected', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const ok = await t.call('GET', `/conversations/${id}/messages?page=2&size=5&unknown=x`)
    expect(ok.status).toBe(200)
    expect(ok.body).toMatchObject({ page: 2, size: 5, pages: 0 })
    for (const q of ['size=1e1', 'size=%201', 'page=', 'page=99999999999999999999']) {
      const res = await t.call('GET', `/conversations/${id}/messages?${q}`)
      expect(res.status, q).toBe(422)
      expect(res.body.code, q).toBe('validation_error')
      expect(res.body.detail[0].loc, q).toEqual(['query', q.split('=')[0]])
    }
  })

  test('404 for an unknown conversation', async () => {
    await using t = testApp()
    const res = await t.call('GET', `/conversations/${Bun.randomUUIDv7()}/messages`)
    expect(res.status).toBe(404)
    expect(res.body.code).toBe('conversation_not_found')
  })
})

describe('GET /conversations/{id}/messages (cursor mode)', () => {
  test('walks the whole history without gaps or duplicates, even when timestamps tie', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    // 30 messages in the same millisecond: only the insertion sequence orders them.
    setSystemTime(new Date('2026-05-05T05:05:05.555Z'))
    await fill(t, id, 30)
    setSystemTime()
    await fill(t, id, 0)
    const seen: string[] = []
    let cursor: string | null = null
    let first = true
    while (first || cursor) {
      const q: string = cursor ? `before=${cursor}&limit=7` : 'limit=7'
      const res = await t.call('GET', `/conversations/${id}/messages?${q}`)
      expect(res.status).toBe(200)
      expect(res.body.total).toBe(30)
      seen.push(...contents(res))
      cursor = res.body.next_cursor
      expect(res.body.has_more).toBe(cursor !== null)
      first = false
    }
    expect(seen).toEqual(newest(29, 30))
    // Page mode agrees with cursor mode on tied timestamps.
    const pages: string[] = []
    for (let p = 1; p <= 3; p++)
      pages.push(...contents(await t.call('GET', `/conversations/${id}/messages?page=${p}&size=10`)))
    expect(pages).toEqual(newest(29, 30))
  })

  test('an unknown or foreign cursor is a clear 400', async () => {
    await using t = testApp()
    const a = await newConversation(t)
    const b = await newConversation(t)
    const foreign = await post(t, b, 'other')
    for (const cursor of [Bun.randomUUIDv7(), foreign.id, 'garbage']) {
      const res = await t.call('GET', `/conversations/${a}/messages?before=${cursor}`)
      expect(res.status).toBe(400)
      expect(res.body.code).toBe('invalid_cursor')
    }
  })
})

describe('PUT and DELETE /conversations/{id}/messages/{message_id}', () => {
  test('edits a user message with a new updated_at', async () => {
    await using t = testApp()
    setSystemTime(new Date('2026-02-02T00:00:00.000Z'))
    const id = await newConversation(t)
    const m = await post(t, id, 'draft')
    setSystemTime(new Date('2026-02-02T00:00:09.999Z'))
    const res = await t.call('PUT', `/conversations/${id}/messages/${m.id}`, { content: 'final' })
    setSystemTime()
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: m.id,
      content: 'final',
      created_at: m.created_at,
      updated_at: '2026-02-02T00:00:09.999Z',
    })
    expect((await t.call('GET', `/conversations/${id}`)).body.messages[0].content).toBe('final')
    expect((await t.call('PUT', `/conversations/${id}/messages/${m.id}/`, { content: '' })).status).toBe(422)
    expect((await t.call('PUT', `/conversations/${id}/messages/${m.id}`, {})).status).toBe(422)
  })

  test('ai messages, unknown ids and messages of another conversation are 404', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const other = await newConversation(t)
    const ai = await post(t, id, 'bot says', 'ai')
    const foreign = await post(t, other, 'theirs')
    for (const [conv, msg] of [
      [id, ai.id],
      [id, Bun.randomUUIDv7()],
      [id, 'nope'],
      [id, foreign.id],
      [Bun.randomUUIDv7(), foreign.id],
    ]) {
      const put = await t.call('PUT', `/conversations/${conv}/messages/${msg}`, { content: 'x' })
      expect(put.status).toBe(404)
      expect((await t.call('DELETE', `/conversations/${conv}/messages/${msg}`)).status).toBe(404)
    }
    expect((await t.call('PUT', `/conversations/${id}/messages/${ai.id}`, { content: 'x' })).body).toEqual({
      detail: 'Message not found',
      code: 'message_not_found',
    })
    expect((await t.call('GET', `/conversations/${other}`)).body.messages[0].content).toBe('theirs')
  })

  test('deletes a user message and keeps the count right', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const a = await post(t, id, 'a')
    await post(t, id, 'b')
    const res = await t.call('DELETE', `/conversations/${id}/messages/${a.id}`)
    expect(res.status).toBe(204)
    expect(res.text).toBe('')
    const conv = (await t.call('GET', `/conversations/${id}`)).body
    expect(conv.message_count).toBe(1)
    expect(conv.messages.map((m: { content: string }) => m.content)).toEqual(['b'])
    expect((await t.call('DELETE', `/conversations/${id}/messages/${a.id}`)).status).toBe(404)
  })
})
