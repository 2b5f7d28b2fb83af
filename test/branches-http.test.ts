import { Database } from 'bun:sqlite'
import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { newConversation, post, testApp } from './helpers'

const env = { BOT_PROVIDER: 'none' }
const messages = (id: string) => `/conversations/${id}/messages`

test('parts: content is their text; a message needs text or another part; bad parts are 422 at their field', async () => {
  await using t = testApp(env)
  const id = await newConversation(t)
  const parts = [
    { type: 'text', text: 'See ' },
    { type: 'file', mediaType: 'image/png', url: 'https://example.com/a.png', filename: 'a.png' },
    { type: 'text', text: 'this' },
  ]
  const made = await t.call('POST', messages(id), { sender: 'user', parts })
  expect(made.status).toBe(201)
  expect(made.body).toMatchObject({ content: 'See this', parts })
  const fileOnly = await t.call('POST', messages(id), { sender: 'user', parts: [parts[1]] })
  expect([fileOnly.status, fileOnly.body.content]).toEqual([201, ''])
  const refused: [unknown, (string | number)[]][] = [
    [{ sender: 'user' }, ['body', 'content']],
    [{ sender: 'user', content: 'other', parts }, ['body', 'content']],
    [{ sender: 'user', parts: [{ type: 'text', text: '' }] }, ['body', 'parts']],
    [
      { sender: 'user', parts: [{ type: 'file', mediaType: 'image/png', url: 'javascript:alert(1)' }] },
      ['body', 'parts', 0, 'url'],
    ],
    [
      {
        sender: 'user',
        parts: [{ type: 'data', name: 'x', data: { a: { b: { c: { d: { e: { f: { g: { h: 1 } } } } } } } } }],
      },
      ['body', 'parts', 0, 'data'],
    ],
    [{ sender: 'user', parts: [{ type: 'text', text: 'a\u0000' }] }, ['body', 'parts', 0, 'text']],
    [{ sender: 'user', parts: Array.from({ length: 65 }, () => ({ type: 'text', text: 'x' })) }, ['body', 'parts']],
    [{ sender: 'user', parts: [{ type: 'unknown', text: 'x' }] }, ['body', 'parts', 0]],
  ]
  for (const [body, loc] of refused) {
    const res = await t.call('POST', messages(id), body)
    expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(422)
    expect(res.body.detail[0].loc.slice(0, loc.length), JSON.stringify(res.body)).toEqual(loc)
  }
  expect((await t.call('GET', `/conversations/${id}`)).body.message_count).toBe(2)
})

test('parent_id: an earlier message forks; null makes a new first message; anything else is 422', async () => {
  await using t = testApp(env)
  const id = await newConversation(t)
  const other = await newConversation(t)
  const a = await post(t, id, 'a')
  const b = await post(t, id, 'b')
  const foreign = await post(t, other, 'elsewhere')
  for (const parent_id of ['nope', crypto.randomUUID(), foreign.id, 7]) {
    const res = await t.call('POST', messages(id), { sender: 'user', content: 'x', parent_id })
    expect(res.status).toBe(422)
    expect(res.body.detail[0].loc).toEqual(['body', 'parent_id'])
  }
  const fork = await t.call('POST', messages(id), { sender: 'user', content: 'b2', parent_id: a.id })
  expect(fork.body).toMatchObject({ parent_id: a.id, siblings: [b.id, fork.body.id] })
  const conv = (await t.call('GET', `/conversations/${id}`)).body
  expect(conv).toMatchObject({ head_id: fork.body.id, message_count: 2 })
  expect(conv.messages.map((m: { content: string }) => m.content)).toEqual(['a', 'b2'])
  const root = await t.call('POST', messages(id), { sender: 'user', content: 'new start', parent_id: null })
  expect(root.body).toMatchObject({ parent_id: null, siblings: [a.id, root.body.id] })
  const page = (await t.call('GET', `${messages(id)}?page=1&size=10`)).body
  expect([page.total, page.messages.length]).toEqual([1, 1])
})

