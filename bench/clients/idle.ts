/**
 * Opens SOCKETS idle native WebSockets (then, with CYCLES, opens and closes that many more one
 * by one), printing "open" when all are up and waiting for a line on stdin before closing.
 */
const base = (process.env.URL as string).replace('http', 'ws')
const sockets = Number(process.env.SOCKETS ?? 10_000)
const cycles = Number(process.env.CYCLES ?? 0)

const open = (): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const ws = new WebSocket(`${base}/`)
    ws.onopen = () => resolve(ws)
    ws.onerror = () => reject(new Error('connect failed'))
  })
const held: WebSocket[] = []
for (let i = 0; i < sockets; i += 200)
  held.push(...(await Promise.all(Array.from({ length: Math.min(200, sockets - i) }, open))))
console.log(JSON.stringify({ open: held.length }))
for await (const line of console) {
  if (line === 'cycle') {
    for (let i = 0; i < cycles; i++) {
      const ws = await open()
      await new Promise<void>((resolve) => {
        ws.onclose = () => resolve()
        ws.close()
      })
    }
    console.log(JSON.stringify({ cycled: cycles }))
  } else break
}
for (const ws of held) ws.close()
process.exit(0)
