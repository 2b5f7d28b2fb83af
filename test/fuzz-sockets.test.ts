import { expect, test } from 'bun:test'
import fc from 'fast-check'
import { jsonValue } from './arbitraries'
import { liveServer, wsClient } from './live'
import { sioClient } from './sio'

/**
 * Generated frames against a live server, on both transports. Invariants: every frame that is
 * not a valid request gets an `error` event (or its normal answer), the connection stays
 * usable, and the server stays up.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 300)
const events = fc.constantFrom(
  'join_conversation',
  'leave_conversation',
  'send_message',
  'typing',
  'stop_generation',
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
const value = jsonValue(hostile, ['conversationId', 'conversation_id', 'content', 'since_seq', 'isTyping'], 4)

test('native WebSocket: random frames get errors, never a crash; the socket stays usable', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none', RATE_LIMIT_MESSAGES: '100000' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await wsClient(live.ws)
  const frame = fc.oneof(
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
  await using live = await liveServer({ BOT_PROVIDER: 'none', RATE_LIMIT_MESSAGES: '100000' })
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
