import { fstatSync, writeSync } from 'node:fs'

export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Logger
  /** Whether `level` is logged: lets hot paths skip building fields nobody reads. */
  enabled(level: LogLevel): boolean
}

const rank: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type LoggerOptions = {
  level: LogLevel
  format: 'auto' | 'json' | 'pretty'
  write?: (line: string) => void
}

/**
 * One JSON object per line (for log shippers) or a readable line (on a terminal).
 * Small on purpose: it must run inside the compiled binary with no worker threads.
 */
export function createLogger(options: LoggerOptions, bound: LogFields = {}): Logger {
  const write = options.write ?? writeStdout
  const pretty = options.format === 'pretty' || (options.format === 'auto' && stdoutIsTerminal())
  const min = rank[options.level]
  const emit = (level: LogLevel, msg: string, fields?: LogFields) => {
    if (rank[level] < min) return
    const time = new Date().toISOString()
    const all = fields ? { ...bound, ...fields } : bound
    if (!pretty) {
      write(`${JSON.stringify({ level, time, msg, ...all }, errorReplacer)}\n`)
      return
    }
    const extra = Object.entries(all)
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v, errorReplacer)}`)
      .join(' ')
    write(`${time} ${level.toUpperCase().padEnd(5)} ${msg}${extra ? ` ${extra}` : ''}\n`)
  }
  return {
    debug: (msg, fields) => emit('debug', msg, fields),
    info: (msg, fields) => emit('info', msg, fields),
    warn: (msg, fields) => emit('warn', msg, fields),
    error: (msg, fields) => emit('error', msg, fields),
    child: (fields) => createLogger(options, { ...bound, ...fields }),
    enabled: (level) => rank[level] >= min,
  }
}

/**
 * Writes straight to file descriptor 1 rather than through `process.stdout`: creating that
 * stream loads Node's stream modules, ~15 ms of a ~90 ms start-up. Each line is written whole
 * and in order, also just before a crash. Once anything creates `process.stdout`, a pipe there
 * is non-blocking: when it is full, a write takes only what fits (a line longer than PIPE_BUF
 * may be cut) or nothing (EAGAIN); the rest of that line and every later line then go through
 * `process.stdout`, which queues them. A line that cannot be written at all (stdout closed) is
 * dropped: logging never fails a request.
 */
let queued = false
function writeStdout(line: string): void {
  if (queued) {
    process.stdout.write(line)
    return
  }
  let rest: Buffer | undefined
  try {
    const written = writeSync(1, line)
    if (written === Buffer.byteLength(line)) return
    rest = Buffer.from(line).subarray(written)
    while (rest.length > 0) rest = rest.subarray(writeSync(1, rest))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') return
    queued = true
    // writeSync throws only when it wrote nothing: `rest` is exactly what the line still lacks.
    process.stdout.write(rest ?? line)
  }
}

/**
 * Whether stdout is a terminal, without `process.stdout` or `node:tty` (which load the stream
 * modules too): a character device. /dev/null is one as well, where the format is moot.
 */
function stdoutIsTerminal(): boolean {
  try {
    return fstatSync(1).isCharacterDevice()
  } catch {
    return false
  }
}

// Errors have no enumerable fields: log their name, message and stack.
function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}

// Query parameters that carry credentials in database URLs (libpq, mysql2, redis clients).
const SECRET_PARAM = /([?&](?:password|pass|pwd|secret|token|api_?key|access_?key)=)[^&#]*/gi

/**
 * A URL fit for logs: the password of `scheme://user:password@host` and credential query
 * parameters become `***`. Works on URLs `new URL` rejects (sqlite:///path, a raw `@` or `/` in
 * the password): when in doubt it hides too much rather than too little.
 */
export function redactUrl(url: string): string {
  const out = url.replace(SECRET_PARAM, '$1***')
  const authority = out.indexOf('://') + 3
  const colon = out.indexOf(':', authority)
  const at = out.lastIndexOf('@')
  if (authority < 3 || colon === -1 || at < colon) return out
  // Only a plain user name may stand before the colon (not a host and path such as "h/a@b:c").
  if (/[/?#@]/.test(out.slice(authority, colon))) return out
  return `${out.slice(0, colon + 1)}***${out.slice(at)}`
}
