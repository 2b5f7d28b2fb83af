import { afterAll, describe, expect, test } from 'bun:test'
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { loadConfig, parseCommandLine } from '../src/config'
import { configFiles, one, openai } from './config-file-helpers'

// The config file (PARLEY_CONFIG): real files in a temp dir; its mistakes in config-file-errors.test.ts.
const { dir, load, errorOf, cleanup } = configFiles()
afterAll(cleanup)

describe('config file', () => {
  test('three assistants over two openai providers and a webhook; flags > env > file > defaults', () => {
    const file = {
      settings: { BOT_PROVIDER: 'none', PORT: 8100, LOG_LEVEL: 'warn', HOST: '0.0.0.0', BOT_CONCURRENCY: '4' },
      providers: {
        cloud: { type: 'openai', api_key_env: 'CLOUD_KEY', model: 'gpt-4o-mini', concurrency: 2 },
        local: { type: 'openai', base_url: 'http://127.0.0.1:11434/v1', timeout_ms: 5000 },
        crm: { type: 'webhook', url: 'https://crm.example/hook', secret_env: 'CRM_SECRET' },
      },
      assistants: [
        { id: 'helper', name: 'Helper', provider: 'cloud', suggestions: ['Hi'], metadata: { tier: 'gold' } },
        { id: 'llama', name: 'Llama', provider: 'local', model: 'llama3.2', temperature: 0.2 },
        { id: 'sales', name: 'Sales', provider: 'crm', quota: { tokens_per_day: 1000, tokens_per_month: null } },
      ],
      default_assistant: 'llama',
    }
    const env = { PORT: '9000', LOG_LEVEL: 'error', CLOUD_KEY: 'sk-cloud', CRM_SECRET: 'whsec' }
    const c = load(file, env, { PORT: '9100' })
    expect([c.PORT, c.LOG_LEVEL, c.HOST, c.BOT_CONCURRENCY, c.MAX_MESSAGE_LENGTH]).toEqual([
      9100,
      'error',
      '0.0.0.0',
      4,
      32768,
    ])
    const timing = { concurrency: 4, timeoutMs: 60_000, firstTokenTimeoutMs: 20_000 }
    expect(c.providers).toEqual([
      {
        ...timing,
        name: 'cloud',
        type: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-cloud',
        model: 'gpt-4o-mini',
        concurrency: 2,
      },
      {
        ...timing,
        name: 'local',
        type: 'openai',
        baseUrl: 'http://127.0.0.1:11434/v1',
        apiKey: '',
        model: '',
        timeoutMs: 5000,
      },
      { ...timing, name: 'crm', type: 'webhook', url: 'https://crm.example/hook', secret: 'whsec' },
    ])
    expect(c.assistants).toEqual(file.assistants)
    expect(c.defaultAssistant).toBe('llama')
    expect(Object.isFrozen(c.providers[0])).toBe(true)
    expect(Object.isFrozen(c.assistants[0]?.suggestions)).toBe(true)
  })

  test('BOT_PROVIDER configures the provider and assistant `default`, first and the default', () => {
    const env = { BOT_PROVIDER: 'openai', OPENAI_MODEL: 'gpt-4o', OPENAI_API_KEY: 'sk-env', BOT_TEMPERATURE: '0.5' }
    const c = load(
      { assistants: [{ id: 'terse', name: 'Terse', provider: 'default', system_prompt: 'Be brief.' }] },
      env,
    )
    expect(c.providers).toEqual([
      {
        name: 'default',
        type: 'openai',
        baseUrl: 'https://api.openai.com/v1',
        apiKey: 'sk-env',
        model: 'gpt-4o',
        concurrency: 16,
        timeoutMs: 60_000,
        firstTokenTimeoutMs: 20_000,
      },
    ])
    expect(c.assistants.map((a) => a.id)).toEqual(['default', 'terse'])
    expect(c.assistants[0]).toEqual({
      id: 'default',
      name: 'Assistant',
      provider: 'default',
      system_prompt: 'You are a helpful assistant.',
      history_messages: 20,
      history_chars: 24_000,
      model: 'gpt-4o',
      temperature: 0.5,
    })
    expect(c.defaultAssistant).toBe('default')
  })

  test('without a file: the builtin `default`; BOT_PROVIDER=none: nothing, replies off', () => {
    const c = loadConfig({}, { BUILTIN_BOT_DELAY_MS: '5' }, dir)
    expect(c.providers).toEqual([
      { name: 'default', type: 'builtin', delayMs: 5, concurrency: 16, timeoutMs: 60_000, firstTokenTimeoutMs: 20_000 },
    ])
    expect(c.assistants.map((a) => [a.id, a.model])).toEqual([['default', undefined]])
    expect(loadConfig({}, { BOT_PROVIDER: 'none' }, dir)).toMatchObject({
      providers: [],
      assistants: [],
      defaultAssistant: null,
    })
  })

  test('BOT_PROVIDER=none: the first assistant is the default; the file may use the name `default`', () => {
    const c = load({
      ...one({ id: 'default' }, { default: { type: 'builtin', delay_ms: 0 } }),
      assistants: [
        { id: 'default', name: 'D', provider: 'default' },
        { id: 'b', name: 'B', provider: 'default' },
      ],
    })
    expect(c.defaultAssistant).toBe('default')
    expect(c.providers[0]).toMatchObject({ name: 'default', type: 'builtin', delayMs: 0 })
  })

  test('the path is relative to cwd, from --parley-config or PARLEY_CONFIG; empty means none', () => {
    mkdirSync(join(dir, 'etc'), { recursive: true })
    writeFileSync(join(dir, 'etc/p.json'), JSON.stringify({ settings: { PORT: 8123 } }))
    const inv = parseCommandLine(['--parley-config', 'etc/p.json'], { PARLEY_CONFIG: 'nope.json' }, dir)
    expect('config' in inv && inv.config.PORT).toBe(8123)
    expect(loadConfig({}, { PARLEY_CONFIG: join(dir, 'etc/p.json') }, '/').PORT).toBe(8123)
    expect(loadConfig({}, { PARLEY_CONFIG: '' }, dir).PORT).toBe(8000)
  })
})

