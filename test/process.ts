import type { Subprocess } from 'bun'

/**
 * A Parley process (from source or the binary) with its stdout read line by line, so a test
 * can wait for a log line (the start line gives the URL when PORT=0). Kill it with `await using`.
 */
export function spawnParley(cmd: string[], options: { cwd: string; env?: Record<string, string> }) {
  const proc: Subprocess<'ignore', 'pipe', 'pipe'> = Bun.spawn(cmd, {
    cwd: options.cwd,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    // Only what a process needs: a developer's own PORT or DATABASE_URL must not leak in.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/', LOG_FORMAT: 'json', ...options.env },
  })
  const lines: string[] = []
  let wake = () => {}
  let ended = false
  void (async () => {
    let buffer = ''
    for await (const chunk of proc.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk
      const parts = buffer.split('\n')
      buffer = parts.pop() as string
      lines.push(...parts)
      wake()
    }
    ended = true
    wake()
  })()

  /** The first stdout line (parsed as JSON) matching `match`, waiting up to `timeoutMs`. */
  async function until(match: (line: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const deadline = Date.now() + timeoutMs
    for (let seen = 0; ; ) {
      for (; seen < lines.length; seen++) {
        const parsed = JSON.parse(lines[seen] as string)
        if (match(parsed)) return parsed
      }
      if (ended || Date.now() > deadline)
        throw new Error(`no matching log line; stdout:\n${lines.join('\n')}\nstderr:\n${await stderr()}`)
      await new Promise<void>((resolve) => {
        wake = resolve
        setTimeout(resolve, 50)
      })
    }
  }
  const stderr = () => (proc.exitCode === null ? Promise.resolve('') : new Response(proc.stderr).text())

  return {
    proc,
    lines,
    until,
    /** The origin from the start line. */
    async url(): Promise<string> {
      return (await until((l) => typeof l.msg === 'string' && l.msg.includes(' listening on '))).url
    },
    async [Symbol.asyncDispose]() {
      if (proc.exitCode === null) proc.kill('SIGKILL')
      await proc.exited
    },
  }
}
