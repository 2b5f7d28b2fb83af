import { describe, expect, test } from 'bun:test'
import type { Bot } from '../src/bots/bot'
import { testApp } from './helpers'
import { liveServer } from './live'
import { rawConnection } from './raw-http'

const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`

describe('deeply nested JSON', () => {
  test('any depth past MAX_JSON_DEPTH is 400 json_too_deep, in every field, before validation', async () => {
    await using t = testApp()
    const id = (await t.call('POST', '/conversations/', { user_id: 'u' })).body.id
    for (const depth of [33, 20_000, 50_000]) {
      for (const [method, path, field] of [
        ['PATCH', `/conversations/${id}`, 'title'],
        ['PATCH', `/conversations/${id}`, 'metadata'],
        ['POST', `/conversations/${id}/messages`, 'content'],
        ['POST', '/conversations/', 'metadata'],
      ] as const) {
        const res = await t.call(method, path, `{"sender":"user","${field}":${nested(depth)}}`)
        expect(res.status, `${field} at ${depth}`).toBe(400)
        expect(res.body).toMatchObject({ code: 'json_too_deep' })
      }
    }
    // Within the limit, the usual validation answer.
    expect((await t.call('PATCH', `/conversations/${id}`, `{"title":${nested(20)}}`)).status).toBe(422)
  })

  test('the limit is configurable', async () => {
    await using t = testApp({ MAX_JSON_DEPTH: '2' })
    const res = await t.call('POST', '/conversations/', { user_id: 'u', metadata: { a: { b: 1 } } })
    expect(res.body.code).toBe('json_too_deep')
    expect((await t.call('POST', '/conversations/', { user_id: 'u', metadata: { a: 1 } })).status).toBe(201)
  })
})

test('a validation answer is small whatever the input', async () => {
  await using t = testApp({ MAX_BODY_BYTES: '4194304' })
  const huge = 'k'.repeat(500_000)
  const id = (await t.call('POST', '/conversations/', { user_id: 'u' })).body.id
  const bodies = [
    { user_id: huge },
    { user_id: 'u', title: huge },
    { user_id: 'u', metadata: { [huge]: { [huge]: 1 } } },
    Object.fromEntries(Array.from({ length: 5_000 }, (_, i) => [`f${i}`, [i]])),
  ]
  for (const body of bodies) {
    const res = await t.call('POST', '/conversations/', body)
    expect(res.status).toBeGreaterThanOrEqual(400)
    expect(res.status).toBeLessThan(500)
    expect(res.text.length).toBeLessThan(8_000)
  }
  const res = await t.call('POST', `/conversations/${id}/messages`, { sender: huge, content: huge })
  expect(res.status).toBe(422)
  expect(res.text.length).toBeLessThan(8_000)
})

test('unauthenticated callers get 401 before their body is read or parsed', async () => {
  await using t = testApp({ AUTH_MODE: 'apikey', API_KEYS: 'k1' })
  for (const [body, type] of [
    ['not json', 'application/json'],
    [nested(50_000), 'application/json'],
    ['x=1', 'text/plain'],
  ] as const) {
    const res = await t.call('POST', '/conversations/', body, { 'content-type': type })
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('unauthorized')
  }
  const ok = await t.call('POST', '/conversations/', { user_id: 'u' }, { authorization: 'Bearer k1' })
  expect(ok.status).toBe(201)
})

test('routing follows the real path whatever the Host header', async () => {
  await using t = testApp()
  for (const host of ['a', 'ab', 'abc', 'x.y']) {
    const health = await t.app.handle(new Request(`http://${host}/health/`))
    expect(health.status).toBe(200)
    expect(((await health.json()) as { status: string }).status).toBe('ok')
    expect((await t.app.handle(new Request(`http://${host}/docsx/conversations`))).status).toBe(404)
  }
})

describe('slow and oversized requests on a live server', () => {
  test('a body that does not arrive within BODY_TIMEOUT_MS gets a JSON 408 and the connection closes', async () => {
    await using live = await liveServer({ BODY_TIMEOUT_MS: '300' })
    using conn = await rawConnection(live.base)
    conn.write(
      'POST /conversations/ HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{',
    )
    // A byte every 100 ms keeps the connection from ever being idle.
    for (let i = 0; i < 10 && !conn.closed && !conn.received; i++) {
      await Bun.sleep(100)
      conn.write(' ')
    }
    expect(await conn.closedWithin(3_000)).toBe(true)
    expect(conn.received).toStartWith('HTTP/1.1 408')
    expect(conn.received).toContain('"code":"request_timeout"')
  })

  test('Accept: text/event-stream no longer lifts the idle timeout before the caller is admitted', async () => {
    await using live = await liveServer({ HTTP_IDLE_TIMEOUT_S: '1', BODY_TIMEOUT_MS: '60000' })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    using conn = await rawConnection(live.base)
    conn.write(
      `POST /conversations/${id}/messages HTTP/1.1\r\nHost: t\r\nAccept: text/event-stream\r\n` +
        'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n',
    )
    expect(await conn.closedWithin(5_000)).toBe(true)
  })

  test('a streamed reply of an admitted caller outlives the idle timeout', async () => {
    // A model that thinks for 5.5 s before its first token: longer than Bun's idle cut (it
    // closed idle connections after about 4 s with HTTP_IDLE_TIMEOUT_S=1).
    const thinker: Bot = {
      name: 'thinker',
      async *reply(_input, signal) {
        await Bun.sleep(5_500)
        if (!signal.aborted) yield { type: 'delta', text: 'done thinking' }
      },
    }
    await using live = await liveServer({ HTTP_IDLE_TIMEOUT_S: '1', BOT_FIRST_TOKEN_TIMEOUT_MS: '30000' }, thinker)
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    const res = await fetch(`${live.base}/conversations/${id}/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
      body: JSON.stringify({ sender: 'user', content: 'hi' }),
    })
    const text = await res.text()
    expect(text).toContain('done thinking')
    expect(text).toContain('"replied":true')
  }, 15_000)

  test('bodies far over MAX_BODY_BYTES get the JSON 413, not an empty one', async () => {
    await using live = await liveServer({ MAX_BODY_BYTES: '1024' })
    const res = await fetch(`${live.base}/conversations/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `{"user_id":"${'u'.repeat(10_000_000)}"}`,
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { code: string }).code).toBe('payload_too_large')
  })

  test("Socket.IO's engine answers carry the security headers and a request id", async () => {
    await using live = await liveServer()
    for (const path of ['/socket.io/?EIO=4&transport=polling', '/socket.io/?EIO=4&transport=polling&sid=nope']) {
      const res = await fetch(live.base + path)
      await res.text()
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('x-request-id'), path).toBeTruthy()
    }
  })

  test('a refused WebSocket upgrade carries the security headers and a request id', async () => {
    await using live = await liveServer({ ALLOWED_ORIGINS: 'https://ok.example' })
    const res = await fetch(`${live.base}/ws`, {
      headers: {
        upgrade: 'websocket',
        connection: 'upgrade',
        origin: 'https://evil.example',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      },
    })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('x-request-id')).toBeTruthy()
    expect(((await res.json()) as { code: string }).code).toBe('origin_not_allowed')
  })
})
