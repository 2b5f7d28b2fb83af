/**
 * `bun run build`: compiles dist/parley, the self-contained executable, in two passes.
 *
 * 1. Compile with bytecode.
 * 2. Start that binary once on an empty database, wait until GET /health/ready answers, stop
 *    it, and record which functions ran (BUN_BYTECODE_ORDER_OUT).
 * 3. Compile again with that record (--bytecode-order): Bun puts the bytecode a start-up uses
 *    together at the front of the file, so an idle server maps in fewer pages of its own
 *    executable (about 4 MiB less resident memory, bench/startup.ts).
 *
 * The record is made from the code being built, so it never goes stale.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startReady } from './start-ready'

const root = join(import.meta.dir, '..')
const outfile = join(root, 'dist/parley')

async function compile(bytecodeOrder: string | false) {
  const result = await Bun.build({
    entrypoints: [join(root, 'src/main.ts')],
    minify: true,
    bytecode: true,
    // What `bun build --compile` implies (--production): NODE_ENV inlined as production.
    define: { 'process.env.NODE_ENV': '"production"' },
    compile: { outfile, assets: [join(root, 'drizzle')], bytecodeOrder },
  })
  if (!result.success) throw new AggregateError(result.logs, 'bun build failed')
}

/** Runs the binary from start to its first ready answer and returns the functions it used. */
async function recordStartup(dir: string): Promise<string> {
  const order = join(dir, 'bytecode.order')
  const { proc } = await startReady([outfile], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATABASE_URL: `sqlite:///${join(dir, 'profile.db')}`,
      BUN_BYTECODE_ORDER_OUT: order,
    },
  })
  const kill = setTimeout(() => proc.kill('SIGKILL'), 30_000)
  proc.kill('SIGTERM')
  const code = await proc.exited
  clearTimeout(kill)
  if (code !== 0) throw new Error(`the binary exited with ${code} on SIGTERM`)
  if (!(await Bun.file(order).exists())) throw new Error('the binary wrote no bytecode order record')
  return order
}

const dir = mkdtempSync(join(tmpdir(), 'parley-build-'))
try {
  await compile(false)
  const order = await recordStartup(dir)
  await compile(order)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
