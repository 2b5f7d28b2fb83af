import { Database } from 'bun:sqlite'
import { afterAll, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import fc from 'fast-check'
import { jsonValue } from './arbitraries'
import { contractOf } from './contract'
import { testApp } from './helpers'

/**
 * Property tests against the running app: thousands of generated bodies, query strings, path
 * ids and headers. Invariants: never a 5xx, every error has the JSON error shape, the server
 * keeps answering, and data stored before is unchanged.
 */
const dir = mkdtempSync(join(tmpdir(), 'parley-fuzz-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.string({ unit: 'binary' }), // lone surrogates included
  fc.constantFrom(
    "'; DROP TABLE messages; --",
    '" OR 1=1 --',
    '{"$gt": ""}',
    '__proto__',
    'constructor',
    'prototype',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '../../etc/passwd',
    '%00',
    '<script>alert(1)</script>',
    '𝔘🙂‍↔️',
    'x'.repeat(70_000),
    '-1',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
  ),
)
const value = jsonValue(hostile, ['__proto__', 'constructor', 'sender', 'content', 'user_id', 'metadata'])
/** Bodies near the real shapes (so they get past the outer checks) and far from them. */
const body = fc.oneof(
  value,
  fc.record(
    {
      user_id: value,
      title: value,
      metadata: value,
      sender: fc.oneof(fc.constantFrom('user', 'ai'), value),
      content: value,
      client_id: value,
      reply: value,
    },
    { requiredKeys: [] },
  ),
  fc.constant({ ['__proto__']: { polluted: true }, user_id: 'u' }),
  fc.integer({ min: 1, max: 64 }).map((depth) => {
    let v: unknown = 'deep'
    for (let i = 0; i < depth * 50; i++) v = { a: v }
    return { user_id: 'u', metadata: v }
  }),
)
/** Bodies that pass validation, so the paths behind it are exercised too. */
const valid = fc.record(
  {
    user_id: fc.string({ minLength: 1, maxLength: 20 }),
    title: fc.option(fc.string({ maxLength: 40, unit: 'grapheme' })),
    metadata: fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 }),
    sender: fc.constantFrom('user', 'ai'),
    content: fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
    client_id: fc.string({ minLength: 1, maxLength: 10 }),
    parent_id: fc.oneof(fc.constant(null), fc.uuid()),
    message_id: fc.uuid(),
    parts: fc.array(fc.record({ type: fc.constant('text'), text: fc.string({ minLength: 1, maxLength: 20 }) }), {
      maxLength: 3,
    }),
  },
  { requiredKeys: ['user_id', 'sender', 'content'] },
)
/** Assistant and quota bodies that pass the schema (or nearly): the registry's own checks run. */
const validAssistant = fc.record(
  {
    id: fc.oneof(fc.constantFrom('a1', 'default', 'x.y-z'), fc.string({ minLength: 1, maxLength: 70 })),
    name: fc.string({ minLength: 1, maxLength: 30, unit: 'binary' }),
    provider: fc.constantFrom('default', 'nope'),
    model: fc.option(fc.string({ maxLength: 20 })),
    system_prompt: fc.string({ maxLength: 40, unit: 'binary' }),
    temperature: fc.oneof(fc.double(), fc.constant(null)),
    suggestions: fc.array(fc.string({ maxLength: 10, unit: 'binary' }), { maxLength: 12 }),
    metadata: fc.dictionary(fc.string({ maxLength: 8 }), value, { maxKeys: 3 }),
    tokens_per_day: fc.oneof(fc.integer(), fc.constant(null), fc.double()),
    assistants: fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ tokens_per_month: fc.integer() }), {
      maxKeys: 2,
    }),
    assistant_id: fc.oneof(fc.constantFrom('default', 'nobody', null), hostile),
    approved: fc.oneof(fc.boolean(), value),
    output: value,
    error: hostile,
    client_tools: fc.array(fc.record({ name: hostile, description: hostile, parameters: value }), { maxLength: 3 }),
  },
  { requiredKeys: [] },
)
/**
 * Nesting written as text, up to 60,000 levels in any field: deeper than JSON.stringify (and
 * so the generated values above) can build, as an attacker sends it.
 */
