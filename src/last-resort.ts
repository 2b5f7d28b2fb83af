import type { Logger } from './log'

/**
 * Bun exits on an unhandled rejection or an uncaught exception, which would drop every client
 * for one bug on one request. Every transport awaits or catches what it starts; this is the
 * last line behind them: log (at most a few lines a second) and keep serving.
 */
export function installLastResort(log: Logger): void {
  let windowStart = 0
  let inWindow = 0
  let suppressed = 0
  const report = (kind: string, err: unknown) => {
    const now = Date.now()
    if (now - windowStart > 1000) {
      windowStart = now
      inWindow = 0
    }
    if (++inWindow > 5) {
      suppressed++
      return
    }
    try {
      log.error(`${kind}: kept serving`, { err: describe(err), suppressed })
      suppressed = 0
    } catch {
      // A value that cannot even be logged (a cycle, a stack-deep structure) must not end the process.
    }
  }
  process.on('unhandledRejection', (reason) => report('unhandled rejection', reason))
  process.on('uncaughtException', (error) => report('uncaught exception', error))
}

/** An error as plain text: a rejected value may be anything, of any depth. */
function describe(err: unknown): { name: string; message: string; stack?: string } {
  if (err instanceof Error) return { name: err.name, message: err.message, ...(err.stack ? { stack: err.stack } : {}) }
  return { name: typeof err, message: typeof err === 'string' ? err.slice(0, 500) : 'non-Error value' }
}
