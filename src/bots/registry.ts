import type { Provider } from '../config-file'
import type { Bot, BotEvent } from './bot'
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
