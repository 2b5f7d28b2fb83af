import { type Static, Type as T, type TSchema } from '@sinclair/typebox'

/**
 * Every setting, once: its env var name is the key, its flag is the kebab-case of it
 * (`DATABASE_URL` → `--database-url`), and the description/default feed `--help` and docs/configuration.md.
 * This is the only module that reads the environment or the command line.
 */
const Int = (def: number, min: number, max: number, description: string) =>
  T.Integer({ default: def, minimum: min, maximum: max, description })
const Str = (def: string, description: string, pattern?: string) =>
  T.String({ default: def, description, ...(pattern ? { pattern } : {}) })
const Bool = (def: boolean, description: string) => T.Boolean({ default: def, description })
/** A setting with no default: absent means "let the provider decide". */
const Maybe = <S extends TSchema>(schema: S) => T.Optional(schema)
const OneOf = <V extends string>(values: readonly V[], def: V, description: string) =>
  T.Union(
    values.map((v) => T.Literal(v)),
    { default: def, description },
  )

// A media type without parameters (RFC 6838 names), as FILES_TYPES lists them.
const MEDIA_TYPE = '[A-Za-z0-9][\\w!#$&^.+-]*/[A-Za-z0-9][\\w!#$&^.+-]*'
const FILE_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/markdown',
  'text/csv',
  'application/json',
]

