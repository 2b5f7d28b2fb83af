import { afterAll, describe, expect, test } from 'bun:test'
import { configFiles, one, openai } from './config-file-helpers'

// Each mistake in a config file: one line naming the file, the place and the problem.
const { errorOf, cleanup } = configFiles()
afterAll(cleanup)

const none = { BOT_PROVIDER: 'none' }
describe('config file mistakes', () => {
  test.each([
    ['top level not an object', [1], /^parley\.json: expected a JSON object at the top level, found an array$/],
    [
      'unknown top-level key',
      { assistant: [] },
      /^parley\.json: assistant: unknown key \(expected settings, providers, assistants, mcp_servers, tools or default_assistant\)$/,
    ],
    [
      'unknown assistant key',
      one({ colour: 'red' }),
      /^parley\.json: assistants\[0\]\.colour: unknown key \(expected id, name, .*quota, tools or max_steps\)$/,
    ],
    [
      'unknown provider key, in the branch `type` selects',
      one({}, { main: { ...openai, url: 'x' } }),
      /^parley\.json: providers\.main\.url: unknown key \(expected type, base_url, api_key, api_key_env, model, concurrency, timeout_ms or first_token_timeout_ms\)$/,
    ],
    [
      'unknown key in a quota',
      one({ quota: { tokens_per_week: 1 } }),
      /^parley\.json: assistants\[0\]\.quota\.tokens_per_week: unknown key/,
    ],
    ['missing required key', one({ name: undefined }), /^parley\.json: assistants\[0\]\.name: missing \(required\)$/],
    [
      'out of range',
      one({ temperature: 5 }),
      /^parley\.json: assistants\[0\]\.temperature: expected a number from 0 to 2$/,
    ],
    ['wrong type', { assistants: {} }, /^parley\.json: assistants: expected an array of at most 1000 items$/],
    [
      'not an integer',
      one({}, { main: { ...openai, concurrency: 1.5 } }),
      /^parley\.json: providers\.main\.concurrency: expected an integer from 1 to 10000$/,
    ],
    [
      'a quota below 0',
      one({ quota: { tokens_per_day: -1 } }),
      /^parley\.json: assistants\[0\]\.quota\.tokens_per_day: expected an integer from 0 to 1000000000000 or null$/,
    ],
    [
      'too long',
      one({ name: 'x'.repeat(201) }),
      /^parley\.json: assistants\[0\]\.name: expected a string of 1 to 200 characters$/,
    ],
    [
      'a bad id',
      one({ id: 'has space' }),
      /^parley\.json: assistants\[0\]\.id: expected a name of 1 to 64 letters, digits, '\.', '_' or '-', starting with a letter or digit$/,
    ],
    [
      'a bad provider name',
      one({}, { 'my provider': openai }),
      /^parley\.json: providers\["my provider"\]: not a valid name: expected a name of 1 to 64/,
    ],
    [
      'a bad setting value type',
      { settings: { PORT: null } },
      /^parley\.json: settings\.PORT: expected a string, a number or a boolean$/,
    ],
    [
      'unknown provider type',
      one({}, { main: { type: 'anthropic' } }),
      /^parley\.json: providers\.main\.type: expected type openai, webhook or builtin$/,
    ],
    [
      'no provider type',
      one({}, { main: { model: 'm' } }),
      /^parley\.json: providers\.main\.type: expected type openai, webhook or builtin$/,
    ],
    ['a provider not an object', one({}, { main: 'openai' }), /^parley\.json: providers\.main: expected an object$/],
    [
      'webhook without url',
      one({}, { main: { type: 'webhook' } }),
      /^parley\.json: providers\.main\.url: missing \(required\)$/,
    ],
    [
      'invalid base_url',
      one({}, { main: { ...openai, base_url: 'localhost:11434' } }),
      /^parley\.json: providers\.main\.base_url: expected an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      'invalid webhook url',
      one({}, { main: { type: 'webhook', url: 'not a url' } }),
      /^parley\.json: providers\.main\.url: expected an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      'api_key and api_key_env',
      one({}, { main: { ...openai, api_key: 'sk-1', api_key_env: 'K' } }),
      /^parley\.json: providers\.main: give api_key or api_key_env, not both$/,
    ],
    [
      'api_key_env unset',
      one({}, { main: { ...openai, api_key_env: 'NO_SUCH_KEY' } }),
      /^parley\.json: providers\.main\.api_key_env: the environment variable NO_SUCH_KEY is not set$/,
    ],
    [
      'secret_env unset',
      one({}, { main: { type: 'webhook', url: 'https://h.example', secret_env: 'HOOK_SECRET' } }),
      /^parley\.json: providers\.main\.secret_env: the environment variable HOOK_SECRET is not set$/,
    ],
    [
      'unknown provider',
      one({ provider: 'gpt' }, { main: openai, aux: openai }),
      /^parley\.json: assistants\[0\]\.provider: no provider "gpt" \(known: main, aux\)$/,
    ],
    [
      'unknown provider, none defined',
      { settings: none, assistants: [{ id: 'a', name: 'A', provider: 'x' }] },
      /^parley\.json: assistants\[0\]\.provider: no provider "x" \(none are defined\)$/,
    ],
    [
      'duplicate id',
      {
        ...one({}),
        assistants: [
          { id: 'a', name: 'A', provider: 'main' },
          { id: 'b', name: 'B', provider: 'main' },
          { id: 'a', name: 'C', provider: 'main' },
        ],
      },
      /^parley\.json: assistants\[2\]\.id: "a" is already the id of assistants\[0\]$/,
    ],
    [
      'openai assistant without a model',
      one({}, { main: { type: 'openai' } }),
      /^parley\.json: assistants\[0\]\.model: missing: provider "main" has no model$/,
    ],
    [
      'default_assistant naming none',
      { ...one({}), default_assistant: 'b' },
      /^parley\.json: default_assistant: no assistant "b" \(known: a\)$/,
    ],
    [
      'reserved provider name',
      { providers: { default: openai } },
      /^parley\.json: providers\.default: `default` is the provider configured by BOT_PROVIDER; set BOT_PROVIDER=none to define your own$/,
    ],
    [
      'reserved assistant id',
      { assistants: [{ id: 'default', name: 'D', provider: 'default' }] },
      /^parley\.json: assistants\[0\]\.id: `default` is the assistant configured by BOT_PROVIDER; set BOT_PROVIDER=none to define your own$/,
    ],
    ['unknown setting', { settings: { PROT: 8000 } }, /^parley\.json: settings\.PROT: unknown setting \(see --help\)$/],
    [
      'PARLEY_CONFIG as a setting',
      { settings: { PARLEY_CONFIG: 'x.json' } },
      /^parley\.json: settings\.PARLEY_CONFIG: read only from --parley-config or the environment$/,
    ],
    [
      'metadata over 16 KiB',
      one({ metadata: { text: 'x'.repeat(16_400) } }),
      /^parley\.json: assistants\[0\]\.metadata: larger than 16 KiB of JSON \(16411 bytes\)$/,
    ],
    [
      'a setting out of range',
      { settings: { PORT: 70000 } },
      /^invalid parley\.json settings\.PORT=70000: expected an integer from 0 to 65535$/,
    ],
    [
      'a setting as a bad string',
      { settings: { PORT: '80.5' } },
      /^invalid parley\.json settings\.PORT="80\.5": expected an integer from 0 to 65535$/,
    ],
    [
      'a setting of the wrong type',
      { settings: { METRICS: 1 } },
      /^invalid parley\.json settings\.METRICS=1: expected true or false$/,
    ],
    [
      'an assistant naming an MCP server the file does not define',
      { ...one({ tools: ['clock.now', 'time.now'] }), mcp_servers: { clock: { type: 'stdio', command: 'x' } } },
      /^parley\.json: assistants\[0\]\.tools\[1\]: no MCP server "time" \(tools are "name", "server\.tool" or "server\.\*"\)$/,
    ],
    [
      'an assistant naming an HTTP tool the file does not define',
      one({ tools: ['weather'] }),
      /^parley\.json: assistants\[0\]\.tools\[0\]: no HTTP tool or renamed MCP tool "weather"/,
    ],
    [
      'HTTP tool parameters that are not an object schema',
      { tools: { weather: { url: 'http://127.0.0.1:1/w', description: 'd', parameters: { type: 'string' } } } },
      /^parley\.json: tools\.weather\.parameters: expected a JSON Schema with "type": "object"$/,
    ],
    [
      'an MCP server URL that is not http(s)',
      { mcp_servers: { m: { type: 'http', url: 'ftp://x/' } } },
      /^parley\.json: mcp_servers\.m\.url: expected an http:\/\/ or https:\/\/ URL$/,
    ],
    [
      'a setting checked with others',
      { settings: { BOT_PROVIDER: 'webhook', WEBHOOK_URL: 'nope' } },
      /^invalid parley\.json settings\.WEBHOOK_URL="nope": expected a URL$/,
    ],
  ])('%s', (_, contents, message) => {
    expect(errorOf(contents)).toMatch(message)
  })
})
