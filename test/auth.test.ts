import { describe, expect, test } from 'bun:test'
import { testApp } from './helpers'
import { API_KEY, jwksServer, SECRET, userToken } from './tokens'

const bearer = (token: string) => ({ authorization: `Bearer ${token}` })

describe('AUTH_MODE=apikey', () => {
  const env = { AUTH_MODE: 'apikey', API_KEYS: `other-key,${API_KEY}` }

  test('requests without a valid key get 401 JSON; health and docs stay public', async () => {
    await using t = testApp(env)
    for (const headers of [{}, bearer('wrong'), { 'x-api-key': 'wrong' }, { authorization: API_KEY }]) {
      const res = await t.call('GET', '/conversations', undefined, headers)
      expect(res.status).toBe(401)
      expect(res.body.code).toBe('unauthorized')
      expect(res.headers.get('www-authenticate')).toBe('Bearer')
    }
    for (const path of ['/health/', '/health/ready', '/docs', '/openapi.json', '/'])
      expect((await t.call('GET', path)).status).toBe(200)
    // 401 comes before validation: an anonymous caller learns nothing about the body's shape.
    expect((await t.call('POST', '/conversations/', { bad: 1 })).status).toBe(401)
  })

  test('a key holder acts for any user, by Authorization: Bearer or X-API-Key', async () => {
    await using t = testApp(env)
    const a = await t.call('POST', '/conversations/', { user_id: 'alice' }, bearer(API_KEY))
    expect(a.status).toBe(201)
    const b = await t.call('POST', '/conversations/', { user_id: 'bob' }, { 'x-api-key': 'other-key' })
    expect(b.status).toBe(201)
    expect((await t.call('GET', `/conversations/${a.body.id}`, undefined, { 'x-api-key': 'other-key' })).status).toBe(
      200,
    )
    expect(t.log.lines.join('')).not.toContain(API_KEY)
  })

  test('the routes learn the caller at once, without a promise, when no token needs verifying', async () => {
    await using t = testApp(env)
    const request = new Request('http://localhost/conversations', { headers: bearer(API_KEY) })
    const found = t.deps.requestAuth.derive({ request })
    expect(found).not.toBeInstanceOf(Promise)
    expect(found).toEqual({ actor: { kind: 'service', rateKey: 'key:1' } })
    expect(() => t.deps.requestAuth.derive({ request: new Request('http://localhost/') })).toThrow(
      'Authentication required',
    )
  })
})

