import { type ChatService, createChatService } from './chat/service'
import type { Config } from './config'
import { Hub } from './hub/hub'
import type { Logger } from './log'
import type { Store } from './storage/store'
import { VERSION } from './version'

/** Everything the feature plugins may use; each takes only the part it needs. */
export type Deps = {
  config: Config
  log: Logger
  store: Store
  hub: Hub
  chat: ChatService
  version: string
  /** performance.now() at start, for uptime. */
  startedAt: number
}

export function createDeps(config: Config, store: Store, log: Logger): Deps {
  const hub = new Hub()
  const chat = createChatService({ store, hub, maxMessageLength: config.MAX_MESSAGE_LENGTH })
  return { config, log, store, hub, chat, version: VERSION, startedAt: performance.now() }
}
