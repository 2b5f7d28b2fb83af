import { join } from 'node:path'
import { pinned, startServer } from './lib/servers'
import { report } from './lib/stats'

/** Reads JSON lines from a child's stdout. */
function lines(stream: ReadableStream<Uint8Array>) {
  const reader = stream
    .pipeThrough(new TextDecoderStream() as unknown as ReadableWritablePair<string, Uint8Array>)
    .getReader()
  let buffer = ''
  return async () => {
    while (!buffer.includes('\n')) {
      const { value, done } = await reader.read()
      if (done) throw new Error('client ended')
      buffer += value
    }
    const line = buffer.slice(0, buffer.indexOf('\n'))
    buffer = buffer.slice(buffer.indexOf('\n') + 1)
    return JSON.parse(line)
  }
}

/** Target 5: 10,000 idle native WebSockets within 150 MB of server RSS; 1,000 open/close cycles leave RSS within 10 %. */
export async function connections() {
  const server = await startServer('parley')
  try {
    await Bun.sleep(500)
    const idle = await server.rssMiB()
    const client = Bun.spawn(pinned(1, [process.execPath, join(import.meta.dir, 'clients/idle.ts')]), {
      env: { PATH: process.env.PATH ?? '', URL: server.url, SOCKETS: '10000', CYCLES: '1000' },
      stdin: 'pipe',
      stdout: 'pipe',
      stderr: 'inherit',
    })
    const next = lines(client.stdout)
    await next()
    await Bun.sleep(1000)
    const held = await server.rssMiB()
    report(
      '5. 10,000 idle native WebSockets: server RSS ≤ 150 MB',
      `${held.toFixed(1)} MiB in total (${idle.toFixed(1)} MiB idle before)`,
      held <= 150,
    )
    // Open/close cycles with the 10,000 still held: memory must come back.
    client.stdin.write('cycle\n')
    await client.stdin.flush()
    await next()
    Bun.gc?.(true)
    await Bun.sleep(1500)
    const after = await server.rssMiB()
    const growth = (after - held) / held
    report(
      '5. 1,000 connect/disconnect cycles: RSS within 10 % of where it started',
      `${held.toFixed(1)} → ${after.toFixed(1)} MiB (${(growth * 100).toFixed(1)} %)`,
      Math.abs(growth) <= 0.1,
    )
    client.stdin.write('done\n')
    await client.stdin.end()
    await client.exited
  } finally {
    await server.stop()
  }
}

if (import.meta.main) await connections()