const deepText = fc
  .record({
    field: fc.constantFrom('title', 'metadata', 'content', 'user_id', 'sender', 'reply', 'x'),
    depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 80, max: 60_000 })),
    open: fc.constantFrom('[', '{"a":', '[{"b":'),
  })
  .map(({ field, depth, open }) => {
    const close = open === '[' ? ']' : open === '{"a":' ? '}' : '}]'
    return `{"user_id":"u","sender":"user","${field}":${open.repeat(depth)}1${close.repeat(depth)}}`
  })
const raw = fc.oneof(
  { arbitrary: valid.map((b) => JSON.stringify(b)), weight: 3 },
  { arbitrary: validAssistant.map((b) => JSON.stringify(b)), weight: 2 },
  deepText,
  body.map((b) => JSON.stringify(b) ?? 'null'),
  fc.string(),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => new Uint8Array([0x7b, ...bytes])),
)
const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  '',
  'application/x-www-form-urlencoded',
  'application/json; charset=latin1',
  'application/vnd.api+json',
)
const segment = fc
  .oneof(hostile, fc.uuid(), fc.constant(Bun.randomUUIDv7()))
  .map((s) => encodeURIComponent(s.toWellFormed())) // URLs cannot carry lone surrogates
const query = fc.dictionary(
  fc.constantFrom(
    'page',
    'size',
    'limit',
    'before',
    'after',
    'subtree',
    'user_id',
    'from',
    'to',
    'model',
    '__proto__',
    'x',
  ),
  fc.oneof(hostile, fc.integer().map(String), fc.double().map(String)),
  { maxKeys: 4 },
)

