import { type Authenticator, createAuthenticator } from './auth/authenticator'
import { RateLimiter } from './auth/rate-limit'
import { createRequestAuth, type RequestAuth } from './auth/request-auth'
import { Assistants } from './bots/assistants'
import type { Bot } from './bots/bot'
import { providerBot } from './bots/registry'
import { limitsOf } from './chat/checks'
import { Quotas } from './chat/quotas'
import { createReplies, type ProviderRuntime, type Replies } from './chat/replies'
import { type ChatService, createChatService } from './chat/service'
import { Slots } from './chat/slots'
import type { Config } from './config'
import { fileRulesOf } from './features/files/content'
import type { Bus } from './hub/bus/bus'
import { Hub } from './hub/hub'
import { ReplyProgress } from './hub/progress'
import type { Logger } from './log'
import { instrumentBot, instrumentStore } from './metrics/instrument'
import { createMetrics, type Metrics } from './metrics/metrics'
import type { Store } from './storage/store'
import type { Toolbox } from './tools/toolbox'
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
  /** Bot replies in progress (null when no assistant is configured). */
  replies: Replies | null
  /** The declared and API-created assistants. */
  assistants: Assistants
  /** Token quotas per user. */
  quotas: Quotas
  /** The MCP servers and HTTP tools; null when none are configured. */
  toolbox: Toolbox | null
  /** Replies generating on any instance, with their parts so far (from the room events). */
  progress: ReplyProgress
  /** This server's metrics, recorded and exposed at GET /metrics only when METRICS=true. */
  metrics: Metrics
  version: string
  /** performance.now() at start, for uptime. */
  startedAt: number
}

export type DepsOptions = {
  /** Overrides the bot of the `default` provider (tests plug in their own); null disables replies. */
  bot?: Bot | null
  /** Carries events between instances; absent for a single instance. */
  bus?: Bus | undefined
}

export function createDeps(config: Config, storage: Store, log: Logger, options: DepsOptions = {}): Deps {
  const metrics = createMetrics(VERSION)
  // Measured only when someone can read it: without METRICS the store and bot run bare.
  const store = config.METRICS ? instrumentStore(storage, metrics) : storage
  const bus = options.bus
  const hub = new Hub({ bus, log, readEvents: (id, after, limit) => store.eventsAfter(id, after, limit) })
  const progress = new ReplyProgress()
  hub.attach(progress)
  const assistants = new Assistants(store, config, limitsOf(config))
  // MCP servers connect in the background; a server still starting only lacks its tools.
  const observe = config.METRICS
    ? (tool: string, ok: boolean) => metrics.toolCalls.inc({ tool, outcome: ok ? 'ok' : 'error' })
    : undefined
  // Loaded only when tools are configured: the MCP SDK (and the zod it brings) and ajv cost ~MiBs of RSS.
  const tools = config.mcpServers.length || config.httpTools.length
  const toolbox = tools
    ? new (require('./tools/toolbox') as typeof import('./tools/toolbox')).Toolbox(config, log, observe)
    : null
  toolbox?.start()
  if (toolbox && config.METRICS) {
    metrics.registry.onCollect(() => {
      for (const [server, { state }] of Object.entries(toolbox.states()))
        metrics.mcpServerUp.set({ server }, state === 'ready' ? 1 : 0)
    })
  }
  const providers = new Map<string, ProviderRuntime>()
  for (const p of config.providers) {
    const own = p.name === 'default' && options.bot !== undefined ? options.bot : providerBot(p)
    if (!own) continue
    const bot = config.METRICS ? instrumentBot(own, metrics) : own
    const deadlines = { totalMs: p.timeoutMs, firstChunkMs: p.firstTokenTimeoutMs }
    providers.set(p.name, { bot, slots: new Slots(p.concurrency), deadlines })
  }
  const replies =
    config.defaultAssistant !== null && options.bot !== null && providers.size > 0
      ? createReplies({
          store,
          hub,
          providers,
          plan: (id) => assistants.plan(id),
          toolbox,
          toolWaitMs: config.TOOL_WAIT_MS,
          toolCalls: new RateLimiter(config.RATE_LIMIT_TOOL_CALLS),
          log,
          // Renewed every third of it; an instance that dies blocks its conversations' replies at most this long.
          lease: bus ? { holder: hub.instanceId, ttlMs: 10_000 } : undefined,
          maxQueued: config.BOT_QUEUE_MAX,
        })
      : null
  if (replies) {
    hub.handleStops((conversationId) => replies.stop(conversationId))
    hub.handleAnswers((answer) => replies.answer(answer))
    metrics.registry.onCollect(() => metrics.botRepliesQueued.set({}, replies.queued))
  }
  const quotas = new Quotas(
    store,
    { day: config.QUOTA_TOKENS_PER_DAY, month: config.QUOTA_TOKENS_PER_MONTH },
    config.assistants.some((a) => a.quota !== undefined),
    async () => (await store.anyQuotas()) || (await store.listAssistants()).some((a) => a.spec.quota !== undefined),
  )
  const chat = createChatService({
    assistants,
    quotas,
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
    assistants,
    quotas,
    toolbox,
    progress,
    authenticator,
    requestAuth,
    metrics,
    version: VERSION,
    startedAt: performance.now(),
  }
}
