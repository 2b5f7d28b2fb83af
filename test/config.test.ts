import { describe, expect, test } from 'bun:test'
import { ConfigError, helpText, loadConfig, parseCommandLine, Settings } from '../src/config'

const cwd = '/srv/app'

describe('config', () => {
  test('defaults', () => {
    const c = loadConfig({}, {}, cwd)
    expect(c).toMatchObject({
      PORT: 8000,
      HOST: '127.0.0.1',
      DATABASE_URL: 'sqlite:///./db/chatbot.db',
      CORS_ORIGINS: '*',
      LOG_LEVEL: 'info',
      MAX_MESSAGE_LENGTH: 32768,
      MAX_BODY_BYTES: 1048576,
      SQLITE_SYNCHRONOUS: 'NORMAL',
      SHUTDOWN_TIMEOUT_MS: 10000,
      METRICS: false,
    })
    expect(c.database).toEqual({ kind: 'sqlite', path: '/srv/app/db/chatbot.db', url: 'sqlite:///./db/chatbot.db' })
    expect(c.corsOrigins).toEqual(['*'])
    expect(Object.isFrozen(c)).toBe(true)
  })

  test('flags beat env, env beats defaults; both flag forms work', () => {
    const env = { PORT: '9000', LOG_LEVEL: 'warn', CORS_ORIGINS: 'https://a.example, https://b.example' }
    const inv = parseCommandLine(['serve', '--port', '9100', '--log-level=debug'], env, cwd)
    expect(inv.command).toBe('serve')
    if (!('config' in inv)) throw new Error('expected a config')
    expect(inv.config.PORT).toBe(9100)
    expect(inv.config.LOG_LEVEL).toBe('debug')
    expect(inv.config.corsOrigins).toEqual(['https://a.example', 'https://b.example'])
    const envOnly = parseCommandLine([], env, cwd)
    if (!('config' in envOnly)) throw new Error('expected a config')
    expect(envOnly.config.PORT).toBe(9000)
  })

  test.each([
    ['sqlite:///relative/path.db', '/srv/app/relative/path.db'],
    ['sqlite:////absolute/path.db', '/absolute/path.db'],
    ['sqlite::memory:', ':memory:'],
  ])('DATABASE_URL %s', (url, path) => {
    expect(loadConfig({}, { DATABASE_URL: url }, cwd).database).toMatchObject({ kind: 'sqlite', path })
  })

  test.each([
    [{ PORT: 'abc' }, /^invalid PORT="abc": expected an integer from 0 to 65535$/],
    [{ PORT: '70000' }, /PORT/],
    [{ PORT: '8.5' }, /PORT/],
    [{ LOG_LEVEL: 'loud' }, /^invalid LOG_LEVEL="loud": expected one of debug, info, warn, error$/],
    [{ MAX_MESSAGE_LENGTH: '0' }, /MAX_MESSAGE_LENGTH/],
    [{ DATABASE_URL: 'mongodb://x' }, /^invalid DATABASE_URL="mongodb:\/\/x"/],
    [{ DATABASE_URL: 'sqlite:///' }, /DATABASE_URL/],
    [{ BOT_PROVIDER: 'openai' }, /^BOT_PROVIDER=openai needs OPENAI_MODEL$/],
    [{ BOT_PROVIDER: 'webhook' }, /^BOT_PROVIDER=webhook needs WEBHOOK_URL$/],
    [{ BOT_PROVIDER: 'webhook', WEBHOOK_URL: 'not a url' }, /WEBHOOK_URL/],
    [{ BOT_TEMPERATURE: '3' }, /^invalid BOT_TEMPERATURE="3": expected a number from 0 to 2$/],
    [{ BOT_PROVIDER: 'gpt' }, /BOT_PROVIDER/],
    [{ METRICS: 'yes' }, /^invalid METRICS="yes": expected true or false$/],
    [{ SHUTDOWN_TIMEOUT_MS: '-1' }, /SHUTDOWN_TIMEOUT_MS/],
    [
      { QUOTA_TOKENS_PER_DAY: '-1' },
      /^invalid QUOTA_TOKENS_PER_DAY="-1": expected an integer from 0 to 1000000000000$/,
    ],
    [{ QUOTA_TOKENS_PER_MONTH: '1.5' }, /^invalid QUOTA_TOKENS_PER_MONTH="1.5"/],
    [{ PARLEY_CONFIG: 'no-such.json' }, /^no-such\.json: no such file \(\/srv\/app\/no-such\.json\)$/],
  ])('rejects %j with a one-line error naming the variable', (env, message) => {
    const error = (() => {
      try {
        loadConfig({}, env as Record<string, string>, cwd)
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(ConfigError)
    expect((error as Error).message).toMatch(message)
    expect((error as Error).message).not.toContain('\n')
  })

  test('token quotas: 0 (no limit) unless given; no config file: the env provider and assistant', () => {
    const c = loadConfig({}, { QUOTA_TOKENS_PER_MONTH: '5000000' }, cwd)
    expect([c.QUOTA_TOKENS_PER_DAY, c.QUOTA_TOKENS_PER_MONTH, c.PARLEY_CONFIG]).toEqual([0, 5_000_000, ''])
    expect([c.providers.map((p) => p.name), c.assistants.map((a) => a.id), c.defaultAssistant]).toEqual([
      ['default'],
      ['default'],
      'default',
    ])
  })

  test('optional settings stay unset unless given', () => {
    const c = loadConfig({}, {}, cwd)
    expect(c.BOT_TEMPERATURE).toBeUndefined()
    expect(c.BOT_MAX_TOKENS).toBeUndefined()
    expect(loadConfig({}, { BOT_TEMPERATURE: '0.7' }, cwd).BOT_TEMPERATURE).toBe(0.7)
  })

  test.each([
    ['true', true],
    ['1', true],
    ['false', false],
    ['0', false],
  ])('METRICS=%s', (given, expected) => {
    expect(loadConfig({}, { METRICS: given }, cwd).METRICS).toBe(expected)
  })

  test('commands: serve (default), migrate, healthcheck; help and version need no valid config', () => {
    for (const command of ['serve', 'migrate', 'healthcheck'])
      expect(parseCommandLine([command, '--port', '9000'], {}, cwd)).toMatchObject({ command, config: { PORT: 9000 } })
    expect(parseCommandLine(['--version'], { PORT: 'bad' }, cwd).command).toBe('version')
    expect(() => parseCommandLine(['--port', '1', 'migrate'], {}, cwd)).toThrow('unknown command')
  })

  test('bad flags name the flag; unknown flags and commands are errors', () => {
    expect(() => parseCommandLine(['--port', 'x'], {}, cwd)).toThrow('invalid --port="x"')
    expect(() => parseCommandLine(['--nope'], {}, cwd)).toThrow('unknown flag --nope')
    expect(() => parseCommandLine(['--port'], {}, cwd)).toThrow('flag --port needs a value')
    expect(() => parseCommandLine(['frobnicate'], {}, cwd)).toThrow('unknown command')
  })

  test('--help lists every setting with its flag, env var and default', () => {
    expect(parseCommandLine(['--help'], { PORT: 'bad' }, cwd).command).toBe('help')
    const help = helpText('1.2.3')
    for (const [key, schema] of Object.entries(Settings.properties)) {
      const flag = `--${key.toLowerCase().replaceAll('_', '-')}`
      const line = help.split('\n').find((l) => l.trimStart().startsWith(`${flag} `))
      expect(line, key).toContain(` ${key} `)
      const def = (schema as { default?: unknown }).default
      expect(line).toContain(`(default: ${def === undefined ? 'unset' : def === '' ? 'empty' : def})`)
    }
    for (const command of ['serve', 'migrate', 'healthcheck']) expect(help).toMatch(new RegExp(`^  ${command} `, 'm'))
    expect(help).toMatch(/^Config file: --parley-config F .*JSON file/m)
  })
})
