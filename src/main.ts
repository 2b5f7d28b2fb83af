#!/usr/bin/env bun
import './production'
import { ConfigError, helpText, parseCommandLine } from './config'
import { probeReady } from './features/health/probe'
import { installLastResort } from './last-resort'
import { createLogger, redactUrl } from './log'
import { runMode } from './production'
import { startServer } from './server'
import { openStorage } from './storage/connect'
import { VERSION } from './version'

/** The command line: parse, dispatch, and turn bad input into one line and exit code 2. */
async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const invocation = parseCommandLine(argv, env)
  if (!('config' in invocation)) {
    console.log(invocation.command === 'help' ? helpText(VERSION) : VERSION)
    return 0
  }
  const { config } = invocation
  if (invocation.command === 'healthcheck') {
    const { ok, detail } = await probeReady(config)
    ;(ok ? console.log : console.error)(`${ok ? 'healthy' : 'unhealthy'}: ${detail}`)
    return ok ? 0 : 1
  }
  const log = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT })
  if (invocation.command === 'export' || invocation.command === 'import') {
    // Loaded here: its stream modules cost start-up time a server does not need.
    const { runExport, runImport } = await import('./transfer-command')
    await (invocation.command === 'export' ? runExport : runImport)(config, invocation.file)
    return 0
  }
  const database = redactUrl(config.database.url)
  if (invocation.command === 'migrate') {
    const store = await openStorage(config, log)
    await store.close()
    log.info('migrations applied', { database })
    return 0
  }
  installLastResort(log)
  const running = await startServer(config, log)
  log.info(`parley ${VERSION} listening on ${running.url.origin}`, {
    version: VERSION,
    url: running.url.origin,
    database,
    bot: config.BOT_PROVIDER,
    auth: config.AUTH_MODE,
    mode: runMode,
  })
  if (config.AUTH_MODE === 'none' && !isLoopback(config.HOST)) {
    log.warn(
      `WARNING: AUTH_MODE=none on ${config.HOST}: anyone who can reach this port can read and write every conversation. Set AUTH_MODE=apikey or jwt (see docs/security.md).`,
    )
  }
  let stopping = false
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now', { signal })
      process.exit(1)
    }
    stopping = true
    log.info('shutting down', { signal, timeout_ms: config.SHUTDOWN_TIMEOUT_MS })
    try {
      await running.stop()
      process.exit(0)
    } catch (error) {
      log.error('shutdown failed', { err: error })
      process.exit(1)
    }
  }
  process.on('SIGTERM', () => void stop('SIGTERM'))
  process.on('SIGINT', () => void stop('SIGINT'))
  return -1 // keep running
}

main(process.argv.slice(2), process.env).then(
  (code) => {
    if (code >= 0) process.exit(code)
  },
  (error: unknown) => {
    if (error instanceof ConfigError) {
      console.error(`parley: ${error.message}`)
      process.exit(2)
    }
    console.error(`parley: ${error instanceof Error ? error.message : String(error)}`)
    process.exit(1)
  },
)

/** Whether binding to `host` keeps the server on this machine. */
function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.')
}
