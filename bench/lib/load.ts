import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pinned } from './servers'
import { percentile } from './stats'

export type LoadResult = { rps: number; p50: number; p99: number; errors: number }
const hasWrk = Bun.which('wrk') !== null
export const GENERATOR = hasWrk ? 'wrk (1 thread)' : 'a Bun fetch client (wrk not installed)'

/** HTTP load: `connections` keep-alive connections for `seconds`, GET or POST with a JSON body. */
export type LoadOptions = {
  connections: number
  seconds: number
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE'
  body?: string
  /** Paths requested in turn, one each (wrk only): for routes that use up what they hit. */
  paths?: string
}

export async function httpLoad(url: string, opts: LoadOptions): Promise<LoadResult> {
  return hasWrk ? wrk(url, opts) : bunLoad(url, opts)
}

async function wrk(url: string, { connections, seconds, method = 'GET', body, paths }: LoadOptions) {
  const dir = mkdtempSync(join(tmpdir(), 'wrk-'))
  const script = join(dir, 'req.lua')
  writeFileSync(
    script,
    [
      `wrk.method = "${method}"`,
      body ? `wrk.body = ${JSON.stringify(body)}` : '',
      `wrk.headers["Content-Type"] = "application/json"`,
      // One path per request from a file of paths, in order (a DELETE uses up its message).
      paths
        ? `local paths, i = {}, 0\nfor line in io.lines(${JSON.stringify(paths)}) do paths[#paths + 1] = line end\nrequest = function() i = i + 1; return wrk.format(nil, paths[i]) end`
        : '',
      // Latency percentiles in microseconds, printed at the end.
      'done = function(summary, latency, requests)',
      '  io.write(string.format("P50 %d\\nP99 %d\\nERRORS %d\\n", latency:percentile(50), latency:percentile(99), summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))',
      'end',
    ].join('\n'),
  )
  const proc = Bun.spawn(pinned(1, ['wrk', '-t1', `-c${connections}`, `-d${seconds}s`, '-s', script, url]), {
    stdout: 'pipe',
    stderr: 'pipe',
  })
  const out = await new Response(proc.stdout).text()
  await proc.exited
  const num = (re: RegExp) => Number(re.exec(out)?.[1] ?? Number.NaN)
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50: num(/P50 (\d+)/) / 1000,
    p99: num(/P99 (\d+)/) / 1000,
    errors: num(/ERRORS (\d+)/),
  }
}

async function bunLoad(url: string, { connections, seconds, method = 'GET', body, paths }: LoadOptions) {
  const queue = paths ? (await Bun.file(paths).text()).split('\n').filter(Boolean) : null
  const origin = new URL(url).origin
  const latencies: number[] = []
  let errors = 0
  const end = performance.now() + seconds * 1000
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now()
        const res = await fetch(queue ? `${origin}${queue.shift()}` : url, {
          method,
          ...(body ? { body, headers: { 'content-type': 'application/json' } } : {}),
        })
        await res.arrayBuffer()
        if (res.status >= 300) errors++
        latencies.push(performance.now() - t0)
      }
    }),
  )
  return { rps: latencies.length / seconds, p50: percentile(latencies, 50), p99: percentile(latencies, 99), errors }
}
