import { describe, expect, test } from 'bun:test'
import { Elysia } from 'elysia'
import { newConversation, testApp } from './helpers'
import { liveServer } from './live'

describe('error envelope', () => {
  test('malformed JSON is 400, invalid UTF-8 too', async () => {
    await using t = testApp()
    for (const body of ['{"user_id":', '{bad json}', 'null x']) {
      const res = await t.call('POST', '/conversations/', body)
      expect(res.status).toBe(400)
      expect(res.body).toEqual({ detail: 'Request body is not valid JSON', code: 'invalid_json' })
    }
    const bytes = new Uint8Array([0x7b, 0x22, 0x75, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) // {"u":"\xff\xfe"}
    const res = await t.app.handle(
      new Request('http://localhost/conversations/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: bytes,
      }),
    )
    expect(res.status).toBe(400)
  })

  test('a body that is not JSON is 415', async () => {
    await using t = testApp()
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonx',
    ]) {
      const res = await t.call('POST', '/conversations/', '{"user_id":"u"}', { 'content-type': type })
      expect(res.status).toBe(415)
      expect(res.body.code).toBe('unsupported_media_type')
    }
    const ok = await t.call('POST', '/conversations/', '{"user_id":"u"}', {
      'content-type': 'application/json; charset=utf-8',
    })
    expect(ok.status).toBe(201)
  })

  test('a body over MAX_BODY_BYTES is 413, by Content-Length or while reading a chunked body', async () => {
    await using t = testApp({ MAX_BODY_BYTES: '2048' })
    const big = JSON.stringify({ user_id: 'u', title: 'x'.repeat(3000) })
    const res = await t.call('POST', '/conversations/', big)
    expect(res.status).toBe(413)
    expect(res.body.code).toBe('payload_too_large')
    const chunks = [big.slice(0, 1500), big.slice(1500)]
    const stream = new ReadableStream({
      start(c) {
        for (const part of chunks) c.enqueue(new TextEncoder().encode(part))
        c.close()
      },
    })
    const chunked = await t.app.handle(
      new Request('http://localhost/conversations/', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: stream,
      }),
    )
    expect(chunked.status).toBe(413)
    expect(((await t.call('GET', '/conversations')).body.conversations as unknown[]).length).toBe(0)
  })

  test('a 413 by Content-Length over the network is an error like any other: request id, CORS, logged', async () => {
    // A Request built in a test has no Content-Length; a real client's has, and it is refused
    // before the body is read.
    await using live = await liveServer({ MAX_BODY_BYTES: '2048' })
    const res = await fetch(`${live.base}/conversations/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://app.example' },
      body: JSON.stringify({ user_id: 'u', title: 'x'.repeat(3000) }),
    })
    expect(res.status).toBe(413)
    expect(((await res.json()) as { code: string }).code).toBe('payload_too_large')
    const id = res.headers.get('x-request-id')
    expect(id).toBeTruthy()
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const logged = live.log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')
    expect(logged.at(-1)).toMatchObject({ status: 413, request_id: id })
  })

  test('unknown routes are a JSON 404', async () => {
    await using t = testApp()
    for (const path of ['/nope', '/conversations/x/y/z', '/health/nothing']) {
      const res = await t.call('GET', path)
      expect(res.status).toBe(404)
      expect(res.body).toEqual({ detail: 'Not Found', code: 'not_found' })
    }
  })

  test('an unexpected failure is a 500 with a request id, logged with its stack, no stack in the body', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    await t.store.close() // the database goes away under the app
    const res = await t.call('GET', `/conversations/${id}`, undefined, { 'x-request-id': 'req-42' })
    expect(res.status).toBe(500)
    expect(res.body).toEqual({ detail: 'Internal Server Error', code: 'internal_error', request_id: 'req-42' })
    expect(res.headers.get('x-request-id')).toBe('req-42')
    expect(res.text).not.toContain('at ')
    const logged = t.log.lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'request failed')
    expect(logged.request_id).toBe('req-42')
    expect(logged.err.stack).toContain('Error')
  })

  test('request ids are honoured when sane, generated otherwise, and returned', async () => {
    await using t = testApp()
    expect(
      (await t.call('GET', '/health/', undefined, { 'x-request-id': 'abc-123' })).headers.get('x-request-id'),
    ).toBe('abc-123')
    const generated = (await t.call('GET', '/health/', undefined, { 'x-request-id': 'bad id with spaces' })).headers
    expect(generated.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/)
    expect((await t.call('GET', '/nope')).headers.get('x-request-id')).toBeTruthy()
    await Bun.sleep(5) // the access log is written after the response is sent
    const line = JSON.parse(t.log.lines.find((l) => l.includes('"abc-123"')) as string)
    expect(line).toMatchObject({ msg: 'request', method: 'GET', path: '/health/', status: 200, request_id: 'abc-123' })
    expect(typeof line.duration_ms).toBe('number')
  })

  test('the access log records the status an error response was sent with', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    const statuses = [
      (await t.call('GET', '/no/such/route')).status,
      (await t.call('GET', `/conversations/${id}/nope`)).status,
      (await t.call('POST', '/conversations/', '{bad')).status,
      (await t.call('POST', '/conversations/', {})).status,
    ]
    expect(statuses).toEqual([404, 404, 400, 422])
    await Bun.sleep(5)
    const logged = t.log.lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request')
    expect(logged.slice(-4).map((l) => l.status)).toEqual(statuses)
  })
})

describe('CORS', () => {
  test('with "*": any origin, no credentials; preflight answered', async () => {
    await using t = testApp()
    const res = await t.call('GET', '/health/', undefined, { origin: 'https://app.example' })
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    const pre = await t.app.handle(
      new Request('http://localhost/conversations/', {
        method: 'OPTIONS',
        headers: {
          origin: 'https://app.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      }),
    )
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-methods')).toContain('POST')
    expect(pre.headers.get('access-control-allow-headers')).toContain('content-type')
  })

  test('with a list: listed origins get credentials, others get no allow-origin', async () => {
    await using t = testApp({ CORS_ORIGINS: 'https://a.example, https://b.example' })
    const ok = await t.call('GET', '/health/', undefined, { origin: 'https://b.example' })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://b.example')
    expect(ok.headers.get('access-control-allow-credentials')).toBe('true')
    const no = await t.call('GET', '/health/', undefined, { origin: 'https://evil.example' })
    expect(no.headers.get('access-control-allow-origin')).toBeNull()
    const err = await t.call('GET', '/nope', undefined, { origin: 'https://a.example' })
    expect(err.headers.get('access-control-allow-origin')).toBe('https://a.example')
  })
})

describe('health', () => {
  test('liveness on /health/ and /health/check, readiness follows the database', async () => {
    await using t = testApp()
    for (const path of ['/health', '/health/', '/health/check', '/health/check/']) {
      const res = await t.call('GET', path)
      expect(res.status).toBe(200)
      expect(res.body).toMatchObject({ status: 'ok', version: t.deps.version })
      expect(typeof res.body.uptime_s).toBe('number')
    }
    expect((await t.call('GET', '/health/ready')).status).toBe(200)
    await t.store.close()
    const down = await t.call('GET', '/health/ready')
    expect(down.status).toBe(503)
    expect(down.body).toMatchObject({ detail: 'Database unavailable', code: 'not_ready' })
  })
})

// Elysia reads each hook's source to decide what every request must prepare. A hook that hands
// its context to a function makes it prepare everything: copy all headers into an object, parse
// cookies, define a server getter. No route uses those, so none may pay for them.
test('no route makes Elysia copy headers or parse cookies for every request', async () => {
  // The markers below are what Elysia generates when a hook hands its context on: check that
  // they still are, so the test cannot pass only because Elysia's generated code changed.
  const inspect = (ctx: object) => ctx
  const control = new Elysia().onBeforeHandle((ctx) => void inspect(ctx)).get('/', () => 'ok')
  control.compile()
  const controlCode = String((control.routes[0] as unknown as { compile(): unknown }).compile())
  for (const marker of ['headers.toJSON()', 'parseCookie(', "defineProperty(c,'server'"])
    expect(controlCode).toContain(marker)

  await using t = testApp({ METRICS: 'true' })
  t.app.compile()
  const routes = t.app.routes as unknown as { method: string; path: string; compile(): unknown }[]
  expect(routes.length).toBeGreaterThan(10)
  for (const route of routes) {
    const code = String(route.compile())
    expect(code, `${route.method} ${route.path}`).not.toContain('headers.toJSON()')
    expect(code, `${route.method} ${route.path}`).not.toContain('parseCookie(')
    expect(code, `${route.method} ${route.path}`).not.toContain("defineProperty(c,'server'")
  }
})
