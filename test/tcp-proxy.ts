import type { Socket, TCPSocketListener } from 'bun'

type Pair = { upstream?: Socket<unknown>; pending: Uint8Array[] }

/**
 * A TCP proxy on 127.0.0.1 in front of a real server, which a test can cut (every connection
 * dropped, the port refusing) and restore on the same port: a database outage on demand.
 */
export function tcpProxy(upstreamPort: number) {
  const clients = new Set<Socket<Pair>>()
  const listen = (port: number): TCPSocketListener<Pair> =>
    Bun.listen<Pair>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(client) {
          client.data = { pending: [] }
          clients.add(client)
          Bun.connect({
            hostname: '127.0.0.1',
            port: upstreamPort,
            socket: {
              open(upstream) {
                client.data.upstream = upstream
                for (const chunk of client.data.pending.splice(0)) upstream.write(chunk)
              },
              data: (_upstream, chunk) => void client.write(chunk),
              close: () => void client.end(),
              error: () => void client.end(),
            },
          }).catch(() => void client.end())
        },
        data(client, chunk) {
          if (client.data.upstream) client.data.upstream.write(chunk)
          else client.data.pending.push(new Uint8Array(chunk))
        },
        close(client) {
          client.data.upstream?.end()
          clients.delete(client)
        },
      },
    })
  let listener: TCPSocketListener<Pair> | null = listen(0)
  const port = listener.port
  return {
    port,
    /** Drops every connection and stops listening: connects are refused until restore(). */
    cut() {
      listener?.stop(true)
      listener = null
      for (const client of clients) {
        client.data.upstream?.terminate()
        client.terminate()
      }
      clients.clear()
    },
    restore() {
      listener ??= listen(port)
    },
    [Symbol.dispose]() {
      this.cut()
    },
  }
}