test('no generated request gets a 5xx, a non-JSON error, or changes stored data', async () => {
  const path = join(dir, 'fuzz.db')
  await using t = testApp({
    DATABASE_URL: `sqlite:///${path}`,
    BOT_PROVIDER: 'none',
    RATE_LIMIT_REQUESTS: '10000000',
    MAX_BODY_BYTES: '262144',
  })
  // The witness: data no generated request may touch.
  const witness = (await t.call('POST', '/conversations/', { user_id: 'witness', title: 'keep', metadata: { a: 1 } }))
    .body
  for (let i = 0; i < 5; i++)
    await t.call('POST', `/conversations/${witness.id}/messages`, { sender: 'user', content: `m${i}` })
  const witnessRows = () => {
    const db = new Database(path, { readonly: true })
    try {
      return JSON.stringify(
        ['conversations', 'messages', 'events'].map((table) =>
          db
            .query(`SELECT * FROM ${table} WHERE ${table === 'conversations' ? 'id' : 'conversation_id'} = ?`)
            .all(witness.id),
        ),
      )
    } finally {
      db.close()
    }
  }
  const before = witnessRows()
  const target = (await t.call('POST', '/conversations/', { user_id: 'target' })).body.id as string
  const targetMessage = (await t.call('POST', `/conversations/${target}/messages`, { sender: 'user', content: 'x' }))
    .body.id as string

  const endpoints: [string, (id: string, mid: string) => string][] = [
    ['POST', () => '/conversations/'],
    ['GET', () => '/conversations'],
    ['GET', (id) => `/conversations/${id}`],
    ['PATCH', (id) => `/conversations/${id}`],
    ['DELETE', (id) => `/conversations/${id}`],
    ['POST', (id) => `/conversations/${id}/stop`],
    ['GET', (id) => `/conversations/${id}/messages`],
    ['POST', (id) => `/conversations/${id}/messages`],
    ['PUT', (id, mid) => `/conversations/${id}/messages/${mid}`],
    ['DELETE', (id, mid) => `/conversations/${id}/messages/${mid}`],
    ['POST', (id, mid) => `/conversations/${id}/messages/${mid}/regenerate`],
    ['GET', (id) => `/conversations/${id}/tree`],
    ['PUT', (id) => `/conversations/${id}/head`],
    ['POST', () => '/api/chat'],
    ['GET', (id) => `/api/chat/${id}/stream`],
    ['GET', (id) => `/api/chat/${id}/messages`],
    ['POST', (id) => `/api/chat/${id}/stop`],
    ['POST', () => '/files'],
    ['GET', (id) => `/files/${id}`],
    ['DELETE', (id) => `/files/${id}`],
    ['POST', (id, mid) => `/conversations/${id}/tool-calls/${mid}/result`],
    ['POST', (id, mid) => `/conversations/${id}/tool-calls/${mid}/approval`],
    ['GET', () => '/assistants'],
    ['POST', () => '/assistants'],
    ['GET', (id) => `/assistants/${id}`],
    ['PATCH', (id) => `/assistants/${id}`],
    ['DELETE', (id) => `/assistants/${id}`],
    ['GET', () => '/usage'],
    ['GET', (id) => `/quotas/${id}`],
    ['PUT', (id) => `/quotas/${id}`],
    ['DELETE', (id) => `/quotas/${id}`],
  ]
  let requests = 0
  const statuses: Record<number, number> = {}
  const contract = contractOf((await t.call('GET', '/openapi.json')).text)
  for (const [method, pathOf] of endpoints) {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(segment, fc.constant(target)),
        fc.oneof(segment, fc.constant(targetMessage)),
        query,
        raw,
        contentType,
        async (id, mid, q, payload, type) => {
          const url = `http://localhost${pathOf(id, mid)}?${new URLSearchParams(q as Record<string, string>)}`
          const init: RequestInit = { method, headers: type ? { 'content-type': type } : {} }
          if (method !== 'GET') init.body = payload
          const res = await t.app.handle(new Request(url, init))
          requests++
          statuses[res.status] = (statuses[res.status] ?? 0) + 1
          expect(res.status).toBeLessThan(500)
          const text = await res.text()
          contract.check(method, url, { status: res.status, headers: res.headers, text }) // as documented
          if (res.status >= 400) {
            const json: any = JSON.parse(text)
            expect(typeof json.code).toBe('string')
            expect(['string', 'object']).toContain(typeof json.detail)
          }
        },
      ),
      { numRuns: RUNS },
    )
  }
  expect(requests).toBeGreaterThanOrEqual(RUNS * endpoints.length)
  const ok = Object.entries(statuses)
    .filter(([s]) => Number(s) < 300)
    .reduce((n, [, c]) => n + c, 0)
  expect(ok / requests).toBeGreaterThan(0.1) // the generators reach past validation, not only into it
  expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  expect(witnessRows()).toBe(before)
  expect((await t.call('GET', '/health/ready')).status).toBe(200)
}, 120_000)

/** `arbitrary` one time in four, else undefined. */
const rarely = <T>(arbitrary: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: fc.constant(undefined), weight: 3 }, { arbitrary, weight: 1 })

