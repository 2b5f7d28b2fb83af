import { cors } from '@elysiajs/cors'
import { Elysia } from 'elysia'
import type { Deps } from './deps'
import { envelope } from './envelope'
import { conversationRoutes } from './features/conversations'
import { docsRoutes } from './features/docs'
import { healthRoutes, rootRoute } from './features/health'
import { messageRoutes } from './features/messages'
import { metricsRoute } from './features/metrics'

/** The whole HTTP app; a test drives it with `app.handle(new Request(...))`. */
export function createApp(deps: Deps) {
  const { config } = deps
  const anyOrigin = config.corsOrigins.includes('*')
  return (
    // Elysia's default normalizer (exact-mirror) rewrites some invalid input into valid-looking
    // data before validation ("x" or [1] for an object became {"0": …}); TypeBox's Clean only
    // strips unknown properties, so validation sees what the client sent.
    new Elysia({ normalize: 'typebox' })
      .use(envelope({ log: deps.log, metrics: deps.metrics, maxBodyBytes: config.MAX_BODY_BYTES }))
      // With "*", browsers must not send credentials; with a list, credentials are allowed.
      .use(
        cors({
          origin: anyOrigin ? '*' : [...config.corsOrigins],
          credentials: !anyOrigin,
          methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
          exposeHeaders: ['x-request-id', 'retry-after'],
          maxAge: 600,
        }),
      )
      .use(docsRoutes(deps))
      .use(rootRoute(deps))
      .use(healthRoutes(deps))
      .use(conversationRoutes(deps))
      .use(messageRoutes(deps))
      .use(metricsRoute(deps))
  )
}

export type App = ReturnType<typeof createApp>
