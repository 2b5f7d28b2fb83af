import { type Static, Type as T } from '@sinclair/typebox'

/**
 * The config file (PARLEY_CONFIG=parley.json): providers (connections, secrets included) and
 * assistants (personas over a provider). The assistant schema is also the body of
 * POST /assistants: one schema for both.
 */
export const NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$'
/** An MCP server's or HTTP tool's name: no dot, which separates a server from its tools. */
export const TOOL_NAME = '^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$'
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
    tools: T.Optional(
      T.Array(T.String({ minLength: 1, maxLength: 130 }), {
        maxItems: 64,
        description: 'Tools it may call: an HTTP tool, "server.tool" of an MCP server, or "server.*" for all of them',
      }),
    ),
    max_steps: T.Optional(
      T.Integer({ minimum: 1, maximum: 50, description: 'Model calls in one reply, tool rounds included (default 8)' }),
    ),
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

const Env = T.Record(T.String({ maxLength: 256 }), T.String({ maxLength: 32_768 }), { maxProperties: 100 })
/** The server's tool names mapped to the names assistants and the model use. */
const Names = T.Optional(
  T.Record(T.String({ maxLength: 128 }), T.String({ pattern: TOOL_NAME }), {
    maxProperties: 256,
    description: 'Its tools renamed: {"get_current_time": "time"} makes it `time` instead of `server.get_current_time`',
  }),
)
const ToolMs = T.Optional(T.Integer({ minimum: 100, maximum: 600_000, description: 'Longest call (default 30000)' }))
export const McpServerSpec = T.Union([
  T.Object(
    {
      type: T.Literal('stdio'),
      command: T.String({ minLength: 1, maxLength: 4096 }),
      args: T.Optional(T.Array(T.String({ maxLength: 4096 }), { maxItems: 100 })),
      env: T.Optional(Env),
      cwd: T.Optional(T.String({ maxLength: 4096 })),
      timeout_ms: ToolMs,
      approval: T.Optional(T.Boolean({ description: 'Every call waits for a user to approve it' })),
      names: Names,
    },
    { additionalProperties: false },
  ),
  T.Object(
    {
      type: T.Literal('http'),
      url: Url('The Streamable HTTP endpoint'),
      headers: T.Optional(Env),
      timeout_ms: ToolMs,
      approval: T.Optional(T.Boolean()),
      names: Names,
    },
    { additionalProperties: false },
  ),
])
export type McpServerSpec = Static<typeof McpServerSpec>

export const HttpToolSpec = T.Object(
  {
    url: Url('Parley POSTs {tool, arguments, conversation_id} here, signed like the webhook bot'),
    description: T.String({ minLength: 1, maxLength: 4096 }),
    parameters: T.Record(T.String(), T.Unknown(), { description: 'JSON Schema of the arguments (an object)' }),
    secret: T.Optional(T.String({ maxLength: 4096 })),
    secret_env: T.Optional(T.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' })),
    timeout_ms: ToolMs,
    approval: T.Optional(T.Boolean()),
  },
  { additionalProperties: false },
)
export type HttpToolSpec = Static<typeof HttpToolSpec>

export const ParleyFile = T.Object(
  {
    /** Any setting by its variable name; flags and the environment win over it. */
    settings: T.Optional(T.Record(T.String(), T.Union([T.String(), T.Number(), T.Boolean()]))),
    providers: T.Optional(T.Record(T.String({ pattern: NAME_PATTERN }), ProviderSpec, { additionalProperties: false })),
    assistants: T.Optional(T.Array(AssistantSpec, { maxItems: 1000 })),
    mcp_servers: T.Optional(T.Record(T.String({ pattern: TOOL_NAME }), McpServerSpec, { additionalProperties: false })),
    tools: T.Optional(T.Record(T.String({ pattern: TOOL_NAME }), HttpToolSpec, { additionalProperties: false })),
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

/** A tool source with every default and secret resolved. */
export type McpServer = { name: string; timeoutMs: number; approval: boolean; names: Record<string, string> } & (
  | { type: 'stdio'; command: string; args: string[]; env: Record<string, string>; cwd?: string | undefined }
  | { type: 'http'; url: string; headers: Record<string, string> }
)
export type HttpTool = {
  name: string
  url: string
  description: string
  parameters: Record<string, unknown>
  secret: string
  timeoutMs: number
  approval: boolean
}
