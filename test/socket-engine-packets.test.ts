import { expect, test } from 'bun:test'
import { Inbox, liveServer } from './live'
import { rawSioClient, sioClient } from './sio'

/**
 * Engine.IO noop (`6`) and repeated upgrade (`5`) packets over a WebSocket the session runs on
 * are ignored, as by the reference engine.io server; @socket.io/bun-engine 0.1.2 alone closes
 * the session on them ("parse error"). The `5` that completes an upgrade from polling must
 * still reach the engine.
 */

/** Rejects once the socket closes: a test racing it fails at once instead of timing out. */
const failOnClose = (closed: Promise<unknown>) => closed.then(() => Promise.reject(new Error('the session was closed')))

test('a WebSocket-only session ignores noop and repeated upgrade packets and keeps working', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await rawSioClient(live.base)
  c.socket.send('6')
  c.socket.send('5')
  c.socket.send('6')
  c.emit('join_conversation', { conversationId: id })
  const joined = await Promise.race([c.next('joined'), failOnClose(c.closed)])
  expect(joined.conversationId).toBe(id)
  c.socket.send('5')
  const ack = c.packet(`["send_message",${JSON.stringify({ conversationId: id, content: 'still here' })}]`, true)
  expect(await Promise.race([c.next(`ack:${ack}`), failOnClose(c.closed)])).toMatchObject({ ok: true })
  expect((await c.next('new_message')).content).toBe('still here')
  expect(c.socket.readyState).toBe(WebSocket.OPEN)
})

test('polling then upgrade by hand: the upgrade packet completes the upgrade, later noop and upgrade packets are ignored', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  const polling = `${live.base}/socket.io/?EIO=4&transport=polling`
  const open = await (await fetch(polling)).text()
  expect(open[0]).toBe('0')
  const sid = JSON.parse(open.slice(1)).sid as string
  expect(await (await fetch(`${polling}&sid=${sid}`, { method: 'POST', body: '40' })).text()).toBe('ok')
  expect(await (await fetch(`${polling}&sid=${sid}`)).text()).toStartWith('40')

  const ws = new WebSocket(`${live.ws}/socket.io/?EIO=4&transport=websocket&sid=${sid}`)
  const inbox = new Inbox()
  const closed = new Promise<void>((resolve) => ws.addEventListener('close', () => resolve()))
  ws.addEventListener('message', (e) => {
    const text = String(e.data)
    if (text.startsWith('42')) {
      const [event, data] = JSON.parse(text.slice(2))
      inbox.push({ event, data })
    } else inbox.push({ event: 'engine', data: text })
  })
  await new Promise((resolve) => ws.addEventListener('open', resolve, { once: true }))
  try {
    ws.send('2probe')
    expect(await Promise.race([inbox.next('engine'), failOnClose(closed)])).toBe('3probe')
    ws.send('5') // completes the upgrade: the engine must see it
    ws.send('6')
    ws.send('5')
    ws.send(`42${JSON.stringify(['join_conversation', { conversationId: id }])}`)
    const joined = await Promise.race([inbox.next('joined'), failOnClose(closed)])
    expect(joined.conversationId).toBe(id)
    // The session now runs on the WebSocket: polling it is refused as a transport mismatch.
    expect((await fetch(`${polling}&sid=${sid}`)).status).toBe(400)
    expect(ws.readyState).toBe(WebSocket.OPEN)
  } finally {
    ws.close()
  }
})

test('socket.io-client, polling then upgrade, connects, upgrades and survives stray packets', async () => {
  await using live = await liveServer({ BOT_PROVIDER: 'none' })
  const id = (await live.call('POST', '/conversations/', { user_id: 'u' })).body.id
  using c = await sioClient(live.base)
  const opened = live.log.lines.map((l) => JSON.parse(l)).find((l) => l.socket_id === c.socket.id)
  expect(opened?.via).toBe('polling') // the session started on polling
  const engine = c.socket.io.engine
  if (engine.transport.name !== 'websocket') await new Promise((resolve) => engine.once('upgrade', resolve))
  expect(engine.transport.name).toBe('websocket')
  let disconnected = ''
  c.socket.on('disconnect', (reason) => (disconnected = reason))
  // The client's own WebSocket (engine.io-client keeps it as `ws`): frames it would never send.
  const ws = (engine.transport as unknown as { ws: WebSocket }).ws
  ws.send('6')
  ws.send('5')
  await c.join(id)
  const ack = await c.socket.emitWithAck('send_message', { conversationId: id, content: 'after upgrade' })
  expect(ack).toMatchObject({ ok: true, message: { content: 'after upgrade' } })
  expect(disconnected).toBe('')
  expect(c.socket.connected).toBe(true)
})
