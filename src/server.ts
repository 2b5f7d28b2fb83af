import { createApp } from './app'
import type { Config } from './config'
import { createDeps, type Deps } from './deps'
import type { Logger } from './log'
import { openStorage } from './storage/connect'

export type Running = {
  url: URL
  deps: Deps
  /** Stops accepting, finishes in-flight requests, closes the database. */
  stop(): Promise<void>
}

/** The composition root: open storage → migrate → build deps → listen. */
export async function startServer(config: Config, log: Logger): Promise<Running> {
  const store = openStorage(config)
  const deps = createDeps(config, store, log)
  const app = createApp(deps)
  const server = Bun.serve({
    hostname: config.HOST,
    port: config.PORT,
    // The app answers over-limit bodies with a JSON 413 while reading them; Bun's own limit
    // (an empty 413) is only the backstop for bodies far past it.
    maxRequestBodySize: config.MAX_BODY_BYTES * 4,
    fetch: (request) => app.handle(request),
  })
  const url = new URL(`http://${config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST}:${server.port}`)
  return {
    url,
    deps,
    async stop() {
      await server.stop()
      await store.close()
    },
  }
}
