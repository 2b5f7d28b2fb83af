import { join } from 'node:path'
import { pinned } from './servers'

/** Runs a bench client script in its own process on the load core; returns its JSON line. */
export async function runClient<T>(script: string, env: Record<string, string>): Promise<T> {
  const proc = Bun.spawn(pinned(1, [process.execPath, join(import.meta.dir, '../clients', script)]), {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdout: 'pipe',
    stderr: 'inherit',
  })
  const out = await new Response(proc.stdout).text()
  if ((await proc.exited) !== 0) throw new Error(`${script} failed`)
  return JSON.parse(out.trim().split('\n').at(-1) as string) as T
}
