import { AppError } from '../errors'
import type { Logger } from '../log'
import type { Driver } from './driver'
import type { Store } from './store'

/** Seconds a client is asked to wait (`Retry-After`) while the database does not answer. */
export const RETRY_AFTER_S = 5
// While the database stays down, one reminder line this often, with the failures since the last.
const REMIND_EVERY_MS = 60_000

export const databaseNames: Record<Driver['dialect'], string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
  mysql: 'MySQL/MariaDB',
}

// Bun's SQL client: the connection could not be made, was lost or timed out.
const BUN_SQL = /^ERR_(POSTGRES|MYSQL)_(CONNECTION_(CLOSED|FAILED|REFUSED|TIMEOUT)|IDLE_TIMEOUT|LIFETIME_TIMEOUT)$/
// Socket errors (mysql2 passes Node's codes through) and mysql2's own for a lost connection.
const NETWORK = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'POOL_CLOSED',
  // MySQL/MariaDB refusing more connections, or shutting down, or killing this one.
  'ER_CON_COUNT_ERROR',
  'ER_TOO_MANY_USER_CONNECTIONS',
  'ER_USER_LIMIT_REACHED',
  'ER_SERVER_SHUTDOWN',
  'ER_CONNECTION_KILLED',
])
// PostgreSQL SQLSTATEs: connection exceptions (class 08), too many connections, shutting down or
// starting up. The same MySQL errors by number, for codes mysql2 has no name for (MariaDB's):
// too many connections (1040, 1203, 1226), shutdown (1053), killed (1927), gone or lost (2006, 2013).
const PG_STATE = /^(08...|53300|57P0[123])$/
const MYSQL_ERRNO = new Set([1040, 1203, 1226, 1053, 1927, 2006, 2013])

/**
 * Whether `error` says the database cannot be reached or is refusing work for now (connection
 * refused, reset or closed, pool or connect timeouts, too many clients, shutting down, SQLite
 * still locked by another process after the busy timeout), as opposed to a query that failed on
 * its own merits (a bug, a constraint): only the former is a 503. Drizzle wraps driver errors,
 * so the whole `cause` chain is read.
 */
export function isUnavailable(error: unknown): boolean {
  for (let e = error, depth = 0; e && typeof e === 'object' && depth < 8; e = (e as Error).cause, depth++) {
    const { code, errno, fatal } = e as { code?: unknown; errno?: unknown; fatal?: unknown }
    if (typeof code === 'string') {
      if (BUN_SQL.test(code) || NETWORK.has(code) || code.startsWith('SQLITE_BUSY')) return true
    }
    if (typeof errno === 'string' && PG_STATE.test(errno)) return true
    if (typeof errno === 'number' && MYSQL_ERRNO.has(errno) && !String(code).startsWith('SQLITE')) return true
    // mysql2 marks the errors after which its connection is unusable.
    if (fatal === true) return true
  }
  return false
}

/** The innermost error's code and message, for the one log line of an outage. */
export function rootCause(error: unknown): { code?: string; message: string } {
  let e = error
  for (let depth = 0; depth < 8 && (e as Error | undefined)?.cause; depth++) e = (e as Error).cause
  const { code, message } = (e ?? {}) as { code?: unknown; message?: unknown }
  return { ...(typeof code === 'string' ? { code } : {}), message: String(message ?? e) }
}

export type OutageOptions = {
  log: Logger
  dialect: Driver['dialect']
  /** The database's URL with its password hidden (redactUrl). */
  database: string
}

/**
 * The Store, with every failure to reach the database turned into a 503 `service_unavailable`
 * with Retry-After, logged once per outage (not a stack per request: an outage under load
 * wrote 49k lines in seconds): one line when it starts, a reminder a minute with the count of
 * failures since, one when the database answers again. Other errors pass through unchanged
 * (a 500, logged with its stack where they are handled).
 */
export function guardStore(store: Store, { log, dialect, database }: OutageOptions): Store {
  const service = databaseNames[dialect]
  let downSince = 0 // 0: up
  let failures = 0
  let lastLine = 0

  const fail = (error: unknown): never => {
    if (!isUnavailable(error)) throw error
    const now = Date.now()
    failures++
    if (downSince === 0) {
      downSince = lastLine = now
      failures = 0
      log.error('database unavailable', { service, database, retry_after_s: RETRY_AFTER_S, ...rootCause(error) })
    } else if (now - lastLine >= REMIND_EVERY_MS) {
      lastLine = now
      log.error('database still unavailable', {
        service,
        database,
        down_s: Math.round((now - downSince) / 1000),
        suppressed: failures,
      })
      failures = 0
    }
    throw new AppError('service_unavailable', 'The database is unavailable; try again shortly', {
      'retry-after': String(RETRY_AFTER_S),
    })
  }
  const recovered = <T>(value: T): T => {
    if (downSince !== 0) {
      log.info('database available again', {
        service,
        database,
        down_s: Math.round((Date.now() - downSince) / 1000),
        suppressed: failures,
      })
      downSince = failures = 0
    }
    return value
  }
  // Only while down does success need a look (to log the recovery): the usual path adds one
  // rejection handler to the promise and nothing else.
  const watch = (result: unknown) => {
    if (!result || typeof (result as PromiseLike<unknown>).then !== 'function') return result
    const promise = result as Promise<unknown>
    return downSince === 0 ? promise.then(undefined, fail) : promise.then(recovered, fail)
  }

  const guarded: Record<string, unknown> = {}
  // Every method, also those added to Store later; close() reports its own errors as they are.
  for (const [key, value] of Object.entries(store)) {
    if (typeof value !== 'function' || key === 'close') {
      guarded[key] = value
      continue
    }
    guarded[key] = (...args: unknown[]) => {
      try {
        return watch(value.apply(store, args))
      } catch (error) {
        return Promise.reject(error).then(undefined, fail)
      }
    }
  }
  return guarded as unknown as Store
}
