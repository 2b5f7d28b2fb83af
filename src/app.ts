import { Elysia, type InternalRoute } from 'elysia'
import { cors } from './cors'
import type { Deps } from './deps'
import { envelope } from './envelope'
import { aiSdkRoutes } from './features/ai-sdk'
import { assistantRoutes } from './features/assistants'
import { branchRoutes } from './features/branches'
import { conversationRoutes } from './features/conversations'
import { docsRoutes } from './features/docs'
import { fileBodies, fileRoutes } from './features/files'
import { healthRoutes, rootRoute } from './features/health'
import { messageRoutes } from './features/messages'
import { metricsRoute } from './features/metrics'
import { toolCallRoutes } from './features/tool-calls'

/** The whole HTTP app; a test drives it with `app.handle(new Request(...))`. */
export function createApp(deps: Deps) {
  const { config } = deps
  const app =
    // No normalizer: Elysia's default (exact-mirror) rewrote some invalid input into valid-looking
    // data before validation ("x" or [1] for an object became {"0": …}), and TypeBox's Clean
    // costs more per response than the handler. Validation sees what the client sent; handlers
    // read only the fields they know, so unknown ones are ignored, never stored. No response
    // schema has transforms, so encoding responses is skipped too.
    //
    // standardHostname off: Elysia otherwise finds the path by searching for '/' from offset 11
    // of the URL, which for a Host of 3 characters or fewer lands inside the path ("/health/"
    // ran "/"). Parley serves plain http:// (TLS ends at the proxy), so offset 7 is always right.
    new Elysia({ normalize: false, encodeSchema: false, handler: { standardHostname: false } })
      // Before the envelope: its body parser runs first, and reads the one multipart route's body.
      .use(fileBodies(deps))
      .use(
        envelope({
          log: deps.log,
          metrics: config.METRICS ? deps.metrics : null,
          maxBodyBytes: config.MAX_BODY_BYTES,
          maxJsonDepth: config.MAX_JSON_DEPTH,
          bodyTimeoutMs: config.BODY_TIMEOUT_MS,
          admit: deps.requestAuth,
        }),
      )
      // With "*", browsers must not send credentials; with a list, credentials are allowed.
      .use(cors(config.corsOrigins))
      .use(docsRoutes(deps, (): readonly InternalRoute[] => app.routes))
      .use(rootRoute(deps))
      .use(healthRoutes(deps))
      .use(conversationRoutes(deps))
      .use(messageRoutes(deps))
      .use(branchRoutes(deps))
      .use(aiSdkRoutes(deps))
      .use(fileRoutes(deps))
      .use(assistantRoutes(deps))
      .use(toolCallRoutes(deps))
      .use(metricsRoute(deps))
  return app
}

export type App = ReturnType<typeof createApp>
