/**
 * Instructions per request, counted by valgrind's callgrind: the baseline, the baseline doing
 * Parley's duties, and Parley, each serving `POST …/messages` (or with `get`, page 1 of 1,000
 * messages) under callgrind. After a warm-up the counters are zeroed, a fixed number of
 * requests is sent (8 at a time) and the counters are dumped. Instruction counts do not depend
 * on what else the machine is doing, so they compare code where throughput on this noisy
 * machine moves by several percent between runs; they leave out the kernel's work (the same
 * system calls for all three, by strace) and cache misses. The main thread's count is the one
 * to compare: valgrind runs threads one at a time, which inflates the JIT compiler's and the
 * collector's share (natively they take a few percent). A diagnostic, not a target.
 *
 *   bun bench/instructions.ts [post|get] [requests=3000] [warm-up=8000]
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { type Kind, seedConversation, startServer } from './lib/servers'

const GET = process.argv[2] === 'get'
const REQUESTS = Number(process.argv[3] ?? 3000)
const WARM_UP = Number(process.argv[4] ?? 8000)
const BODY = JSON.stringify({ sender: 'user', content: 'Hello, how are you today?' })

if (!Bun.which('valgrind') || !Bun.which('callgrind_control')) {
  console.log('valgrind (with callgrind_control) is not installed: nothing measured')
  process.exit(0)
}

const contenders: { name: string; kind: Kind; env: Record<string, string> }[] = [
  { name: 'the baseline', kind: 'baseline', env: {} },
  { name: "the baseline doing Parley's duties", kind: 'baseline', env: { DUTIES: '1' } },
  { name: 'Parley', kind: 'parley', env: {} },
]

/** Sends `count` requests, `concurrency` at a time; throws on any non-2xx answer. */
async function drive(url: string, count: number, concurrency = 8) {
  let left = count
  const init: RequestInit = GET ? {} : { method: 'POST', body: BODY, headers: { 'content-type': 'application/json' } }
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left-- > 0) {
        const res = await fetch(url, init)
        await res.arrayBuffer()
        if (!res.ok) throw new Error(`${url}: ${res.status}`)
      }
    }),
  )
}

const control = (args: string[]) => Bun.spawnSync(['callgrind_control', ...args], { stdout: 'ignore' })
/** A callgrind file's total (its `summary:` line). */
const total = (file: string) => Number(/^summary: (\d+)/m.exec(readFileSync(file, 'utf8'))?.[1] ?? Number.NaN)

async function measure(kind: Kind, env: Record<string, string>) {
  // Under valgrind a start takes tens of seconds.
  const server = await startServer(kind, env, {
    wrap: (dir) => [
      'valgrind',
      '--tool=callgrind',
      '--separate-threads=yes',
      `--log-file=${join(dir, 'valgrind.log')}`,
      `--callgrind-out-file=${join(dir, 'cg')}`,
    ],
    startTimeoutMs: 300_000,
  })
  try {
    const id = await seedConversation(server, GET ? 1000 : 0)
    const target = `${server.url}/conversations/${id}/messages${GET ? '?page=1&size=10' : ''}`
    await drive(target, WARM_UP)
    control(['-z', String(server.pid)])
    await drive(target, REQUESTS)
    control(['-d', String(server.pid)])
    // One file per thread of the dump: cg.1-01 is the main (JavaScript) thread.
    const dumped = readdirSync(server.dir).filter((f) => /^cg\.1-\d+$/.test(f))
    const main = total(join(server.dir, 'cg.1-01'))
    const all = dumped.reduce((sum, f) => sum + total(join(server.dir, f)), 0)
    return { main: main / REQUESTS, all: all / REQUESTS }
  } finally {
    await server.stop('SIGKILL')
  }
}

console.log(
  `${GET ? 'GET page 1 of 1,000 messages' : 'POST a message'}: instructions per request (callgrind), ` +
    `${REQUESTS} requests after ${WARM_UP} of warm-up`,
)
const results: { name: string; main: number; all: number }[] = []
for (const { name, kind, env } of contenders) results.push({ name, ...(await measure(kind, env)) })
const base = results[0] as { main: number; all: number }
const k = (n: number) => `${(n / 1000).toFixed(1)}k`
console.log('| What answers | main thread | vs the baseline | all threads (with JIT compiler and collector) |')
console.log('|---|---|---|---|')
for (const r of results) console.log(`| ${r.name} | ${k(r.main)} | ${(r.main / base.main).toFixed(2)}× | ${k(r.all)} |`)
process.exit(0)
