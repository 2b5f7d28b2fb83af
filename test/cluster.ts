import { join } from 'node:path'
import { httpCaller } from './live'

const main = join(import.meta.dir, '../src/main.ts')

/** A real Parley process on a free port; its URL is read from its start-up line. */
export async function spawnInstance(env: Record<string, string>) {
  const proc = Bun.spawn([process.execPath, main, '--port', '0'], {
    env: { ...process.env, LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...env },
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const reader = proc.stdout.getReader()
  let text = ''
  const deadline = Date.now() + 15_000
  let match: RegExpMatchArray | null = null
  while (!match) {
    if (Date.now() > deadline) throw new Error(`instance did not start: ${text}`)
    const { value, done } = await reader.read()
    if (done) throw new Error(`instance exited: ${text}${await new Response(proc.stderr).text()}`)
    text += new TextDecoder().decode(value)
    match = text.match(/http:\/\/127\.0\.0\.1:(\d+)/)
  }
  // Keep draining stdout so the process never blocks on a full pipe.
  void (async () => {
    try {
      for (;;) if ((await reader.read()).done) return
    } catch {}
  })()
  const base = `http://127.0.0.1:${match[1]}`
  return {
    proc,
    base,
    ws: base.replace('http', 'ws'),
    call: httpCaller(base),
    async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') {
      proc.kill(signal)
      return proc.exited
    },
  }
}
export type Instance = Awaited<ReturnType<typeof spawnInstance>>
