import type { Config } from '../config'
import type { Bot } from './bot'
import { builtinBot } from './builtin'
import { openaiBot } from './openai'
import { webhookBot } from './webhook'

/** The configured bot, or null when replies are disabled (`BOT_PROVIDER=none`). */
export function createBot(config: Config): Bot | null {
  switch (config.BOT_PROVIDER) {
    case 'none':
      return null
    case 'builtin':
      return builtinBot(config.BUILTIN_BOT_DELAY_MS)
    case 'openai':
      return openaiBot(config)
    case 'webhook':
      return webhookBot(config)
  }
}
