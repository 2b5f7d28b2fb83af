import { afterAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadConfig } from '../src/config'
import { Toolbox } from '../src/tools/toolbox'
import { writeConfig } from './assistant-helpers'
import { mcpHttpServer } from './fixtures/mcp-server'
import { memoryLogger } from './helpers'

const FIXTURE = join(import.meta.dir, 'fixtures', 'mcp-server.ts')
const marker = join(mkdtempSync(join(tmpdir(), 'parley-mcp-')), 'marker')
const http = mcpHttpServer()
afterAll(() => http.stop())

const ctx = { conversationId: 'c', userId: 'u' }
const until = async (ok: () => boolean, ms = 10_000) => {
  const end = Date.now() + ms
  while (!ok()) {
    if (Date.now() > end) throw new Error('timed out')
    await Bun.sleep(20)
  }
}

function toolbox() {
  const file = writeConfig({
    mcp_servers: {
      local: { type: 'stdio', command: process.execPath, args: [FIXTURE], env: { MCP_MARKER: marker, CLOCK_NOW: '0' } },
      remote: { type: 'http', url: http.url },
      renamed: { type: 'http', url: http.url, names: { now: 'time' } },
    },
  })
  const config = loadConfig({}, { PARLEY_CONFIG: file, DATABASE_URL: 'sqlite::memory:' })
  const box = new Toolbox(config, memoryLogger())
  box.start()
  return box
}

test('tools of a stdio and a Streamable HTTP MCP server, discovered, called, checked and failing softly', async () => {
  const box = toolbox()
  try {
    await until(() => Object.values(box.states()).every((s) => s.state === 'ready'))
    // A tool the config renames is known by that name alone, to assistants and the model.
    const [time] = box.resolve(['time'])
    expect(time).toMatchObject({ name: 'time', wireName: 'time', source: 'renamed', remoteName: 'now' })
    expect(await box.run(time as never, { timezone: 'UTC' }, new AbortController().signal, ctx)).toMatchObject({
      output: expect.stringMatching(/^\d\d:\d\d in UTC$/),
    })
    expect(box.resolve(['local.*']).map((t) => t.name)).toEqual([
      'local.now',
      'local.slow',
      'local.fail',
      'local.grow',
      'local.boom',
    ])
    const [now] = box.resolve(['remote.now'])
    expect(now).toMatchObject({ name: 'remote.now', wireName: 'remote__now', approval: false })
    expect(now?.inputSchema).toMatchObject({ type: 'object', required: ['timezone'] })

    const signal = new AbortController().signal
    const [local] = box.resolve(['local.now'])
    expect(await box.run(local as never, { timezone: 'Asia/Tokyo' }, signal, ctx)).toMatchObject({
      output: '09:00 in Asia/Tokyo',
    })
    const tokyo = await box.run(now as never, { timezone: 'Asia/Tokyo' }, signal, ctx)
    expect(tokyo).toMatchObject({ output: expect.stringMatching(/^\d\d:\d\d in Asia\/Tokyo$/) })
    expect(tokyo.durationMs).toBeGreaterThanOrEqual(0)
    // Arguments are checked against the schema before the call.
    expect(await box.run(now as never, { timezone: 9 }, signal, ctx)).toMatchObject({
      error: expect.stringContaining('Invalid arguments for remote.now: /timezone must be string'),
    })
    const [fail] = box.resolve(['local.fail'])
    expect(await box.run(fail as never, {}, signal, ctx)).toMatchObject({ error: 'the disk is on fire' })

    // Cancelling a call sends notifications/cancelled: the server sees it.
    const [slow] = box.resolve(['local.slow'])
    const stop = new AbortController()
    const call = box.run(slow as never, { ms: 30_000 }, stop.signal, ctx)
    await Bun.sleep(200)
    stop.abort()
    expect(await call).toMatchObject({ error: 'The call was cancelled' })
    await until(() => existsSync(marker) && readFileSync(marker, 'utf8').includes('cancelled'))

    // A tool added while connected shows up (notifications/tools/list_changed).
    const [grow] = box.resolve(['local.grow'])
    expect(await box.run(grow as never, {}, signal, ctx)).toMatchObject({ output: 'grown' })
    await until(() => box.resolve(['local.extra']).length === 1)

    // The server process dies mid-call: an error result, then it is restarted.
    const [boom] = box.resolve(['local.boom'])
    const crashed = await box.run(boom as never, {}, signal, ctx)
    expect(crashed).toMatchObject({ error: expect.stringContaining('The MCP server "local" failed') })
    await until(() => box.states().local?.state !== 'ready')
    await until(() => box.states().local?.state === 'ready')
    expect(await box.run(local as never, { timezone: 'UTC' }, signal, ctx)).toMatchObject({ output: '00:00 in UTC' })
  } finally {
    await box.close()
  }
}, 30_000)
