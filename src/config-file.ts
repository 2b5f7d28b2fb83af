import { type Static, Type as T } from '@sinclair/typebox'

/**
 * The config file (PARLEY_CONFIG=parley.json): providers (connections, secrets included) and
 * assistants (personas over a provider). The assistant schema is also the body of
 * POST /assistants: one schema for both.
 */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
const Name = (description: string) => T.String({ pattern: NAME_PATTERN, description })
const Ms = (description: string) => T.Optional(T.Integer({ minimum: 100, maximum: 3_600_000, description }))
const Concurrency = T.Optional(
  T.Integer({ minimum: 1, maximum: 10_000, description: 'Replies this provider generates at once' }),
)
const Url = (description: string) => T.String({ minLength: 1, maxLength: 2048, description })

/** Token limits per user; null: no limit (where a wider one would apply), absent: inherited. */
export const Limits = T.Object(
  {
    tokens_per_day: T.Optional(T.Union([T.Integer({ minimum: 0, maximum: 1e12 }), T.Null()])),
    tokens_per_month: T.Optional(T.Union([T.Integer({ minimum: 0, maximum: 1e12 }), T.Null()])),
  },
  { additionalProperties: false },
)
export type Limits = Static<typeof Limits>

export const AssistantSpec = T.Object(
  {
    id: Name('Stable id, used in conversations (assistant_id)'),
    name: T.String({ minLength: 1, maxLength: 200, description: 'Shown in model pickers' }),
    description: T.Optional(T.String({ maxLength: 2000 })),
    provider: Name('The provider that generates its replies'),
    model: T.Optional(T.String({ minLength: 1, maxLength: 200, description: "Default: the provider's model" })),
    system_prompt: T.Optional(T.String({ maxLength: 100_000, description: 'Instructions sent before the history' })),
    temperature: T.Optional(T.Number({ minimum: 0, maximum: 2 })),
    max_tokens: T.Optional(T.Integer({ minimum: 1, maximum: 1_000_000 })),
    history_messages: T.Optional(T.Integer({ minimum: 1, maximum: 1000 })),
    history_chars: T.Optional(T.Integer({ minimum: 1, maximum: 10_000_000 })),
    greeting: T.Optional(T.String({ maxLength: 10_000, description: 'Shown by front-ends before the first message' })),
    suggestions: T.Optional(T.Array(T.String({ minLength: 1, maxLength: 2000 }), { maxItems: 10 })),
    metadata: T.Optional(T.Record(T.String(), T.Unknown())),
    quota: T.Optional(Limits),
  },
  { additionalProperties: false },
)
export type AssistantSpec = Static<typeof AssistantSpec>

const common = {
  concurrency: Concurrency,
  timeout_ms: Ms('Longest time a whole reply may take (default BOT_TIMEOUT_MS)'),
  first_token_timeout_ms: Ms('Longest wait for the first chunk (default BOT_FIRST_TOKEN_TIMEOUT_MS)'),
}
export const ProviderSpec = T.Union([
  T.Object(
    {
      type: T.Literal('openai'),
      base_url: T.Optional(Url('Default https://api.openai.com/v1')),
      api_key: T.Optional(T.String({ maxLength: 4096 })),
      api_key_env: T.Optional(T.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
      model: T.Optional(T.String({ minLength: 1, maxLength: 200 })),
      ...common,
    },
    { additionalProperties: false },
  ),
  T.Object(
    {
      type: T.Literal('webhook'),
      url: Url('Where each message is POSTed'),
      secret: T.Optional(T.String({ maxLength: 4096 })),
      secret_env: T.Optional(T.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
      ...common,
    },
    { additionalProperties: false },
  ),
  T.Object(
    { type: T.Literal('builtin'), delay_ms: T.Optional(T.Integer({ minimum: 0, maximum: 10_000 })), ...common },
    { additionalProperties: false },
  ),
])
export type ProviderSpec = Static<typeof ProviderSpec>

export const ParleyFile = T.Object(
  {
    /** Any setting by its variable name; flags and the environment win over it. */
    settings: T.Optional(T.Record(T.String(), T.Union([T.String(), T.Number(), T.Boolean()]))),
    providers: T.Optional(T.Record(T.String({ pattern: NAME_PATTERN }), ProviderSpec, { additionalProperties: false })),
    assistants: T.Optional(T.Array(AssistantSpec, { maxItems: 1000 })),
    default_assistant: T.Optional(T.String()),
  },
  { additionalProperties: false },
)
export type ParleyFile = Static<typeof ParleyFile>

/** A provider with every default and secret resolved. */
export type Provider = { name: string; concurrency: number; timeoutMs: number; firstTokenTimeoutMs: number } & (
  | { type: 'openai'; baseUrl: string; apiKey: string; model: string }
  | { type: 'webhook'; url: string; secret: string }
  | { type: 'builtin'; delayMs: number }
)
