import { expect, test } from 'bun:test'
import { BotError, type BotEvent } from '../src/bots/bot'
import { withDeadlines } from '../src/chat/deadlines'

/** A bot that yields these events, then never answers again, whatever its signal says. */
async function* hanging(events: BotEvent[]): AsyncGenerator<BotEvent> {
  yield* events
  await new Promise(() => {})
}

const collect = async (events: AsyncIterable<BotEvent>) => {
  const seen: BotEvent[] = []
  try {
    for await (const e of events) seen.push(e)
  } catch (error) {
    return { seen, error }
  }
  return { seen, error: undefined }
}

test('a bot that never starts, and ignores its signal, fails at the first-chunk deadline', async () => {
  const aborted: BotError[] = []
  const t = performance.now()
  const { seen, error } = await collect(
    withDeadlines(hanging([]), { totalMs: 5_000, firstChunkMs: 60 }, (e) => aborted.push(e)),
  )
  expect(seen).toEqual([])
  expect(error).toBeInstanceOf(BotError)
  expect((error as BotError).code).toBe('bot_timeout')
  expect((error as BotError).message).toBe('The bot did not start answering within 60 ms')
  expect(aborted).toHaveLength(1)
  expect(performance.now() - t).toBeLessThan(2_000)
})

test('a bot that starts, then stalls, fails at the whole-reply deadline, with what it said delivered', async () => {
  const delta: BotEvent = { type: 'delta', text: 'Hel' }
  const { seen, error } = await collect(
    withDeadlines(hanging([delta]), { totalMs: 120, firstChunkMs: 60, wholeMs: 120 }, () => {}),
  )
  expect(seen).toEqual([delta])
  expect((error as BotError).message).toBe('The bot took longer than 120 ms to finish its reply')
})

test('a bot within its deadlines is passed through in order; its own failure is its own', async () => {
  const events: BotEvent[] = [
    { type: 'delta', text: 'a' },
    { type: 'delta', text: 'b' },
    { type: 'finish', reason: 'stop', model: undefined },
  ]
  async function* ok() {
    for (const e of events) {
      await Bun.sleep(1)
      yield e
    }
  }
  expect(await collect(withDeadlines(ok(), { totalMs: 5_000, firstChunkMs: 5_000 }, () => {}))).toEqual({
    seen: events,
    error: undefined,
  })
  async function* broken(): AsyncGenerator<BotEvent> {
    yield { type: 'delta', text: 'a' }
    throw new Error('upstream closed')
  }
  const { seen, error } = await collect(withDeadlines(broken(), { totalMs: 5_000, firstChunkMs: 5_000 }, () => {}))
  expect(seen).toEqual([{ type: 'delta', text: 'a' }])
  expect((error as Error).message).toBe('upstream closed')
})

test('leaving early closes the bot', async () => {
  let closed = false
  async function* bot(): AsyncGenerator<BotEvent> {
    try {
      for (;;) yield { type: 'delta', text: 'x' }
    } finally {
      closed = true
    }
  }
  for await (const _ of withDeadlines(bot(), { totalMs: 5_000, firstChunkMs: 5_000 }, () => {})) break
  await Bun.sleep(1)
  expect(closed).toBe(true)
})
