import type { Config } from '../config'
import type { Bot, BotEvent } from './bot'
import { builtinBot } from './builtin'
import { webhookBot } from './webhook'

/** The configured bot, or null when replies are disabled (`BOT_PROVIDER=none`). */
export function createBot(config: Config): Bot | null {
  switch (config.BOT_PROVIDER) {
    case 'none':
      return null
    case 'builtin':
      return builtinBot(config.BUILTIN_BOT_DELAY_MS)
    case 'openai':
      // The SDK is loaded with the first reply: servers with other bots never load it.
      return lazyBot('openai', () => import('./openai').then((m) => m.openaiBot(config)))
    case 'webhook':
      return webhookBot(config)
  }
}

/** A bot whose implementation is loaded on first use. */
function lazyBot(name: string, load: () => Promise<Bot>): Bot {
  let bot: Promise<Bot> | undefined
  return {
    name,
    async *reply(input, signal): AsyncIterable<BotEvent> {
      bot ??= load()
      yield* (await bot).reply(input, signal)
    },
  }
}