test('head, tree and subtree deletes answer like the rest of the API, with 404 and 400 where due', async () => {
  await using t = testApp(env)
  const id = await newConversation(t)
  const a = await post(t, id, 'a')
  const reply = await post(t, id, 'reply', 'ai')
  const b = (await t.call('POST', messages(id), { sender: 'user', content: 'b', parent_id: a.id })).body
  expect((await t.call('PUT', `/conversations/${id}/head`, { message_id: a.id })).body).toEqual({ head_id: b.id })
  expect((await t.call('PUT', `/conversations/${id}/head`, { message_id: reply.id })).body).toEqual({
    head_id: reply.id,
  })
  for (const message_id of ['x', crypto.randomUUID()]) {
    expect((await t.call('PUT', `/conversations/${id}/head`, { message_id })).status).toBe(404)
  }
  expect((await t.call('PUT', `/conversations/${crypto.randomUUID()}/head`, { message_id: a.id })).status).toBe(404)
  expect((await t.call('PUT', `/conversations/${id}/head`, {})).status).toBe(422)

  const first = (await t.call('GET', `/conversations/${id}/tree?limit=2`)).body
  expect(first).toMatchObject({ head_id: reply.id, has_more: true, next_cursor: reply.id })
  const rest = (await t.call('GET', `/conversations/${id}/tree?after=${first.next_cursor}`)).body
  expect([...first.messages, ...rest.messages].map((m: { id: string }) => m.id)).toEqual([a.id, reply.id, b.id])
  expect(rest).toMatchObject({ has_more: false, next_cursor: null })
  expect((await t.call('GET', `/conversations/${id}/tree?after=${crypto.randomUUID()}`)).status).toBe(400)
  expect((await t.call('GET', `/conversations/${id}/tree?limit=0`)).status).toBe(422)

  // A bot reply can go as a subtree, not alone (as in the original, single deletes are of user messages).
  expect((await t.call('DELETE', `${messages(id)}/${reply.id}`)).status).toBe(404)
  expect((await t.call('DELETE', `${messages(id)}/${reply.id}?subtree=true`)).status).toBe(204)
  expect((await t.call('DELETE', `${messages(id)}/${a.id}?subtree=maybe`)).status).toBe(422)
  const after = (await t.call('GET', `/conversations/${id}`)).body
  expect(after).toMatchObject({ head_id: a.id, message_count: 1 })
  expect((await t.call('DELETE', `${messages(id)}/${a.id}?subtree=true`)).status).toBe(204)
  expect((await t.call('GET', `/conversations/${id}/tree`)).body).toMatchObject({ head_id: null, messages: [] })
})

test('a 300 KiB image sent as a data URL is stored as a file; other file URLs stop at 8192 characters', async () => {
  await using t = testApp(env)
  const id = await newConversation(t)
  const png = new Uint8Array(300 * 1024)
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const url = `data:image/png;base64,${Buffer.from(png).toString('base64')}`
  const made = await t.call('POST', messages(id), {
    sender: 'user',
    parts: [{ type: 'file', mediaType: 'image/png', url }],
  })
  expect(made.status).toBe(201)
  const stored = made.body.parts[0].url
  expect(stored).toMatch(/^\/files\/[0-9a-f-]{36}$/)
  const file = await t.app.handle(new Request(`http://localhost${stored}`))
  expect(new Uint8Array(await file.arrayBuffer())).toEqual(png)
  const long = `https://example.com/${'a'.repeat(8192)}`
  const res = await t.call('POST', messages(id), {
    sender: 'user',
    parts: [{ type: 'file', mediaType: 'image/png', url: long }],
  })
  expect([res.status, res.body.detail[0].loc]).toEqual([422, ['body', 'parts', 0, 'url']])
})

test('a message with a data URL and a parent that does not exist stores no file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-orphan-'))
  const path = join(dir, 'db.sqlite')
  await using t = testApp({ ...env, DATABASE_URL: `sqlite:///${path}` })
  const id = await newConversation(t)
  const url = `data:text/plain;base64,${btoa('hello')}`
  const parts = [{ type: 'file', mediaType: 'text/plain', url }]
  const res = await t.call('POST', messages(id), { sender: 'user', parts, parent_id: crypto.randomUUID() })
  expect([res.status, res.body.detail[0].loc]).toEqual([422, ['body', 'parent_id']])
  using db = new Database(path, { readonly: true })
  expect(db.query('SELECT count(*) AS n FROM files').get()).toEqual({ n: 0 })
  rmSync(dir, { recursive: true, force: true })
})

test('a retried message (same client_id) with a data URL stores its file once', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'parley-retry-'))
  const path = join(dir, 'db.sqlite')
  await using t = testApp({ ...env, DATABASE_URL: `sqlite:///${path}` })
  const id = await newConversation(t)
  const body = {
    sender: 'user',
    client_id: 'once',
    parts: [{ type: 'file', mediaType: 'text/plain', url: `data:text/plain;base64,${btoa('notes')}` }],
  }
  const first = await t.call('POST', messages(id), body)
  const again = await t.call('POST', messages(id), body)
  expect([first.status, again.status]).toEqual([201, 201])
  expect(again.body.id).toBe(first.body.id)
  expect(again.body.parts[0].url).toBe(first.body.parts[0].url)
  using db = new Database(path, { readonly: true })
  expect(db.query('SELECT count(*) AS n FROM files').get()).toEqual({ n: 1 })
  rmSync(dir, { recursive: true, force: true })
})
