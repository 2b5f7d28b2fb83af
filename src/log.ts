export type LogLevel = 'debug' | 'info' | 'warn' | 'error'
export type LogFields = Record<string, unknown>

export interface Logger {
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(fields: LogFields): Logger
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
  const write = options.write ?? ((line: string) => process.stdout.write(line))
  const pretty = options.format === 'pretty' || (options.format === 'auto' && process.stdout.isTTY === true)
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
  }
}

// Errors have no enumerable fields: log their name, message and stack.
function errorReplacer(_key: string, value: unknown) {
  if (value instanceof Error) return { name: value.name, message: value.message, stack: value.stack }
  return value
}
