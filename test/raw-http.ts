/**
 * A raw TCP HTTP/1.1 client for what fetch cannot do: send headers and then part of a body, or
 * trickle it, and see when the server answers or closes the connection.
 */
export async function rawConnection(base: string) {
  const url = new URL(base)
  let received = ''
  let closed = false
  const closedAt = Promise.withResolvers<void>()
  const socket = await Bun.connect({
    hostname: url.hostname,
    port: Number(url.port),
    socket: {
      data(_s, chunk) {
        received += chunk.toString()
      },
      close() {
        closed = true
        closedAt.resolve()
      },
      error() {
        closed = true
        closedAt.resolve()
      },
    },
  })
  return {
    write: (text: string) => socket.write(text),
    get received() {
      return received
    },
    get closed() {
      return closed
    },
    /** Resolves true when the server closed the connection within `ms`, else false. */
    closedWithin: (ms: number) => Promise.race([closedAt.promise.then(() => true), Bun.sleep(ms).then(() => false)]),
    [Symbol.dispose]() {
      socket.end()
    },
  }
}
