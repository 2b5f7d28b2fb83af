import type { Bot, BotEvent, BotInput, ReplySettings } from '../src/bots/bot'

/** The settings a bot called directly in a test replies with. */
export const testAssistant: ReplySettings = {
  id: 'default',
  name: 'Assistant',
  model: 'test-model',
  systemPrompt: 'Be brief.',
}

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

/** A bot that reasons, then answers in chunks; `hold()` keeps it before its last chunk until `go()`. */
export function talkingBot() {
  let gate: Promise<void> | null = null
  let open: () => void = () => {}
  const inputs: BotInput[] = []
  const bot: Bot & { inputs: BotInput[]; hold(): void; go(): void } = {
    name: 'talking',
    inputs,
    hold() {
      gate = new Promise((r) => (open = r))
    },
    go() {
      open()
    },
    async *reply(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      inputs.push(input)
      yield { type: 'reasoning', text: 'Thinking.' }
      yield { type: 'delta', text: 'You said: ' }
      if (gate) await Promise.race([gate, new Promise((r) => signal.addEventListener('abort', r))])
      if (signal.aborted) return
      yield { type: 'delta', text: input.message.content }
      yield { type: 'usage', inputTokens: 5, outputTokens: 3 }
      yield { type: 'finish', reason: 'stop', model: 'talk-1' }
    },
  }
  return bot
}