describe('config file: reading it', () => {
  test('missing, unreadable (a directory), larger than 1 MiB', () => {
    expect(() => loadConfig({}, { PARLEY_CONFIG: 'nope/parley.json' }, dir)).toThrow(
      /^nope\/parley\.json: no such file \(\/.*\/nope\/parley\.json\)$/,
    )
    expect(() => loadConfig({}, { PARLEY_CONFIG: '.' }, dir)).toThrow(/^\.: not a file \(/)
    expect(errorOf(`{"settings":{"HOST":"${'x'.repeat(1_048_576)}"}}`)).toMatch(
      /^parley\.json: larger than 1 MiB \(1048600 bytes\)$/,
    )
  })

  test.each([
    ['a trailing comma', '{\n  "settings": {},\n}\n', 'at line 3, column 1: expected a "quoted" key, found "}"'],
    ['a bare word', '{"settings": {"PORT": eighty}}', 'at line 1, column 23: expected a value, found "e"'],
    ['an unclosed string', '{"a": "b\n"}', 'at line 1, column 9: expected a closing ", found a line break'],
    ['an empty file', '', 'at line 1, column 1: expected a value, found the end of the file'],
  ])('not JSON: %s', (_, text, where) => {
    expect(errorOf(text)).toBe(`parley.json: not JSON ${where}`)
  })

  test('not UTF-8; not an object', () => {
    expect(errorOf(new Uint8Array([0x7b, 0xff, 0x7d]))).toBe('parley.json: not UTF-8 text')
    expect(load('\ufeff{"settings": {"PORT": 8001}}').PORT).toBe(8001) // a byte order mark is fine
    expect(errorOf('null')).toBe('parley.json: expected a JSON object at the top level, found null')
  })

  test('secrets never appear in a message', () => {
    const secret = 'sk-very-secret-value'
    const messages = [
      errorOf({ settings: { OPENAI_API_KEY: 12345, JWT_SECRET: secret } }),
      errorOf(one({}, { main: { ...openai, api_key: secret, base_url: `https://user:${secret}@/` } })),
      errorOf(one({}, { main: { type: 'webhook', url: 'https://h.example', secret: secret.repeat(300) } })),
      errorOf({ settings: { DATABASE_URL: `mongodb://u:${secret}@h/db` } }),
    ]
    expect(messages[0]).toBe('invalid parley.json settings.OPENAI_API_KEY: expected a string')
    expect(messages[2]).toBe('parley.json: providers.main.secret: expected a string of at most 4096 characters')
    for (const message of messages) expect(message).not.toContain(secret)
  })

  test('flags and env name themselves, not the file', () => {
    expect(() => load({ settings: { PORT: 1 } }, { PORT: 'x' })).toThrow(/^invalid PORT="x"/)
    expect(() => load({}, {}, { PORT: 'x' })).toThrow(/^invalid --port="x"/)
  })
})
