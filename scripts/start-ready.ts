import type { Subprocess } from 'bun'

export type Ready = { proc: Subprocess<'ignore', 'pipe', 'inherit'>; url: string; ms: number }

/**
 * Starts a Parley command, reads its start line (LOG_FORMAT=json) for the URL and waits until
 * GET /health/ready answers 200; `ms` is the time from spawn to that answer. Its stdout keeps
 * being drained. A process not ready within 30 s is killed. Used by the build (to record a
 * start-up) and the start-up benchmark.
 */
export async function startReady(cmd: string[], options: { cwd: string; env: Record<string, string> }): Promise<Ready> {
  const t0 = performance.now()
  const proc = Bun.spawn(cmd, {
    cwd: options.cwd,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'inherit',
    env: { LOG_FORMAT: 'json', LOG_LEVEL: 'info', ...options.env },
  })
  const guard = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  try {
    let text = ''
    const reader = proc.stdout.pipeThrough(new TextDecoderStream()).getReader()
    while (!text.includes('\n')) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`${cmd.join(' ')} exited before its start line`)
      text += value
    }
    const { url } = JSON.parse(text.slice(0, text.indexOf('\n'))) as { url: string }
    const ready = await fetch(`${url}/health/ready`)
    const ms = performance.now() - t0
    if (ready.status !== 200) throw new Error(`GET /health/ready answered ${ready.status}`)
    void (async () => {
      while (!(await reader.read()).done) {} // keep the pipe drained until it exits
    })()
    return { proc, url, ms }
  } catch (error) {
    proc.kill('SIGKILL')
    throw error
  } finally {
    clearTimeout(guard)
  }
}