export const Settings = T.Object({
  PARLEY_CONFIG: Str('', 'Path of a JSON config file with providers, assistants and settings (see docs/bots.md)'),
  PORT: Int(8000, 0, 65535, 'TCP port to listen on (0 picks a free one)'),
  HOST: Str('127.0.0.1', 'Interface to bind; 0.0.0.0 for every interface'),
  DATABASE_URL: Str(
    'sqlite:///./db/chatbot.db',
    'sqlite:///relative.db, sqlite:////absolute.db, sqlite::memory:, postgres://… or mysql://…',
  ),
  DATABASE_POOL_SIZE: Int(10, 1, 1000, 'Connections per instance to PostgreSQL or MySQL'),
  SQLITE_SYNCHRONOUS: OneOf(
    ['NORMAL', 'FULL'] as const,
    'NORMAL',
    'SQLite fsync policy in WAL mode: NORMAL survives process crashes, FULL also power loss',
  ),
  CORS_ORIGINS: Str('*', 'Comma-separated allowed origins for CORS, or * (then without credentials)'),
  AI_SDK_PATH: Str(
    '/api/chat',
    "Path of the AI SDK chat endpoint (useChat's api); its stream, messages and stop routes are under it",
    '^(/[A-Za-z0-9._~-]+)+$',
  ),
  LOG_LEVEL: OneOf(['debug', 'info', 'warn', 'error'] as const, 'info', 'Least severe level logged'),
  LOG_FORMAT: OneOf(
    ['auto', 'json', 'pretty'] as const,
    'auto',
    'json lines, pretty lines, or auto (pretty on a terminal, else json)',
  ),
  MAX_MESSAGE_LENGTH: Int(32768, 1, 10_000_000, 'Longest message content, in characters'),
  MAX_BODY_BYTES: Int(1_048_576, 1024, 1_073_741_824, 'Largest accepted request body, in bytes'),
  FILES_MAX_BYTES: Int(
    10_485_760,
    1,
    104_857_600,
    'Largest stored file (POST /files, a data: URL in a message part), in bytes; kept in the database',
  ),
  FILES_TYPES: Str(
    FILE_TYPES.join(','),
    'Comma-separated media types (type/subtype) a stored file may have',
    `^\\s*${MEDIA_TYPE}(\\s*,\\s*${MEDIA_TYPE})*\\s*$`,
  ),
  EVENT_RETENTION: Int(10_000, 1, 100_000_000, 'Events kept per conversation for since_seq replay'),
  BOT_PROVIDER: OneOf(
    ['builtin', 'openai', 'webhook', 'none'] as const,
    'builtin',
    'Who answers user messages: builtin, openai (any OpenAI-compatible server), webhook or none',
  ),
  BUILTIN_BOT_DELAY_MS: Int(30, 0, 10_000, "Pause between the built-in bot's streamed chunks, in ms"),
  OPENAI_BASE_URL: Str('https://api.openai.com/v1', 'Base URL of the OpenAI-compatible API (Ollama, vLLM, Groq…)'),
  OPENAI_API_KEY: Str('', 'API key sent as a bearer token (empty: none, e.g. for Ollama)'),
  OPENAI_MODEL: Str('', 'Model name (required with BOT_PROVIDER=openai)'),
  BOT_SYSTEM_PROMPT: Str('You are a helpful assistant.', 'System prompt sent before the history'),
  BOT_TEMPERATURE: Maybe(
    T.Number({ minimum: 0, maximum: 2, description: 'Sampling temperature (unset: the model default)' }),
  ),
  BOT_MAX_TOKENS: Maybe(
    T.Integer({ minimum: 1, maximum: 1_000_000, description: 'Longest reply, in tokens (unset: the model default)' }),
  ),
  WEBHOOK_URL: Str('', 'URL the webhook bot POSTs each message to (required with BOT_PROVIDER=webhook)'),
  WEBHOOK_SECRET: Str('', 'Key of the X-Parley-Signature HMAC-SHA256 header over the body (empty: unsigned)'),
  BOT_HISTORY_MESSAGES: Int(20, 1, 1000, 'Messages of history sent to the bot'),
  BOT_HISTORY_CHARS: Int(24_000, 1, 10_000_000, 'History trimmed from the oldest side to fit this many characters'),
  BOT_TIMEOUT_MS: Int(60_000, 100, 3_600_000, 'Longest time a whole reply may take'),
  BOT_FIRST_TOKEN_TIMEOUT_MS: Int(20_000, 100, 3_600_000, 'Longest wait for the first streamed chunk'),
  BOT_CONCURRENCY: Int(16, 1, 10_000, 'Replies generated at once; more wait in a queue, in order'),
  BOT_QUEUE_MAX: Int(
    1000,
    1,
    1_000_000,
    'Replies queued or running at once across all providers; past it a message asking for a reply is refused (503 bot_busy, not stored)',
  ),
  TOOL_WAIT_MS: Int(
    300_000,
    1000,
    86_400_000,
    "Longest wait for a client tool's result or a user's approval of a tool call; then the model gets an error result",
  ),
  QUOTA_TOKENS_PER_DAY: Int(
    0,
    0,
    1e12,
    "Tokens (input + output) each user's replies may use per UTC day, over all assistants; 0: no limit",
  ),
  QUOTA_TOKENS_PER_MONTH: Int(
    0,
    0,
    1e12,
    "Tokens (input + output) each user's replies may use per calendar month, over all assistants; 0: no limit",
  ),
  WS_MAX_PAYLOAD_BYTES: Int(262_144, 1024, 16_777_216, 'Largest WebSocket frame accepted; larger closes with 1009'),
  WS_IDLE_TIMEOUT_S: Int(120, 30, 960, 'Seconds without traffic before a WebSocket is closed'),
  WS_BACKPRESSURE_LIMIT_BYTES: Int(
    1_048_576,
    65_536,
    268_435_456,
    'Bytes queued for a slow WebSocket reader before it is closed (1013)',
  ),
  BUS: OneOf(
    ['local', 'postgres', 'redis'] as const,
    'local',
    'How instances share realtime events: local (one instance), postgres (LISTEN/NOTIFY) or redis',
  ),
  REDIS_URL: Str('redis://127.0.0.1:6379', 'Redis for BUS=redis'),
  MAX_ROOMS_PER_SOCKET: Int(100, 1, 100_000, 'Conversations one socket may join at once'),
  AUTH_MODE: OneOf(
    ['none', 'apikey', 'jwt'] as const,
    'none',
    'none (open, for local use), apikey (trusted back-ends) or jwt (end users; API keys still work)',
  ),
  API_KEYS: Str('', 'Comma-separated API keys (Authorization: Bearer <key> or X-API-Key)'),
  API_KEYS_FILE: Str('', 'A file with one API key per line (added to API_KEYS)'),
  JWT_SECRET: Str('', 'HS256 secret that signs user tokens'),
  JWT_JWKS_URL: Str('', 'JWKS URL for RS256/ES256 user tokens (keys cached and refreshed)'),
  JWT_ISSUER: Str('', 'Required `iss` of user tokens (empty: not checked)'),
  JWT_AUDIENCE: Str('', 'Required `aud` of user tokens (empty: not checked)'),
  ALLOWED_ORIGINS: Str('', 'Comma-separated Origins allowed to open WebSockets (empty: any)'),
  TRUST_PROXY: Bool(false, 'Take the client address from X-Forwarded-For (only behind a proxy you run)'),
  TRUST_PROXY_HOPS: Int(
    1,
    1,
    16,
    'Proxies you run in front of Parley, each appending to X-Forwarded-For: the client address is that many entries from the end',
  ),
  RATE_LIMIT_REQUESTS: Int(600, 1, 10_000_000, 'REST requests per minute per user (or client address)'),
  RATE_LIMIT_MESSAGES: Int(30, 1, 10_000_000, 'Messages that trigger the bot, per minute per user'),
  RATE_LIMIT_TOOL_CALLS: Int(
    120,
    1,
    10_000_000,
    "Tool calls the model makes for one user's conversations, per minute; past it a call is an error result",
  ),
  MAX_METADATA_BYTES: Int(16_384, 2, 16_777_216, 'Largest metadata object, in bytes of JSON'),
  MAX_METADATA_DEPTH: Int(8, 1, 100, 'Deepest nesting of a metadata object'),
  MAX_SOCKETS_PER_USER: Int(100, 1, 1_000_000, 'Open WebSockets per user (or client address)'),
  MAX_PENDING_SOCKETS_PER_ADDRESS: Int(
    20,
    1,
    100_000,
    'Socket.IO sessions per client address that are open but not yet connected to the namespace',
  ),
  MAX_JSON_DEPTH: Int(32, 2, 64, 'Deepest nesting of arrays and objects in a JSON body or socket frame'),
  RATE_LIMIT_SOCKET_EVENTS: Int(1200, 1, 10_000_000, 'Client events per minute per socket (any event)'),
  RATE_LIMIT_SOCKET_EVENTS_PER_USER: Int(
    6000,
    1,
    10_000_000,
    'Client events per minute per user (or client address), over all their sockets',
  ),
  RATE_LIMIT_JOINS: Int(120, 1, 10_000_000, 'join_conversation events per minute per socket'),
  TYPING_INTERVAL_MS: Int(
    1000,
    0,
    60_000,
    'Typing indicators of one socket in one conversation are relayed at most this often',
  ),
  HTTP_IDLE_TIMEOUT_S: Int(
    10,
    1,
    255,
    'Seconds a connection may send nothing (headers, body) before it is closed; streams of authenticated callers are exempt',
  ),
  BODY_TIMEOUT_MS: Int(10_000, 100, 600_000, 'Longest time to receive a whole request body'),
  CONNECT_TIMEOUT_MS: Int(
    10_000,
    100,
    600_000,
    'Longest wait at start-up for the database, Redis or PostgreSQL bus before giving up with their name',
  ),
  SHUTDOWN_TIMEOUT_MS: Int(10_000, 0, 600_000, 'On SIGTERM/SIGINT, longest wait for requests and bot replies, in ms'),
  METRICS: Bool(false, 'Serve Prometheus metrics at GET /metrics (true or false)'),
})
export type Settings = Static<typeof Settings>

/** A bad setting: printed as one line naming the variable, never with a stack. */
export class ConfigError extends Error {
  override name = 'ConfigError'
}

export const flagOf = (key: string) => `--${key.toLowerCase().replaceAll('_', '-')}`
