import { isAbsolute, resolve } from 'node:path'
import { type Static, Type as T, type TSchema } from '@sinclair/typebox'
import { Value } from '@sinclair/typebox/value'

/**
 * Every setting, once: its env var name is the key, its flag is the kebab-case of it
 * (`DATABASE_URL` → `--database-url`), and the description/default feed `--help` and the README.
 * This is the only module that reads the environment or the command line.
 */
const Int = (def: number, min: number, max: number, description: string) =>
  T.Integer({ default: def, minimum: min, maximum: max, description })
const Str = (def: string, description: string, pattern?: string) =>
  T.String({ default: def, description, ...(pattern ? { pattern } : {}) })
const OneOf = <V extends string>(values: readonly V[], def: V, description: string) =>
  T.Union(
    values.map((v) => T.Literal(v)),
    { default: def, description },
  )

export const Settings = T.Object({
  PORT: Int(8000, 0, 65535, 'TCP port to listen on (0 picks a free one)'),
  HOST: Str('127.0.0.1', 'Interface to bind; 0.0.0.0 for every interface'),
  DATABASE_URL: Str('sqlite:///./db/chatbot.db', 'sqlite:///relative.db, sqlite:////absolute.db or sqlite::memory:'),
  SQLITE_SYNCHRONOUS: OneOf(
    ['NORMAL', 'FULL'] as const,
    'NORMAL',
    'SQLite fsync policy in WAL mode: NORMAL survives process crashes, FULL also power loss',
  ),
  CORS_ORIGINS: Str('*', 'Comma-separated allowed origins for CORS, or * (then without credentials)'),
  LOG_LEVEL: OneOf(['debug', 'info', 'warn', 'error'] as const, 'info', 'Least severe level logged'),
  LOG_FORMAT: OneOf(
    ['auto', 'json', 'pretty'] as const,
    'auto',
    'json lines, pretty lines, or auto (pretty on a terminal, else json)',
  ),
  MAX_MESSAGE_LENGTH: Int(32768, 1, 10_000_000, 'Longest message content, in characters'),
  MAX_BODY_BYTES: Int(1_048_576, 1024, 1_073_741_824, 'Largest accepted request body, in bytes'),
  EVENT_RETENTION: Int(10_000, 1, 100_000_000, 'Events kept per conversation for since_seq replay'),
  BOT_PROVIDER: OneOf(['builtin', 'none'] as const, 'builtin', 'Who answers user messages: builtin or none'),
  BUILTIN_BOT_DELAY_MS: Int(30, 0, 10_000, "Pause between the built-in bot's streamed chunks, in ms"),
  WS_MAX_PAYLOAD_BYTES: Int(262_144, 1024, 16_777_216, 'Largest WebSocket frame accepted; larger closes with 1009'),
  WS_IDLE_TIMEOUT_S: Int(120, 30, 960, 'Seconds without traffic before a WebSocket is closed'),
  WS_BACKPRESSURE_LIMIT_BYTES: Int(
    1_048_576,
    65_536,
    268_435_456,
    'Bytes queued for a slow WebSocket reader before it is closed (1013)',
  ),
  MAX_ROOMS_PER_SOCKET: Int(100, 1, 100_000, 'Conversations one socket may join at once'),
  SHUTDOWN_TIMEOUT_MS: Int(10_000, 0, 600_000, 'On SIGTERM/SIGINT, longest wait for requests and bot replies, in ms'),
  METRICS: T.Boolean({ default: false, description: 'Serve Prometheus metrics at GET /metrics (true or false)' }),
})
export type Settings = Static<typeof Settings>

export type DatabaseTarget = { kind: 'sqlite'; path: string; url: string } // path ':memory:' or absolute

export type Config = Readonly<
  Settings & {
    database: DatabaseTarget
    corsOrigins: readonly string[]
  }
>

