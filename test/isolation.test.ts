import { Database } from 'bun:sqlite'
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testApp } from './helpers'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'
import { SECRET, userToken } from './tokens'

const dir = mkdtempSync(join(tmpdir(), 'parley-iso-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** Everything stored, hashed: proof that a request changed nothing. */
export function checksum(path: string): string {
  const db = new Database(path, { readonly: true })
  try {
    const rows = ['conversations', 'messages', 'events'].map((t) => db.query(`SELECT * FROM ${t} ORDER BY 1, 2`).all())
    return new Bun.CryptoHasher('sha256').update(JSON.stringify(rows)).digest('hex')
  } finally {
    db.close()
  }
}

/** One conversation's rows in every table, as JSON. */
function rowsOf(path: string, conversationId: string): string {
  const db = new Database(path, { readonly: true })
  try {
    const conv = db.query('SELECT * FROM conversations WHERE id = ?').all(conversationId)
    const rest = ['messages', 'events'].map((t) =>
      db.query(`SELECT * FROM ${t} WHERE conversation_id = ? ORDER BY 1, 2`).all(conversationId),
    )
    return JSON.stringify([conv, rest])
  } finally {
    db.close()
  }
}

const PUBLIC = new Set([
  '/',
  '/health/',
  '/health/check',
  '/health/ready',
  '/docs',
  '/docs/scalar.js',
  '/openapi.json',
  '/metrics',
])
const env = (path: string) => ({
  AUTH_MODE: 'jwt',
  JWT_SECRET: SECRET,
  DATABASE_URL: `sqlite:///${path}`,
  BOT_PROVIDER: 'builtin',
})

test("user B reaches none of user A's data through any route (every route of the app enumerated)", async () => {
  const path = join(dir, 'rest.db')
  await using t = testApp(env(path))
  const alice = { authorization: `Bearer ${await userToken('alice')}` }
  const bob = { authorization: `Bearer ${await userToken('bob')}` }
  const conv = (await t.call('POST', '/conversations/', { title: 'secret' }, alice)).body
  const msg = (
    await t.call('POST', `/conversations/${conv.id}/messages`, { sender: 'user', content: 'private' }, alice)
  ).body
  await t.deps.replies?.idle()
  const upload = (headers: Record<string, string>, fields: Record<string, string> = {}) => {
    const form = new FormData()
    for (const [k, v] of Object.entries(fields)) form.append(k, v)
    form.append('file', new File(['secret notes'], 'notes.txt', { type: 'text/plain' }))
    return t.app.handle(new Request('http://localhost/files', { method: 'POST', body: form, headers }))
  }
  const file = (await (await upload(alice)).json()) as { id: string }
  const aliceBefore = rowsOf(path, conv.id)

  const routes = t.app.routes.filter((r) => !PUBLIC.has(r.path.replace(/\/$/, '') || '/') && !PUBLIC.has(r.path))
  expect(routes.length).toBeGreaterThanOrEqual(11) // every conversation and message route
  for (const route of routes) {
    if (route.method === 'OPTIONS' || route.path.includes('*')) continue
    const id = route.path.startsWith('/files') ? file.id : conv.id
    const url = route.path.replace(':id', id).replace(':message_id', msg.id).replace(':user_id', 'alice')
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
      ? { sender: 'user', content: 'x', title: 'x', user_id: 'bob', message_id: msg.id, approved: true }
      : undefined
    const anonymous = await t.call(route.method, url, body)
    expect(anonymous.status, `${route.method} ${route.path} without a token`).toBe(401)
    const label = `${route.method} ${route.path} as another user`
    if (route.method === 'POST' && route.path === '/files') {
      // An upload is the uploader's own: naming another owner is refused.
      expect((await upload(bob, { user_id: 'alice' })).status, label).toBe(403)
      continue
    }
    if (route.path.startsWith('/api/chat')) {
      // The AI SDK's chat ids are per user: Alice's conversation id names Bob's own (new, empty)
      // chat for Bob, never hers.
      const chat = {
        id: conv.id,
        trigger: 'submit-message',
        messages: [{ id: 'b1', role: 'user', parts: [{ type: 'text', text: 'x' }] }],
      }
      const res = await t.call(
        route.method,
        url,
        route.method === 'POST' && route.path === '/api/chat/' ? chat : undefined,
        bob,
      )
      expect([200, 204], label).toContain(res.status)
      expect(`${res.text}`, label).not.toContain('private')
      expect(`${res.text}`, label).not.toContain(msg.id)
      continue
    }
    const res = await t.call(route.method, url, body, bob)
    if (route.path.startsWith('/assistants/') || route.path.startsWith('/quotas/')) {
      // Alice's quota, or an assistant: operators' writes and other users' quotas are 403; an unknown assistant 404.
      expect([403, 404], label).toContain(res.status)
      continue
    }
    if (!route.path.includes(':')) {
      // Collection routes: bob only ever sees or creates his own.
      expect([200, 201, 403], label).toContain(res.status)
      if (res.status === 200) expect(JSON.stringify(res.body), label).not.toContain(conv.id)
      continue
    }
    expect(res.status, label).toBe(404)
    expect(JSON.stringify(res.body)).not.toContain('secret')
  }
  const listed = (await t.call('GET', '/conversations', undefined, bob)).body.conversations
  // The one bob created above, and his own chat named by alice's conversation id.
  expect(listed.map((c: { user_id: string }) => c.user_id)).toEqual(['bob', 'bob'])
  // Bob's writes went nowhere near Alice's conversation: its rows are byte for byte the same.
  expect(rowsOf(path, conv.id)).toBe(aliceBefore)
})

test("over WebSocket and Socket.IO, user B can neither join, replay, send, type nor stop in A's conversation", async () => {
  const path = join(dir, 'ws.db')
  await using live = await liveServer({ ...env(path), BOT_PROVIDER: 'none' })
  const aliceToken = await userToken('alice')
  const bobToken = await userToken('bob')
  const conv = (await fetch(`${live.base}/conversations/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${aliceToken}` },
    body: '{}',
  }).then((r) => r.json())) as { id: string }
  using alice = await wsClient(`${live.ws}/?token=${aliceToken}`)
  await alice.join(conv.id)
  const before = checksum(path)

  using bobWs = await wsClient(`${live.ws}/?token=${bobToken}`)
  using bobIo = await sioClient(live.base, { transports: ['websocket'], auth: { token: bobToken } })
  for (const bob of [bobWs, bobIo]) {
    for (const [event, data] of [
      ['join_conversation', { conversationId: conv.id }],
      ['join_conversation', { conversationId: conv.id, since_seq: 0 }],
      ['send_message', { conversationId: conv.id, content: 'intrusion' }],
      ['stop_generation', { conversationId: conv.id }],
    ] as const) {
      bob.emit(event, data)
      expect((await bob.next('error')).code, event).toBe('conversation_not_found')
    }
    bob.emit('typing', { conversationId: conv.id, isTyping: true })
    expect((await bob.next('error')).code).toBe('bad_event') // not a member
  }
  expect(checksum(path)).toBe(before)
  await Bun.sleep(50)
  expect(alice.inbox.named('new_message')).toEqual([])
  expect(alice.inbox.named('typing')).toEqual([])
})