/** A multipart body as an attacker writes it: any boundary, headers, names, types and cuts. */
const multipartBody = fc
  .record({
    boundary: fc.oneof(
      { arbitrary: fc.constantFrom('b', 'x'.repeat(70), '----WebKit123', 'a b'), weight: 4 },
      fc.string({ maxLength: 80 }),
    ),
    declared: rarely(fc.oneof(fc.string({ maxLength: 80 }), fc.constant(''))),
    parts: fc.array(
      fc.record({
        name: fc.oneof({ arbitrary: fc.constantFrom('file', 'user_id', '__proto__'), weight: 3 }, hostile),
        filename: fc.option(fc.oneof(hostile, fc.constantFrom('a.png', '../../x', 'C:\\x.png', 'a"b.png')), {
          nil: undefined,
        }),
        type: fc.option(
          fc.oneof(
            { arbitrary: fc.constant('image/png'), weight: 3 },
            fc.constantFrom('image/svg+xml', 'text/plain; charset=utf-8', 'application/pdf'),
            hostile,
          ),
          { nil: undefined },
        ),
        extra: rarely(fc.string({ maxLength: 200 })),
        data: fc.oneof(
          fc.uint8Array({ maxLength: 300 }),
          fc.constant(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 255])),
        ),
      }),
      { maxLength: 3 },
    ),
    user: fc.boolean(),
    cut: rarely(fc.nat()),
    garbage: rarely(fc.uint8Array({ maxLength: 100 })),
  })
  .map(({ boundary, declared, parts, user, cut, garbage }) => {
    const chunks: Uint8Array[] = []
    const text = (s: string) => chunks.push(new TextEncoder().encode(s))
    if (user) text(`--${boundary}\r\nContent-Disposition: form-data; name="user_id"\r\n\r\nu\r\n`)
    for (const p of parts) {
      const filename = p.filename === undefined ? '' : `; filename="${p.filename}"`
      text(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"${filename}\r\n`)
      if (p.type !== undefined) text(`Content-Type: ${p.type}\r\n`)
      if (p.extra !== undefined) text(`${p.extra}\r\n`)
      text('\r\n')
      chunks.push(p.data)
      text('\r\n')
    }
    text(`--${boundary}--\r\n`)
    if (garbage) chunks.push(garbage)
    const whole = Buffer.concat(chunks)
    const body = cut === undefined ? whole : whole.subarray(0, cut % (whole.length + 1))
    return { body, type: declared ?? `multipart/form-data; boundary=${boundary}` }
  })

/** Forms a client would send, with any file name and bytes after a PNG signature. */
const validForm = fc
  .record({ filename: fc.string({ maxLength: 40, unit: 'grapheme' }), data: fc.uint8Array({ maxLength: 300 }) })
  .map(({ filename, data }) => {
    const form = new FormData()
    form.append('user_id', 'u')
    form.append(
      'file',
      new File([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), data], filename, {
        type: 'image/png',
      }),
    )
    const request = new Request('http://x/', { method: 'POST', body: form })
    return { body: request.body as ReadableStream<Uint8Array>, type: request.headers.get('content-type') as string }
  })

test('no hostile multipart body to POST /files gets a 5xx or a non-JSON error', async () => {
  await using t = testApp({ BOT_PROVIDER: 'none', RATE_LIMIT_REQUESTS: '10000000', FILES_MAX_BYTES: '4096' })
  const contract = contractOf((await t.call('GET', '/openapi.json')).text)
  const statuses: Record<number, number> = {}
  await fc.assert(
    fc.asyncProperty(fc.oneof({ arbitrary: multipartBody, weight: 4 }, validForm), async ({ body, type }) => {
      const url = 'http://localhost/files'
      const res = await t.app.handle(new Request(url, { method: 'POST', body, headers: { 'content-type': type } }))
      statuses[res.status] = (statuses[res.status] ?? 0) + 1
      expect(res.status).toBeLessThan(500)
      const text = await res.text()
      contract.check('POST', url, { status: res.status, headers: res.headers, text })
      if (res.status >= 400) {
        const json: any = JSON.parse(text)
        expect(typeof json.code).toBe('string')
      }
    }),
    { numRuns: RUNS * 2 },
  )
  // The generators reach every outcome: stored, malformed (400), refused types (415) and fields (422).
  for (const status of [201, 400, 415, 422]) expect(statuses[status] ?? 0, JSON.stringify(statuses)).toBeGreaterThan(0)
  expect((await t.call('GET', '/health/ready')).status).toBe(200)
}, 60_000)
