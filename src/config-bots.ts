import type { AssistantSpec, ParleyFile, Provider, ProviderSpec } from './config-file'
import { placeOf } from './config-file-read'
import { ConfigError, type Settings } from './config-settings'

/**
 * The providers and assistants of a Config: the ones BOT_PROVIDER configures (both named
 * `default`, unless BOT_PROVIDER=none), then the config file's, with every default and secret
 * resolved and each reference checked. Errors name the place in the file, never a secret.
 */
export type Bots = {
  providers: readonly Provider[]
  assistants: readonly AssistantSpec[]
  defaultAssistant: string | null
}

const reserved = (what: string) =>
  `\`default\` is the ${what} configured by BOT_PROVIDER; set BOT_PROVIDER=none to define your own`

export function resolveBots(
  s: Settings,
  file: ParleyFile | undefined,
  fileName: string,
  env: Record<string, string | undefined>,
): Bots {
  const fail = (at: readonly (string | number)[], problem: string): never => {
    throw new ConfigError(`${fileName}: ${placeOf(at)}: ${problem}`)
  }
  const fromEnv = s.BOT_PROVIDER !== 'none'
  const providers: Provider[] = fromEnv ? [envProvider(s)] : []
  for (const [name, spec] of Object.entries(file?.providers ?? {})) {
    if (fromEnv && name === 'default') fail(['providers', name], reserved('provider'))
    const secret = (key: string, value: string | undefined, variable: string | undefined) => {
      if (value !== undefined || variable === undefined) return value ?? ''
      const found = Object.hasOwn(env, variable) ? env[variable] : undefined
      return found || fail(['providers', name, key], `the environment variable ${variable} is not set`)
    }
    providers.push(fileProvider(name, spec, s, secret))
  }
  const byName = new Map(providers.map((p) => [p.name, p]))

  const assistants: AssistantSpec[] = fromEnv ? [envAssistant(s)] : []
  const placeOfId = new Map<string, number>()
  for (const [i, a] of (file?.assistants ?? []).entries()) {
    if (fromEnv && a.id === 'default') fail(['assistants', i, 'id'], reserved('assistant'))
    const first = placeOfId.get(a.id)
    if (first !== undefined) fail(['assistants', i, 'id'], `"${a.id}" is already the id of assistants[${first}]`)
    placeOfId.set(a.id, i)
    const provider = byName.get(a.provider)
    if (!provider) {
      const known = providers.length ? `known: ${providers.map((p) => p.name).join(', ')}` : 'none are defined'
      fail(['assistants', i, 'provider'], `no provider "${a.provider}" (${known})`)
    } else if (provider.type === 'openai' && !a.model && !provider.model) {
      fail(['assistants', i, 'model'], `missing: provider "${provider.name}" has no model`)
    }
    assistants.push(a)
  }

  let defaultAssistant: string | null = fromEnv ? 'default' : (assistants[0]?.id ?? null)
  if (file?.default_assistant !== undefined) {
    defaultAssistant = file.default_assistant
    if (!assistants.some((a) => a.id === defaultAssistant)) {
      const known = assistants.length ? `known: ${assistants.map((a) => a.id).join(', ')}` : 'none are defined'
      fail(['default_assistant'], `no assistant "${defaultAssistant}" (${known})`)
    }
  }
  return {
    providers: Object.freeze(providers.map((p) => Object.freeze(p))),
    assistants: deepFreeze(assistants),
    defaultAssistant,
  }
}

const timing = (s: Settings) => ({
  concurrency: s.BOT_CONCURRENCY,
  timeoutMs: s.BOT_TIMEOUT_MS,
  firstTokenTimeoutMs: s.BOT_FIRST_TOKEN_TIMEOUT_MS,
})

function envProvider(s: Settings): Provider {
  const common = { name: 'default', ...timing(s) }
  if (s.BOT_PROVIDER === 'openai')
    return { ...common, type: 'openai', baseUrl: s.OPENAI_BASE_URL, apiKey: s.OPENAI_API_KEY, model: s.OPENAI_MODEL }
  if (s.BOT_PROVIDER === 'webhook') return { ...common, type: 'webhook', url: s.WEBHOOK_URL, secret: s.WEBHOOK_SECRET }
  return { ...common, type: 'builtin', delayMs: s.BUILTIN_BOT_DELAY_MS }
}

function fileProvider(
  name: string,
  p: ProviderSpec,
  s: Settings,
  secret: (key: string, value: string | undefined, variable: string | undefined) => string,
): Provider {
  const defaults = timing(s)
  const common = {
    name,
    concurrency: p.concurrency ?? defaults.concurrency,
    timeoutMs: p.timeout_ms ?? defaults.timeoutMs,
    firstTokenTimeoutMs: p.first_token_timeout_ms ?? defaults.firstTokenTimeoutMs,
  }
  if (p.type === 'openai') {
    const apiKey = secret('api_key_env', p.api_key, p.api_key_env)
    return {
      ...common,
      type: 'openai',
      baseUrl: p.base_url ?? 'https://api.openai.com/v1',
      apiKey,
      model: p.model ?? '',
    }
  }
  if (p.type === 'webhook')
    return { ...common, type: 'webhook', url: p.url, secret: secret('secret_env', p.secret, p.secret_env) }
  return { ...common, type: 'builtin', delayMs: p.delay_ms ?? s.BUILTIN_BOT_DELAY_MS }
}

function envAssistant(s: Settings): AssistantSpec {
  return {
    id: 'default',
    name: 'Assistant',
    provider: 'default',
    system_prompt: s.BOT_SYSTEM_PROMPT,
    history_messages: s.BOT_HISTORY_MESSAGES,
    history_chars: s.BOT_HISTORY_CHARS,
    ...(s.BOT_PROVIDER === 'openai' && s.OPENAI_MODEL ? { model: s.OPENAI_MODEL } : {}),
    ...(s.BOT_TEMPERATURE === undefined ? {} : { temperature: s.BOT_TEMPERATURE }),
    ...(s.BOT_MAX_TOKENS === undefined ? {} : { max_tokens: s.BOT_MAX_TOKENS }),
  }
}

function deepFreeze<V>(value: V): V {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const inner of Object.values(value)) deepFreeze(inner)
  }
  return value
}
