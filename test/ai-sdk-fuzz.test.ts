import { expect, test } from 'bun:test'
import fc from 'fast-check'
import { jsonValue } from './arbitraries'
import { contractOf } from './contract'
import { testApp } from './helpers'

const RUNS = Number(process.env.FUZZ_RUNS ?? 300)

const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', '__proto__', '\ud800', 'x'.repeat(300), 'data:image/png;base64,AAAA', 'javascript:1'),
)
const value = jsonValue(hostile, ['type', 'text', 'url', 'mediaType', 'data', 'id', 'role'], 4)
/** UIMessage parts near the real ones, with hostile values in their fields. */
const part = fc.oneof(
  fc.record({ type: fc.constant('text'), text: fc.oneof(fc.string({ maxLength: 40 }), value) }),
  fc.record({
    type: fc.constant('file'),
    mediaType: fc.oneof(fc.constant('image/png'), value),
    url: fc.oneof(hostile, value),
  }),
  fc.record({
    type: fc.constantFrom('data-x', 'reasoning', 'step-start', 'tool-x', 'source-url'),
    data: value,
    url: value,
  }),
  value,
)
const message = fc.record(
  {
    id: fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), value),
    role: fc.oneof(fc.constantFrom('user', 'assistant', 'system'), value),
    parts: fc.oneof(fc.array(part, { maxLength: 5 }), value),
    metadata: value,
  },
  { requiredKeys: ['id', 'role', 'parts'] },
)
const body = fc.record(
  {
    id: fc.oneof(fc.constantFrom('chat-1', 'chat-2', Bun.randomUUIDv7()), hostile),
    messages: fc.oneof(fc.array(message, { maxLength: 4 }), value),
    trigger: fc.oneof(fc.constantFrom('submit-message', 'regenerate-message'), value),
    messageId: fc.oneof(fc.constantFrom('m1', Bun.randomUUIDv7()), hostile),
    user_id: fc.oneof(fc.constantFrom('u', 'v'), hostile),
  },
  { requiredKeys: ['id', 'messages', 'trigger'] },
)

/** Requests useChat could send, with generated text and data, so the paths past validation run too. */
const validBody = fc.record({
  id: fc.constantFrom('chat-1', 'chat-2'),
  messages: fc.tuple(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 8 }),
      role: fc.constant('user'),
      parts: fc.array(
        fc.oneof(
          fc.record({ type: fc.constant('text'), text: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }) }),
          fc.record({ type: fc.constant('data-note'), data: value }),
        ),
        { minLength: 1, maxLength: 3 },
      ),
    }),
  ),
  trigger: fc.constantFrom('submit-message', 'submit-message', 'regenerate-message'),
})

test('POST /api/chat: generated useChat requests get a UI message stream or a JSON 4xx, never a 5xx', async () => {
  await using t = testApp({
    BOT_PROVIDER: 'builtin',
    BUILTIN_BOT_DELAY_MS: '0',
    RATE_LIMIT_MESSAGES: '1000000',
    RATE_LIMIT_REQUESTS: '1000000',
  })
  const contract = contractOf((await t.call('GET', '/openapi.json')).text)
  const statuses: Record<number, number> = {}
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(
        { arbitrary: validBody.map((b) => JSON.stringify(b)), weight: 2 },
        body.map((b) => JSON.stringify(b)),
        fc.string(),
      ),
      async (text) => {
        const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: text }
        const res = await t.app.handle(new Request('http://localhost/api/chat', init))
        statuses[res.status] = (statuses[res.status] ?? 0) + 1
        expect(res.status).toBeLessThan(500)
        const answer = await res.text()
        contract.check('POST', '/api/chat', { status: res.status, headers: res.headers, text: answer })
        if (res.status >= 400) expect(typeof JSON.parse(answer).code).toBe('string')
        else expect(answer.trimEnd().endsWith('data: [DONE]')).toBe(true)
      },
    ),
    { numRuns: RUNS },
  )
  expect(statuses[200] ?? 0).toBeGreaterThan(RUNS / 20) // the generator reaches past validation
  for (const path of ['/api/chat/chat-1/messages', '/api/chat/chat-1/stream', '/api/chat/%00/messages'])
    expect((await t.app.handle(new Request(`http://localhost${path}`))).status).toBeLessThan(500)
}, 120_000)