/** A bad setting: printed as one line naming the variable, never with a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

const flagOf = (key: string) => `--${key.toLowerCase().replaceAll('_', '-')}`
const keyOfFlag = new Map(Object.keys(Settings.properties).map((k) => [flagOf(k), k]))

type Command = 'serve' | 'migrate' | 'healthcheck'
export type Invocation = { command: 'help' | 'version' } | { command: Command; config: Config }
const commands = new Set<string>(['serve', 'migrate', 'healthcheck'])

/** Parses `[command] [--flag value | --flag=value]...` against env: flags > env > defaults. */
export function parseCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Invocation {
  let command: Command = 'serve'
  const flags: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return { command: 'help' }
    if (arg === '--version' || arg === '-v') return { command: 'version' }
    if (!arg.startsWith('--')) {
      if (i === 0 && commands.has(arg)) command = arg as typeof command
      else throw new ConfigError(`unknown command or argument "${arg}" (see --help)`)
      continue
    }
    const eq = arg.indexOf('=')
    const flag = eq === -1 ? arg : arg.slice(0, eq)
    const key = keyOfFlag.get(flag)
    if (!key) throw new ConfigError(`unknown flag ${flag} (see --help)`)
    const value = eq === -1 ? argv[++i] : arg.slice(eq + 1)
    if (value === undefined) throw new ConfigError(`flag ${flag} needs a value`)
    flags[key] = value
  }
  return { command, config: loadConfig(flags, env, cwd) }
}

/** Builds the frozen Config; throws ConfigError naming the first bad variable. */
export function loadConfig(
  flags: Record<string, string>,
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Config {
  const raw: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(Settings.properties)) {
    const given = flags[key] ?? env[key]
    raw[key] = given === undefined || given === '' ? (schema as { default: unknown }).default : given
    // TypeBox's Convert would truncate "8.5" to 8: integers must be written as integers.
    const wellFormed = (schema as TSchema).type !== 'integer' || /^-?\d+$/.test(String(raw[key]))
    const value = Value.Convert(schema as TSchema, raw[key])
    if (!wellFormed || !Value.Check(schema as TSchema, value)) {
      const source = key in flags ? flagOf(key) : key
      throw new ConfigError(`invalid ${source}=${JSON.stringify(given)}: ${describe(schema as TSchema)}`)
    }
    raw[key] = value
  }
  const settings = raw as Settings
  return Object.freeze({
    ...settings,
    database: parseDatabaseUrl(settings.DATABASE_URL, cwd),
    corsOrigins: Object.freeze(
      settings.CORS_ORIGINS.split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    ),
  })
}

function describe(schema: TSchema): string {
  if (schema.anyOf) return `expected one of ${schema.anyOf.map((s: TSchema) => s.const).join(', ')}`
  if (schema.type === 'integer') return `expected an integer from ${schema.minimum} to ${schema.maximum}`
  if (schema.type === 'boolean') return 'expected true or false'
  return 'invalid value'
}

/** Accepts the SQLAlchemy-style SQLite URLs the original backend used. */
export function parseDatabaseUrl(url: string, cwd: string): DatabaseTarget {
  if (url === 'sqlite::memory:' || url === 'sqlite:///:memory:' || url === 'sqlite://')
    return { kind: 'sqlite', path: ':memory:', url }
  if (url.startsWith('sqlite:///')) {
    const rest = url.slice('sqlite:///'.length) // "relative.db" or "/absolute.db"
    if (rest && !rest.endsWith('/')) {
      return { kind: 'sqlite', path: isAbsolute(rest) ? rest : resolve(cwd, rest), url }
    }
  }
  throw new ConfigError(
    `invalid DATABASE_URL=${JSON.stringify(url)}: expected sqlite:///relative/path.db, sqlite:////absolute/path.db or sqlite::memory:`,
  )
}

/** The help text: every setting with its flag, env var and default. */
export function helpText(version: string): string {
  const lines = [
    `parley ${version} — self-hosted chatbot API server`,
    '',
    'Usage: parley [command] [flags]',
    '',
    'Commands:',
    '  serve        start the server (default)',
    '  migrate      apply database migrations and exit',
    '  healthcheck  exit 0 when GET /health/ready of the server at HOST:PORT answers 200 (for containers)',
    '',
    'Flags (each also read from the environment variable shown; flags win):',
  ]
  for (const [key, schema] of Object.entries(Settings.properties)) {
    const s = schema as TSchema
    lines.push(`  ${flagOf(key).padEnd(22)} ${key.padEnd(20)} ${s.description} (default: ${s.default})`)
  }
  lines.push('  --help, -h', '  --version, -v')
  return lines.join('\n')
}
