import { BotError, type BotEvent } from '../bots/bot'

/** `wholeMs`: the whole reply's limit, named in the error when `totalMs` is what is left of it. */
export type Deadlines = { totalMs: number; firstChunkMs: number; wholeMs?: number }

/**
 * Re-yields a bot's events, failing with `bot_timeout` when the first chunk or the whole reply
 * takes too long. On timeout `abort` is called (so the provider drops its upstream request)
 * and the bot is not awaited further: a bot that ignores its signal cannot hang the reply.
 */
export async function* withDeadlines(
  events: AsyncIterable<BotEvent>,
  { totalMs, firstChunkMs, wholeMs }: Deadlines,
  abort: (reason: BotError) => void,
): AsyncGenerator<BotEvent> {
  const start = performance.now()
  const iterator = events[Symbol.asyncIterator]()
  let started = false
  let finished = false
  try {
    for (;;) {
      const limit = started ? totalMs : Math.min(totalMs, firstChunkMs)
      const left = start + limit - performance.now()
      let timer: ReturnType<typeof setTimeout> | undefined
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), Math.max(0, left))
      })
      const step = await Promise.race([iterator.next(), timeout]).finally(() => clearTimeout(timer))
      if (step === 'timeout') {
        const error = new BotError(
          'bot_timeout',
          started
            ? `The bot took longer than ${seconds(wholeMs ?? totalMs)} to finish its reply`
            : `The bot did not start answering within ${seconds(limit)}`,
        )
        abort(error)
        throw error
      }
      if (step.done) {
        finished = true
        return
      }
      if (step.value.type === 'delta') started = true
      yield step.value
    }
  } finally {
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {})
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`)
