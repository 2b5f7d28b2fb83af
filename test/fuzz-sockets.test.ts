import { expect, test } from 'bun:test'
import fc from 'fast-check'
import { jsonValue } from './arbitraries'
import { liveServer, wsClient } from './live'
import { rawSioClient, sioClient } from './sio'
import { SECRET, userToken } from './tokens'

/**
 * Generated frames against a live server, on both transports: random shapes, nesting up to
 * 60,000 levels, strings up to 200 KB, and floods. Invariants: every frame that is not a valid
 * request gets an `error` event (or its normal answer), the connection stays usable (or, for a
 * flood, is refused with rate_limited and then closed), and the server stays up.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const events = fc.constantFrom(
  'join_conversation',
  'leave_conversation',
  'send_message',
  'typing',
  'stop_generation',
  'tool_result',
  'tool_approval',
  'ping',
  '__proto__',
  'toString',
  'constructor',
  '',
  'x'.repeat(300),
)
const hostile = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.constantFrom('\u0000', "'; DROP TABLE x; --", '__proto__', '\ud800', 'x'.repeat(10_000)),
)
const value = jsonValue(
  hostile,
  [
    'conversationId',
    'conversation_id',
    'content',
    'since_seq',
    'isTyping',
    'parentId',
    'toolCallId',
    'output',
    'approved',
    'clientTools',
  ],
  4,
)
/**
 * JSON text nested deep (arrays up to 60,000 levels, objects up to 30,000), what no JSON.stringify
 * of a value would build here; both stay under WS_MAX_PAYLOAD_BYTES (256 KiB).
 */
const deepText = fc.oneof(
  fc.integer({ min: 1, max: 60_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
  fc.integer({ min: 1, max: 30_000 }).map((n) => `${'{"a":'.repeat(n)}0${'}'.repeat(n)}`),
)
const longText = fc.integer({ min: 10_000, max: 200_000 }).map((n) => JSON.stringify('y'.repeat(n)))
/** A payload as JSON text: a generated value, a deep one, or a long string, alone or in a field. */
const payloadText = fc.oneof(
  value.map((v) => JSON.stringify(v) ?? 'null'),
  deepText,
  longText,
  fc
    .tuple(
      fc.constantFrom('conversationId', 'content', 'isTyping', 'since_seq', 'parentId'),
      fc.oneof(deepText, longText),
    )
    .map(([key, text]) => `{"${key}":${text}}`),
)
// Budgets out of the way for shape fuzzing; the flood test below runs with the defaults.
const unlimited = { RATE_LIMIT_SOCKET_EVENTS: '1000000', RATE_LIMIT_SOCKET_EVENTS_PER_USER: '1000000' }

test('native WebSocket: random frames get errors, never a crash; the socket stays usable', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', RATE_LIMIT_MESSAGES: '100000', ...unlimited })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await wsClient(live.ws)
  const frame = fc.oneof(
    fc
      .tuple(
        fc.oneof(
          events.map((e) => JSON.stringify(e)),
          deepText,
        ),
        payloadText,
      )
      .map(([e, d]) => `{"event":${e},"data":${d}}`)
      .filter((f) => f.length < 250_000), // past WS_MAX_PAYLOAD_BYTES the socket closes (1009), by design
    fc
      .record({
        event: events,
        data: fc.oneof(
          value,
          fc.record({
            conversationId: fc.oneof(fc.constant(id), hostile),
            content: value,
            isTyping: value,
            since_seq: value,
            parentId: value,
          }),
        ),
      })
      .map((f) => JSON.stringify(f)),
    value.map((v) => JSON.stringify(v) ?? 'x'),
    fc.string(),
    fc.uint8Array({ maxLength: 64 }),
  )
  await fc.assert(
    fc.asyncProperty(frame, async (f) => {
      const before = c.inbox.arrived.length
      c.raw(f as string | Uint8Array)
      c.emit('ping') // every frame is answered before this pong: the socket is still usable
      await c.next('pong', () => true, 5000)
      const answers = c.inbox.arrived.slice(before).filter((r) => r.event !== 'pong')
      for (const a of answers.filter((r) => r.event === 'error')) {
        expect(typeof a.data.code).toBe('string')
        expect(typeof a.data.message).toBe('string')
        expect(a.data.code).not.toBe('internal_error')
      }
    }),
    { numRuns: RUNS },
  )
  expect(c.socket.readyState).toBe(WebSocket.OPEN)
  expect((await live.call('GET', '/health/ready')).status).toBe(200)
}, 120_000)

test('Socket.IO: random events and payloads get errors, never a crash; the socket stays connected', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', RATE_LIMIT_MESSAGES: '100000', ...unlimited })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await sioClient(live.base, { transports: ['websocket'] })
  await fc.assert(
    fc.asyncProperty(
      fc.oneof(events, fc.string({ maxLength: 20 })),
      fc.oneof(value, fc.record({ conversationId: fc.oneof(fc.constant(id), hostile), content: value })),
      async (event, data) => {
        if (
          ['connect', 'disconnect', 'connect_error', 'disconnecting', 'newListener', 'removeListener'].includes(event)
        )
          return // reserved by Socket.IO
        const answer = await c.socket.timeout(5000).emitWithAck(event, data)
        expect(typeof answer.ok).toBe('boolean')
        if (!answer.ok) {
          expect(typeof answer.code).toBe('string')
          expect(answer.code).not.toBe('internal_error')
        }
      },
    ),
    { numRuns: RUNS },
  )
  expect(c.socket.connected).toBe(true)
  expect((await live.call('GET', '/health/ready')).status).toBe(200)
}, 120_000)

