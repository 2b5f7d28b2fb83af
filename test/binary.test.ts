import { afterAll, beforeAll, expect, test } from 'bun:test'
import { chmodSync, copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pkg from '../package.json' with { type: 'json' }
import { wsClient } from './live'
import { spawnParley } from './process'

/**
 * The path the Dockerfile takes: `bun run build`, then the binary alone in an empty folder.
 * Where mount namespaces are allowed (root), the checkout is hidden behind an empty tmpfs while
 * the binary runs, so it cannot lean on the source tree or node_modules.
 */
const root = join(import.meta.dir, '..')
const dir = mkdtempSync(join(tmpdir(), 'parley-bin-'))
const binary = join(dir, 'parley')
const canHide = Bun.spawnSync(['unshare', '-m', 'true'], { stderr: 'ignore' }).exitCode === 0

const command = (...args: string[]) =>
  canHide
    ? ['unshare', '-m', 'sh', '-c', 'mount -t tmpfs none "$0" && exec "$@"', root, binary, ...args]
    : [binary, ...args]

beforeAll(async () => {
  const build = Bun.spawn([process.execPath, 'run', 'build'], { cwd: root, stdout: 'pipe', stderr: 'pipe' })
  if ((await build.exited) !== 0) throw new Error(`bun run build failed:\n${await new Response(build.stderr).text()}`)
  copyFileSync(join(root, 'dist/parley'), binary)
  chmodSync(binary, 0o755)
}, 60_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const json = async (res: Response) => ({ status: res.status, body: (await res.json()) as any })
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(json)

test('the compiled binary alone serves the API, stops cleanly on SIGTERM and keeps its data', async () => {
  if (!canHide) console.warn('binary test: no mount namespace here, the checkout stays visible')
  const version = Bun.spawnSync(command('--version'), { cwd: dir })
  expect(version.stdout.toString().trim()).toBe(pkg.version)

  let conversationId = ''
  {
    await using parley = spawnParley(command(), { cwd: dir, env: { PORT: '0' } })
    const url = await parley.url()
    // Elysia in production mode: its validation errors do not print the rejected value.
    expect(parley.lines.map((l) => JSON.parse(l)).find((l) => l.url === url)?.mode).toBe('production')
    const created = await post(`${url}/conversations/`, { user_id: 'bin' })
    expect(created.status).toBe(201)
    conversationId = created.body.id
    expect(
      (await post(`${url}/conversations/${conversationId}/messages`, { sender: 'user', content: 'rest' })).status,
    ).toBe(201)

    using client = await wsClient(`${url.replace('http', 'ws')}/ws`)
    await client.join(conversationId)
    client.emit('send_message', { conversationId, content: 'hello' })
    expect((await client.next('new_message', (m) => m.sender === 'user')).content).toBe('hello')
    expect((await client.next('new_message', (m) => m.sender === 'ai')).content).toContain('Hello')

    // Embedded assets: the docs script and the migrations (the schema exists, above).
    const script = await fetch(`${url}/docs/scalar.js`)
    expect(script.status).toBe(200)
    expect((await script.arrayBuffer()).byteLength).toBeGreaterThan(1_000_000)
    const page = await (await fetch(`${url}/docs`)).text()
    expect(page).toContain('data-url="/openapi.json"')
    expect(((await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string }).openapi).toBe('3.1.0')
    const port = new URL(url).port
    expect(Bun.spawnSync(command('healthcheck', '--port', port), { cwd: dir }).exitCode).toBe(0)

    parley.proc.kill('SIGTERM')
    expect(await parley.proc.exited).toBe(0)
    expect(client.closeInfo?.code ?? (await client.closed).code).toBe(1001)
  }
  // The default database, created beside the binary; the WAL was checkpointed into it.
  expect(existsSync(join(dir, 'db/chatbot.db'))).toBe(true)
  const wal = join(dir, 'db/chatbot.db-wal')
  expect(existsSync(wal) ? statSync(wal).size : 0).toBe(0)

  await using again = spawnParley(command(), { cwd: dir, env: { PORT: '0' } })
  const url = await again.url()
  const { body } = await json(await fetch(`${url}/conversations/${conversationId}`))
  expect(body.messages.map((m: { sender: string; content: string }) => `${m.sender}:${m.content}`)).toEqual([
    'user:rest',
    'user:hello',
    expect.stringMatching(/^ai:Hello/),
  ])
  again.proc.kill('SIGTERM')
  expect(await again.proc.exited).toBe(0)
}, 30_000)