test("another user's conversation id as a cursor answers exactly like an unknown id", async () => {
  await using t = testApp(env(join(dir, 'cursor.db')))
  const alice = { authorization: `Bearer ${await userToken('alice')}` }
  const bob = { authorization: `Bearer ${await userToken('bob')}` }
  const aliceConv = (await t.call('POST', '/conversations/', {}, alice)).body.id
  const bobConvs: string[] = []
  for (let i = 0; i < 3; i++) bobConvs.push((await t.call('POST', '/conversations/', {}, bob)).body.id)
  const aliceMsg = (
    await t.call('POST', `/conversations/${aliceConv}/messages`, { sender: 'user', content: 'a' }, alice)
  ).body.id
  const bobMsg = (await t.call('POST', `/conversations/${bobConvs[0]}/messages`, { sender: 'user', content: 'b' }, bob))
    .body.id
  const shape = (r: { status: number; body: unknown }) => ({ status: r.status, body: r.body })

  const unknown = shape(await t.call('GET', `/conversations?before=${Bun.randomUUIDv7()}`, undefined, bob))
  expect(unknown).toEqual({
    status: 400,
    body: { code: 'invalid_cursor', detail: 'Cursor does not name an existing conversation' },
  })
  expect(shape(await t.call('GET', `/conversations?before=${aliceConv}`, undefined, bob))).toEqual(unknown)
  // Bob's own cursor still pages his list (the conversation he posted in is the newest).
  const own = await t.call('GET', `/conversations?before=${bobConvs[0]}`, undefined, bob)
  expect(own.body.conversations.map((c: { id: string }) => c.id)).toEqual([bobConvs[2], bobConvs[1]])

  // A message cursor or resume point from another user's conversation is unknown in bob's.
  const messages = (before: string) =>
    t.call('GET', `/conversations/${bobConvs[0]}/messages?before=${before}`, undefined, bob)
  const unknownMsg = shape(await messages(Bun.randomUUIDv7()))
  expect(unknownMsg.status).toBe(400)
  expect(shape(await messages(aliceMsg))).toEqual(unknownMsg)
  const session = t.deps.chat.as({ kind: 'user', userId: 'bob', rateKey: 'bob' })
  expect(await session.resumePoint(bobConvs[0] as string, { messageId: aliceMsg })).toEqual(
    await session.resumePoint(bobConvs[0] as string, { messageId: Bun.randomUUIDv7() }),
  )
  expect((await session.resumePoint(bobConvs[0] as string, { messageId: bobMsg })).resync).toBe(false)
})

test("a caller acting for every user, listing one user, pages with that user's cursors only", async () => {
  await using t = testApp({ BOT_PROVIDER: 'none' })
  const of = async (user_id: string) => (await t.call('POST', '/conversations/', { user_id })).body.id
  const alice = await of('alice')
  const bob = [await of('bob'), await of('bob')]
  const list = (q: string) => t.call('GET', `/conversations?${q}`)
  const unknown = await list(`user_id=bob&before=${Bun.randomUUIDv7()}`)
  expect(unknown.status).toBe(400)
  expect((await list(`user_id=bob&before=${alice}`)).body).toEqual(unknown.body)
  expect((await list(`user_id=bob&before=${bob[1]}`)).body.conversations.map((c: { id: string }) => c.id)).toEqual([
    bob[0],
  ])
  // Without a user filter every conversation is a cursor.
  expect((await list(`before=${alice}`)).status).toBe(200)
})