describe('AUTH_MODE=jwt', () => {
  const env = { AUTH_MODE: 'jwt', JWT_SECRET: SECRET, API_KEYS: API_KEY }

  test("a user's conversations take the token's sub; another user_id is 403", async () => {
    await using t = testApp(env)
    const alice = bearer(await userToken('alice'))
    const created = await t.call('POST', '/conversations/', { title: 'mine' }, alice)
    expect(created.status).toBe(201)
    expect(created.body.user_id).toBe('alice')
    expect((await t.call('POST', '/conversations/', { user_id: 'alice' }, alice)).status).toBe(201)
    const forged = await t.call('POST', '/conversations/', { user_id: 'bob' }, alice)
    expect(forged.status).toBe(403)
    expect(forged.body.code).toBe('forbidden')
    expect((await t.call('GET', '/conversations?user_id=bob', undefined, alice)).status).toBe(403)
    const mine = await t.call('GET', '/conversations', undefined, alice)
    expect(mine.body.conversations.map((c: { user_id: string }) => c.user_id)).toEqual(['alice', 'alice'])
    // API keys keep working beside user tokens, and they need an explicit user_id.
    expect((await t.call('POST', '/conversations/', { user_id: 'carol' }, bearer(API_KEY))).status).toBe(201)
    expect((await t.call('POST', '/conversations/', {}, bearer(API_KEY))).status).toBe(422)
    expect((await t.call('GET', '/conversations', undefined, bearer(API_KEY))).body.conversations).toHaveLength(3)
  })

  test('with user tokens the routes wait for the verification', async () => {
    await using t = testApp(env)
    const request = new Request('http://localhost/conversations', { headers: bearer(await userToken('alice')) })
    const found = t.deps.requestAuth.derive({ request })
    expect(found).toBeInstanceOf(Promise)
    expect((await found).actor).toMatchObject({ kind: 'user', userId: 'alice' })
  })

  test.each([
    ['an expired token', () => userToken('alice', { ttlS: -10 })],
    ['a token not valid yet', () => userToken('alice', { nbf: Math.floor(Date.now() / 1000) + 600 })],
    [
      'a token signed with another secret',
      () => userToken('alice', { secret: 'another-secret-0123456789-abcdefghij' }),
    ],
    ['a token without sub', async () => (await userToken('')).toString()],
    ['garbage', async () => 'not.a.jwt'],
    ['an unsigned token', async () => `${btoa('{"alg":"none"}')}.${btoa('{"sub":"alice"}')}.`],
  ])('%s is 401', async (_name, make) => {
    await using t = testApp(env)
    const res = await t.call('GET', '/conversations', undefined, bearer(await make()))
    expect(res.status).toBe(401)
    expect(res.body.code).toBe('unauthorized')
  })

  test('issuer and audience are checked when configured', async () => {
    await using t = testApp({ ...env, JWT_ISSUER: 'https://auth.example', JWT_AUDIENCE: 'parley' })
    const good = await userToken('alice', { claims: { iss: 'https://auth.example', aud: 'parley' } })
    expect((await t.call('GET', '/conversations', undefined, bearer(good))).status).toBe(200)
    for (const claims of [
      { iss: 'https://evil.example', aud: 'parley' },
      { iss: 'https://auth.example', aud: 'other' },
      {},
    ]) {
      expect(
        (await t.call('GET', '/conversations', undefined, bearer(await userToken('alice', { claims })))).status,
      ).toBe(401)
    }
  })

  test('RS256 tokens are verified against JWT_JWKS_URL, whose keys are cached', async () => {
    const jwks = await jwksServer()
    try {
      await using t = testApp({ AUTH_MODE: 'jwt', JWT_JWKS_URL: jwks.url })
      for (let i = 0; i < 3; i++) {
        const res = await t.call('POST', '/conversations/', {}, bearer(await jwks.sign('dana')))
        expect(res.status).toBe(201)
        expect(res.body.user_id).toBe('dana')
      }
      expect(jwks.hits).toBe(1)
      expect((await t.call('GET', '/conversations', undefined, bearer(await userToken('dana')))).status).toBe(401) // HS256 not accepted
    } finally {
      jwks.stop()
    }
  })

  test('a JWKS outage is 503 service_unavailable with Retry-After, logged once, not 401 for valid users', async () => {
    const jwks = await jwksServer()
    try {
      jwks.fail(500)
      await using t = testApp({ AUTH_MODE: 'jwt', JWT_JWKS_URL: jwks.url })
      const token = await jwks.sign('erin')
      for (let i = 0; i < 3; i++) {
        const res = await t.call('GET', '/conversations', undefined, bearer(token))
        expect(res.status).toBe(503)
        expect(res.body.code).toBe('service_unavailable')
        expect(res.headers.get('retry-after')).toBe('5')
      }
      expect(t.log.lines.filter((l) => l.includes('JWKS unavailable')).length).toBe(1)
      jwks.fail(null)
      expect((await t.call('GET', '/conversations', undefined, bearer(token))).status).toBe(200)
      // With the keys available, a token signed by someone else is still 401.
      const stranger = await jwksServer()
      expect((await t.call('GET', '/conversations', undefined, bearer(await stranger.sign('erin')))).status).toBe(401)
      stranger.stop()
    } finally {
      jwks.stop()
    }
    // Nothing listening at all.
    await using down = testApp({ AUTH_MODE: 'jwt', JWT_JWKS_URL: 'http://127.0.0.1:9/jwks.json' })
    const res = await down.call('GET', '/conversations', undefined, bearer(await jwks.sign('erin')))
    expect(res.status).toBe(503)
  })

  test('a subject with NUL or control characters is not a usable user id', async () => {
    await using t = testApp({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET })
    for (const sub of ['carol\u0000', 'a\nb', '\u0007']) {
      const res = await t.call('GET', '/conversations', undefined, bearer(await userToken(sub)))
      expect(res.status).toBe(401)
      expect(res.body.detail).toContain('subject')
    }
    expect((await t.call('GET', '/conversations', undefined, bearer(await userToken('carol ü')))).status).toBe(200)
  })
})
