import { readFileSync } from 'node:fs'
import type { TSchema } from '@sinclair/typebox'
import { resolveBots } from './config-bots'
import type { AssistantSpec, HttpTool, McpServer, Provider } from './config-file'
import { readParleyFile } from './config-file-read'
import { ConfigError, flagOf, Settings } from './config-settings'
import { resolveTools } from './config-tools'
import { type DatabaseTarget, parseDatabaseUrl, parseSetting, requireTogether } from './config-values'

/**
 * The only module that reads the environment or the command line (the settings themselves,
 * one TypeBox schema feeding `--help` and docs/configuration.md, are in config-settings.ts).
 * Precedence: flags > env > the `settings` of the PARLEY_CONFIG file > defaults.
 */
export { ConfigError, type DatabaseTarget, parseDatabaseUrl, Settings }

export type Config = Readonly<
  Settings & {
    database: DatabaseTarget
    corsOrigins: readonly string[]
    /** API_KEYS and the keys of API_KEYS_FILE. */
    apiKeys: readonly string[]
    allowedOrigins: readonly string[]
    /** FILES_TYPES, lowercase. */
    fileTypes: readonly string[]
    /** The provider `default` (BOT_PROVIDER, unless none), then the config file's, in file order. */
    providers: readonly Provider[]
    /** The assistant `default` (BOT_PROVIDER, unless none), then the config file's. Frozen. */
    assistants: readonly AssistantSpec[]
    /** The id of the assistant answering when none is chosen; null: no replies. */
    defaultAssistant: string | null
    /** The config file's MCP servers and HTTP tools. */
    mcpServers: readonly McpServer[]
    httpTools: readonly HttpTool[]
  }
>

const keyOfFlag = new Map(Object.keys(Settings.properties).map((k) => [flagOf(k), k]))

type RunCommand = 'serve' | 'migrate' | 'healthcheck' | 'export' | 'import'
export type Invocation =
  | { command: 'help' | 'version' }
  | {
      command: RunCommand
      config: Config /** export/import: the NDJSON file ("-" or absent: stdout/stdin) */
      file?: string
    }
const commands = new Set<string>(['serve', 'migrate', 'healthcheck', 'export', 'import'])

/** Parses `[command] [--flag value | --flag=value]...` against env: flags > env > file > defaults. */
export function parseCommandLine(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Invocation {
  let command = 'serve' as RunCommand
  let file: string | undefined
  const flags: Record<string, string> = {}
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') return { command: 'help' }
    if (arg === '--version' || arg === '-v') return { command: 'version' }
    if (!arg.startsWith('--')) {
      if (i === 0 && commands.has(arg)) command = arg as typeof command
      else if ((command === 'export' || command === 'import') && file === undefined) file = arg
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
  return { command, config: loadConfig(flags, env, cwd), ...(file === undefined ? {} : { file }) }
}

/** Builds the frozen Config; throws ConfigError naming the first bad variable (or place in the file). */
export function loadConfig(
  flags: Record<string, string>,
  env: Record<string, string | undefined>,
  cwd = process.cwd(),
): Config {
  const own = (o: Record<string, unknown>, key: string) => (Object.hasOwn(o, key) ? o[key] : undefined)
  // The file's own path comes from the command line or the environment only.
  const fileName = String(own(flags, 'PARLEY_CONFIG') ?? own(env, 'PARLEY_CONFIG') ?? '')
  const file = fileName ? readParleyFile(fileName, cwd) : undefined
  const fromFile: Record<string, unknown> = file?.settings ?? {}
  const sources = new Map<string, string>()
  const raw: Record<string, unknown> = {}
  for (const [key, schema] of Object.entries(Settings.properties)) {
    let given = (own(flags, key) ?? own(env, key)) as string | number | boolean | undefined
    let source = Object.hasOwn(flags, key) ? flagOf(key) : key
    if ((given === undefined || given === '') && own(fromFile, key) !== undefined) {
      given = own(fromFile, key) as string | number | boolean
      source = `${fileName} settings.${key}`
    }
    sources.set(key, source)
    // Unset or empty: the default (undefined for an optional setting left unset).
    if (given === undefined || given === '') raw[key] = (schema as { default: unknown }).default
    else raw[key] = parseSetting(key, schema as TSchema, given, source)
  }
  const settings = raw as Settings
  const sourceOf = (key: string) => sources.get(key) ?? key
  requireTogether(settings, sourceOf)
  return Object.freeze({
    ...settings,
    database: parseDatabaseUrl(settings.DATABASE_URL, cwd, sourceOf('DATABASE_URL')),
    corsOrigins: list(settings.CORS_ORIGINS),
    apiKeys: Object.freeze([...list(settings.API_KEYS), ...readKeys(settings.API_KEYS_FILE)]),
    allowedOrigins: list(settings.ALLOWED_ORIGINS),
    fileTypes: list(settings.FILES_TYPES.toLowerCase()),
    ...resolveBots(settings, file, fileName, env),
    ...resolveTools(file, fileName, env),
  })
}

const list = (text: string) =>
  Object.freeze(
    text
      .split(/[,\n]/)
      .map((o) => o.trim())
      .filter(Boolean),
  )

function readKeys(file: string): string[] {
  if (!file) return []
  try {
    return list(readFileSync(file, 'utf8')).filter((k) => !k.startsWith('#'))
  } catch {
    throw new ConfigError(`invalid API_KEYS_FILE=${JSON.stringify(file)}: cannot read it`)
  }
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
    '  export [F]   write every conversation, message and file as NDJSON to F (default: stdout)',
    '  import [F]   load NDJSON from F (default: stdin); existing conversations are skipped',
    '',
    'Flags (each also read from the environment variable shown; flags win):',
  ]
  for (const [key, schema] of Object.entries(Settings.properties)) {
    const s = schema as TSchema
    const def = s.default === undefined ? 'unset' : s.default === '' ? 'empty' : s.default
    lines.push(`  ${flagOf(key).padEnd(30)} ${key.padEnd(28)} ${s.description} (default: ${def})`)
  }
  lines.push('  --help, -h', '  --version, -v')
  lines.push(
    '',
    'Config file: --parley-config F (or PARLEY_CONFIG) names a JSON file of providers, assistants and settings; flags and env win over its settings (docs/configuration.md)',
  )
  return lines.join('\n')
}
