import type { Bot } from './bots/bot'
import { createBot } from './bots/registry'
import { createReplies, type Replies } from './chat/replies'
import { type ChatService, createChatService } from './chat/service'
import type { Config } from './config'
import { Hub } from './hub/hub'
import type { Logger } from './log'
import { instrumentBot, instrumentStore } from './metrics/instrument'
import { createMetrics, type Metrics } from './metrics/metrics'
import type { Store } from './storage/store'
import { VERSION } from './version'

/** Everything the feature plugins may use; each takes only the part it needs. */
export type Deps = {
  config: Config
  log: Logger
  store: Store
  hub: Hub
  chat: ChatService
  /** Bot replies in progress (null with BOT_PROVIDER=none). */
  replies: Replies | null
  /** This server's metrics, exposed at GET /metrics when METRICS=true. */
  metrics: Metrics
  version: string
  /** performance.now() at start, for uptime. */
  startedAt: number
}

/** `bot` overrides the configured one (tests plug in their own); null disables replies. */
export function createDeps(config: Config, storage: Store, log: Logger, bot: Bot | null = createBot(config)): Deps {
  const metrics = createMetrics(VERSION)
  const store = instrumentStore(storage, metrics)
  const hub = new Hub()
  const replies = bot
    ? createReplies({ store, hub, bot: instrumentBot(bot, metrics), log, concurrency: 16, historyMessages: 20 })
    : null
  const chat = createChatService({ store, hub, replies, maxMessageLength: config.MAX_MESSAGE_LENGTH })
  return { config, log, store, hub, chat, replies, metrics, version: VERSION, startedAt: performance.now() }
}
