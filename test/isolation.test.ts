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
  const aliceBefore = rowsOf(path, conv.id)

  const routes = t.app.routes.filter((r) => !PUBLIC.has(r.path.replace(/\/$/, '') || '/') && !PUBLIC.has(r.path))
  expect(routes.length).toBeGreaterThanOrEqual(11) // every conversation and message route
  for (const route of routes) {
    if (route.method === 'OPTIONS' || route.path.includes('*')) continue
    const url = route.path.replace(':id', conv.id).replace(':message_id', msg.id)
    const body = ['POST', 'PUT', 'PATCH'].includes(route.method)
      ? { sender: 'user', content: 'x', title: 'x', user_id: 'bob' }
      : undefined
    const anonymous = await t.call(route.method, url, body)
    expect(anonymous.status, `${route.method} ${route.path} without a token`).toBe(401)
    const res = await t.call(route.method, url, body, bob)
    const label = `${route.method} ${route.path} as another user`
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
  expect(listed.map((c: { user_id: string }) => c.user_id)).toEqual(['bob']) // the one bob created above
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
