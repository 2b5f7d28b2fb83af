import type { Provider } from '../config-file'
import type { Bot, BotEvent, BotInput } from './bot'
import { builtinBot } from './builtin'
import { webhookBot } from './webhook'

/** The bot of one configured provider, named after it. */
export function providerBot(p: Provider): Bot {
  switch (p.type) {
    case 'builtin':
      return { ...builtinBot(p.delayMs), name: p.name }
    case 'openai':
      // The SDK is loaded with the first reply: servers with other bots never load it.
      return lazyBot(p.name, () => import('./openai').then((m) => m.openaiBot(p, p.name)))
    case 'webhook':
      return webhookBot(p, p.name)
  }
}

/** A bot whose implementation is loaded on first use; once loaded, its replies are its own (no layer between). */
function lazyBot(name: string, load: () => Promise<Bot>): Bot {
  let loading: Promise<Bot> | undefined
  let bot: Bot | undefined
  async function* first(input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
    loading ??= load().then((b) => (bot = b))
    yield* (await loading).reply(input, signal)
  }
  return { name, reply: (input, signal) => (bot ? bot.reply(input, signal) : first(input, signal)) }
}