test('Socket.IO wire packets: generated depth and size, which socket.io-client cannot encode, get answers', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', ...unlimited })
  using c = await rawSioClient(live.base)
  await fc.assert(
    fc.asyncProperty(events, payloadText, async (event, payload) => {
      const ack = c.packet(`[${JSON.stringify(event)},${payload}]`, true)
      const answer = await c.next(`ack:${ack}`, () => true, 5000)
      expect(typeof answer.ok).toBe('boolean')
      if (!answer.ok) expect(answer.code).not.toBe('internal_error')
    }),
    { numRuns: Math.ceil(RUNS / 3) },
  )
  expect(c.socket.readyState).toBe(WebSocket.OPEN)
  expect((await live.call('GET', '/health/ready')).status).toBe(200)
}, 60_000)

test('floods of any event, at default budgets: answered, refused with rate_limited, at worst closed with 1008; others unaffected', async () => {
  await using live = await liveServer({ AUTH_MODE: 'jwt', JWT_SECRET: SECRET, BOT_PROVIDER: 'none' })
  let run = 0
  await fc.assert(
    fc.asyncProperty(
      events,
      payloadText,
      fc.integer({ min: 1300, max: 3000 }) /* past the 1,200 a minute */,
      async (event, payload, count) => {
        run++
        using flooder = await wsClient(`${live.ws}/?token=${await userToken(`flooder-${run}`)}`)
        const frame = `{"event":${JSON.stringify(event)},"data":${payload.length > 2000 ? '{}' : payload}}`
        for (let i = 0; i < count && flooder.socket.readyState === WebSocket.OPEN; i++) flooder.raw(frame)
        flooder.emit('ping')
        const outcome = await Promise.race([flooder.next('pong', () => true, 5000), flooder.closed])
        const errors = flooder.inbox.named('error')
        expect(errors.every((e) => e.code !== 'internal_error')).toBe(true)
        if (outcome && 'code' in outcome && typeof outcome.code === 'number') {
          expect(outcome.code).toBe(1008)
          expect(errors.some((e) => e.code === 'rate_limited')).toBe(true)
        }
        using other = await wsClient(`${live.ws}/?token=${await userToken(`bystander-${run}`)}`)
        other.emit('ping')
        await other.next('pong')
      },
    ),
    { numRuns: 6 },
  )
  expect((await live.call('GET', '/health/ready')).status).toBe(200)
}, 60_000)
