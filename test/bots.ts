import type { Bot, BotEvent, BotInput } from '../src/bots/bot'

/**
 * A bot the test drives: each reply waits for `release(n)` before yielding n more chunks, so a
 * test can look at a reply while it is in progress. Records what it was asked and when it was
 * aborted.
 */
export function gatedBot(chunks: string[] = ['Hel', 'lo ', 'the', 're']) {
  const inputs: BotInput[] = []
  const aborted: string[] = []
  let allowance = 0
  let wake: (() => void) | null = null
  const bot: Bot & { inputs: BotInput[]; aborted: string[]; release(n?: number): void; releaseAll(): void } = {
    name: 'gated',
    inputs,
    aborted,
    release(n = 1) {
      allowance += n
      wake?.()
    },
    releaseAll() {
      allowance = Number.POSITIVE_INFINITY
      wake?.()
    },
    async *reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      inputs.push(input)
      const onAbort = () => wake?.()
      signal.addEventListener('abort', onAbort)
      try {
        for (const text of chunks) {
          while (allowance <= 0 && !signal.aborted) await new Promise<void>((r) => (wake = r))
          if (signal.aborted) {
            aborted.push(input.message.id)
            return
          }
          allowance--
          yield { type: 'delta', text }
        }
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
  return bot
}
