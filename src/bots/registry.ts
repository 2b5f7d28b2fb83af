import type { Config } from '../config'
import type { Bot } from './bot'
import { builtinBot } from './builtin'

/** The configured bot, or null when replies are disabled (`BOT_PROVIDER=none`). */
export function createBot(config: Pick<Config, 'BOT_PROVIDER' | 'BUILTIN_BOT_DELAY_MS'>): Bot | null {
  switch (config.BOT_PROVIDER) {
    case 'none':
      return null
    case 'builtin':
      return builtinBot(config.BUILTIN_BOT_DELAY_MS)
  }
}
