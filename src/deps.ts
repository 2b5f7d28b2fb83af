import { type Authenticator, createAuthenticator } from './auth/authenticator'
import { RateLimiter } from './auth/rate-limit'
import { createRequestAuth, type RequestAuth } from './auth/request-auth'
import type { Bot } from './bots/bot'
import { createBot } from './bots/registry'
import { limitsOf } from './chat/checks'
import { createReplies, type Replies } from './chat/replies'
import { type ChatService, createChatService } from './chat/service'
import type { Config } from './config'
import { fileRulesOf } from './features/files/content'
import type { Bus } from './hub/bus/bus'
import { Hub } from './hub/hub'
import { ReplyProgress } from './hub/progress'
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
  /** Who a request or socket is (per AUTH_MODE). */
  authenticator: Authenticator
  /** Authentication plus the REST rate limit, for route plugins. */
  requestAuth: RequestAuth
  /** Bot replies in progress (null with BOT_PROVIDER=none). */
  replies: Replies | null
  /** Replies generating on any instance, with their parts so far (from the room events). */
  progress: ReplyProgress
  /** This server's metrics, recorded and exposed at GET /metrics only when METRICS=true. */
  metrics: Metrics
  version: string
  /** performance.now() at start, for uptime. */
  startedAt: number
}

export type DepsOptions = {
  /** Overrides the configured bot (tests plug in their own); null disables replies. */
  bot?: Bot | null
  /** Carries events between instances; absent for a single instance. */
  bus?: Bus | undefined
}

export function createDeps(config: Config, storage: Store, log: Logger, options: DepsOptions = {}): Deps {
  const metrics = createMetrics(VERSION)
  // Measured only when someone can read it: without METRICS the store and bot run bare.
  const store = config.METRICS ? instrumentStore(storage, metrics) : storage
  const bus = options.bus
  const bot = options.bot === undefined ? createBot(config) : options.bot
  const hub = new Hub({ bus, log, readEvents: (id, after, limit) => store.eventsAfter(id, after, limit) })
  const progress = new ReplyProgress()
  hub.attach(progress)
  const replies = bot
    ? createReplies({
        store,
        hub,
        bot: config.METRICS ? instrumentBot(bot, metrics) : bot,
        log,
        concurrency: config.BOT_CONCURRENCY,
        history: { messages: config.BOT_HISTORY_MESSAGES, chars: config.BOT_HISTORY_CHARS },
        deadlines: { totalMs: config.BOT_TIMEOUT_MS, firstChunkMs: config.BOT_FIRST_TOKEN_TIMEOUT_MS },
        // Renewed every third of it; an instance that dies blocks its conversations' replies at most this long.
        lease: bus ? { holder: hub.instanceId, ttlMs: 10_000 } : undefined,
        model: config.BOT_PROVIDER === 'openai' ? config.OPENAI_MODEL : null,
      })
    : null
  if (replies) hub.handleStops((conversationId) => replies.stop(conversationId))
  const chat = createChatService({
    store,
    hub,
    replies,
    progress,
    limits: limitsOf(config),
    files: fileRulesOf(config),
    messageLimiter: new RateLimiter(config.RATE_LIMIT_MESSAGES),
  })
  const authenticator = createAuthenticator(config, log)
  const requestAuth = createRequestAuth(authenticator, new RateLimiter(config.RATE_LIMIT_REQUESTS))
  return {
    config,
    log,
    store,
    hub,
    chat,
    replies,
    progress,
    authenticator,
    requestAuth,
    metrics,
    version: VERSION,
    startedAt: performance.now(),
  }
}
