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
  // One timer per deadline, not one per chunk (a timer, a race and a clear per token were ~6 % of
  // a streamed reply's CPU). The wait for each chunk ends with the chunk or when the timer fires.
  let expired = false
  let wake: ((timeout: 'timeout') => void) | null = null
  const fire = () => {
    expired = true
    wake?.('timeout')
  }
  const firstLimit = Math.min(totalMs, firstChunkMs)
  let timer = setTimeout(fire, Math.max(0, firstLimit))
  try {
    for (;;) {
      const next = iterator.next()
      const step = await new Promise<IteratorResult<BotEvent> | 'timeout'>((resolve, reject) => {
        next.then(resolve, reject) // also when expired: its rejection must not go unhandled
        if (expired) resolve('timeout')
        else wake = resolve
      })
      wake = null
      if (step === 'timeout') {
        const error = new BotError(
          'bot_timeout',
          started
            ? `The bot took longer than ${seconds(wholeMs ?? totalMs)} to finish its reply`
            : `The bot did not start answering within ${seconds(firstLimit)}`,
        )
        abort(error)
        throw error
      }
      if (step.done) {
        finished = true
        return
      }
      if (!started && step.value.type === 'delta') {
        started = true
        if (firstLimit < totalMs) {
          clearTimeout(timer)
          timer = setTimeout(fire, Math.max(0, start + totalMs - performance.now()))
        }
      }
      yield step.value
    }
  } finally {
    clearTimeout(timer)
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => {})
  }
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`)
