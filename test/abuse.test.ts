import { describe, expect, test } from 'bun:test'
import { newConversation, testApp } from './helpers'
import { liveServer, wsClient } from './live'

describe('rate limits', () => {
  test('REST: RATE_LIMIT_REQUESTS per minute, then 429 with Retry-After', async () => {
    await using t = testApp({ RATE_LIMIT_REQUESTS: '5' })
    for (let i = 0; i < 5; i++) expect((await t.call('GET', '/conversations')).status).toBe(200)
    const limited = await t.call('GET', '/conversations')
    expect(limited.status).toBe(429)
    expect(limited.body.code).toBe('rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect((await t.call('GET', '/health/')).status).toBe(200) // health is never limited
  })

  test('messages that make the bot answer: RATE_LIMIT_MESSAGES, over REST and sockets alike', async () => {
    await using live = await liveServer({ RATE_LIMIT_MESSAGES: '2', BUILTIN_BOT_DELAY_MS: '0' })
    const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
    using c = await wsClient(live.ws)
    await c.join(id)
    c.emit('send_message', { conversationId: id, content: 'one' })
    await c.next('new_message', (d) => d.content === 'one')
    expect(
      (await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'two', reply: true }))
        .status,
    ).toBe(201)
    c.emit('send_message', { conversationId: id, content: 'three' })
    expect(await c.next('error')).toMatchObject({ code: 'rate_limited' })
    const rest = await live.call('POST', `/conversations/${id}/messages`, {
      sender: 'user',
      content: 'four',
      reply: true,
    })
    expect(rest.status).toBe(429)
    // Messages that do not wake the bot are not counted against it.
    expect((await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'five' })).status).toBe(
      201,
    )
  })

  test('the client address is the socket peer, X-Forwarded-For only with TRUST_PROXY=true', async () => {
    for (const trust of ['false', 'true']) {
      await using live = await liveServer({ RATE_LIMIT_REQUESTS: '2', TRUST_PROXY: trust })
      const statuses: number[] = []
      // As nginx's $proxy_add_x_forwarded_for sends it: what the client sent, then its real address.
      for (const ip of ['10.0.0.1', '10.0.0.2', '10.0.0.3']) {
        const res = await fetch(`${live.base}/conversations`, { headers: { 'x-forwarded-for': `127.0.0.1, ${ip}` } })
        statuses.push(res.status)
      }
      // Trusted: three clients, one request each. Untrusted: one client (the peer), over budget.
      expect(statuses).toEqual(trust === 'true' ? [200, 200, 200] : [200, 200, 429])
    }
  })

  test('behind a trusted proxy, rotating the X-Forwarded-For a client sends does not escape its budget', async () => {
    await using live = await liveServer({ RATE_LIMIT_REQUESTS: '2', TRUST_PROXY: 'true' })
    const statuses: number[] = []
    for (const spoofed of ['1.1.1.1', '2.2.2.2', '3.3.3.3', '4.4.4.4']) {
      const headers = { 'x-forwarded-for': `${spoofed}, 203.0.113.9` } // the proxy appended the real one
      statuses.push((await fetch(`${live.base}/conversations`, { headers })).status)
    }
    expect(statuses).toEqual([200, 200, 429, 429])
  })
})

describe('caps', () => {
  test('metadata size and depth', async () => {
    await using t = testApp({ MAX_METADATA_BYTES: '64', MAX_METADATA_DEPTH: '3' })
    const big = await t.call('POST', '/conversations/', { user_id: 'u', metadata: { x: 'y'.repeat(100) } })
    expect(big.status).toBe(422)
    expect(big.body.detail[0]).toMatchObject({ loc: ['body', 'metadata'], type: 'metadata_too_large' })
    const deep = await t.call('POST', '/conversations/', { user_id: 'u', metadata: { a: { b: { c: { d: 1 } } } } })
    expect(deep.status).toBe(422)
    expect(deep.body.detail[0].type).toBe('metadata_too_deep')
    expect((await t.call('POST', '/conversations/', { user_id: 'u', metadata: { a: { b: { c: 1 } } } })).status).toBe(
      201,
    )
    const id = await newConversation(t)
    expect(
      (
        await t.call('POST', `/conversations/${id}/messages`, {
          sender: 'user',
          content: 'x',
          metadata: { x: 'y'.repeat(100) },
        })
      ).status,
    ).toBe(422)
    expect((await t.call('PATCH', `/conversations/${id}`, { metadata: { a: { b: { c: { d: 1 } } } } })).status).toBe(
      422,
    )
  })

  test('text every database can store: NUL and lone surrogates are 422, everywhere', async () => {
    await using t = testApp()
    const id = await newConversation(t)
    for (const [path, body] of [
      ['/conversations/', '{"user_id":"a\\u0000b"}'],
      ['/conversations/', '{"user_id":"u","title":"\\ud800"}'],
      [`/conversations/${id}/messages`, '{"sender":"user","content":"nul \\u0000 inside"}'],
      [`/conversations/${id}/messages`, '{"sender":"user","content":"half \\udc00 pair"}'],
      [`/conversations/${id}/messages`, '{"sender":"user","content":"ok","metadata":{"k":"\\u0000"}}'],
    ] as const) {
      const res = await t.call('POST', path, body)
      expect(res.status, body).toBe(422)
      expect(['string_nul', 'string_unicode']).toContain(res.body.detail[0].type)
    }
    expect((await t.call('GET', '/conversations?user_id=%00')).status).toBe(422)
    expect((await t.call('GET', `/conversations/${id}`)).body.message_count).toBe(0)
  })
})

test('security headers on every response; a strict CSP on the docs page', async () => {
  await using t = testApp()
  for (const path of ['/health/', '/conversations', '/nope']) {
    const { headers } = await t.call('GET', path)
    expect(headers.get('x-content-type-options')).toBe('nosniff')
    expect(headers.get('referrer-policy')).toBe('no-referrer')
    expect(headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'")
  }
  const docs = await t.call('GET', '/docs')
  const csp = docs.headers.get('content-security-policy') ?? ''
  expect(csp).toContain("script-src 'self'")
  expect(csp).not.toContain('http')
  expect(csp).toContain("frame-ancestors 'none'")
})

test('with AUTH_MODE=none on a public interface, start-up prints a warning', async () => {
  const proc = Bun.spawn(
    [
      process.execPath,
      `${import.meta.dir}/../src/main.ts`,
      '--host',
      '0.0.0.0',
      '--port',
      '0',
      '--database-url',
      'sqlite::memory:',
    ],
    {
      env: { ...process.env, LOG_FORMAT: 'json' },
      stdout: 'pipe',
    },
  )
  const reader = proc.stdout.getReader()
  let text = ''
  while (!text.includes('WARNING')) {
    const { value, done } = await reader.read()
    if (done) break
    text += new TextDecoder().decode(value)
  }
  proc.kill('SIGTERM')
  await proc.exited
  expect(text).toContain('WARNING: AUTH_MODE=none on 0.0.0.0')
})
