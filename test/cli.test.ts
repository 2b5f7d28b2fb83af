import { afterAll, expect, test } from 'bun:test'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const main = join(import.meta.dir, '../src/main.ts')
const dirs: string[] = []
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'parley-cli-'))
  dirs.push(d)
  return d
}

test('the default command serves on the configured port and creates ./db/chatbot.db', async () => {
  const cwd = tempDir()
  const proc = Bun.spawn([process.execPath, main, '--port', '0'], {
    cwd,
    stdout: 'pipe',
    stderr: 'pipe',
    env: { ...process.env, LOG_FORMAT: 'json' },
  })
  try {
    const reader = proc.stdout.getReader()
    let text = ''
    while (!text.includes('\n')) text += new TextDecoder().decode((await reader.read()).value)
    const line = JSON.parse(text.split('\n')[0] as string)
    expect(line.msg).toMatch(/^parley .* listening on http:\/\/127\.0\.0\.1:\d+$/)
    const res = await fetch(`${line.url}/conversations/`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ user_id: 'cli' }),
    })
    expect(res.status).toBe(201)
    expect(existsSync(join(cwd, 'db/chatbot.db'))).toBe(true)
    reader.releaseLock()
  } finally {
    proc.kill('SIGTERM')
  }
  expect(await proc.exited).toBe(0)
})

test('a bad setting stops start-up with one line on stderr and exit code 2', async () => {
  const proc = Bun.spawn([process.execPath, main], {
    cwd: tempDir(),
    stderr: 'pipe',
    stdout: 'pipe',
    env: { ...process.env, PORT: 'eighty' },
  })
  expect(await proc.exited).toBe(2)
  const err = await new Response(proc.stderr).text()
  expect(err).toBe('parley: invalid PORT="eighty": expected an integer from 0 to 65535\n')
})

test('migrate applies migrations and exits; --version prints the version', async () => {
  const cwd = tempDir()
  const migrate = Bun.spawn([process.execPath, main, 'migrate', '--database-url', 'sqlite:///m.db'], {
    cwd,
    stdout: 'pipe',
  })
  expect(await migrate.exited).toBe(0)
  expect(existsSync(join(cwd, 'm.db'))).toBe(true)
  const version = Bun.spawn([process.execPath, main, '--version'], { stdout: 'pipe' })
  expect((await new Response(version.stdout).text()).trim()).toMatch(/^\d+\.\d+\.\d+/)
})
