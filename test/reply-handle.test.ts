import { expect, test } from 'bun:test'
import { type ReplyEvent, ReplyHandle } from '../src/chat/reply-handle'

const delta = (i: number): ReplyEvent => ({ type: 'delta', messageId: 'm', delta: `t${i}`, index: i, part: 0 })

test('its follower gets every event from the start, those pushed before it came too, in order', async () => {
  const handle = new ReplyHandle()
  handle.push({ type: 'start', messageId: 'm' })
  handle.push(delta(0))
  const seen: ReplyEvent[] = []
  const following = (async () => {
    for await (const event of handle.events()) seen.push(event)
  })()
  await Bun.sleep(1)
  handle.push(delta(1))
  handle.push(delta(2))
  await Bun.sleep(1)
  handle.push({ type: 'done', stopped: false })
  await following
  expect(seen.map((e) => e.type)).toEqual(['start', 'delta', 'delta', 'delta', 'done'])
  expect(seen.filter((e) => e.type === 'delta').map((e) => (e as { delta: string }).delta)).toEqual(['t0', 't1', 't2'])
})

test('a reply has one follower, and none once ignored', async () => {
  const followed = new ReplyHandle()
  const first = followed.events()
  void first.next()
  await expect(followed.events().next()).rejects.toThrow(/one consumer/)
  const ignored = new ReplyHandle()
  ignored.push(delta(0))
  ignored.ignore()
  ignored.push(delta(1))
  await expect(ignored.events().next()).rejects.toThrow(/one consumer/)
})

test('follow: the events so far, then each one as it is pushed, in the same turn; resolves after done', async () => {
  const handle = new ReplyHandle()
  handle.push({ type: 'start', messageId: 'm' })
  const seen: string[] = []
  const followed = handle.follow((e) => seen.push(e.type === 'delta' ? e.delta : e.type))
  expect(seen).toEqual(['start'])
  handle.push(delta(0))
  expect(seen).toEqual(['start', 't0']) // written before push returns: no queue, no promise between
  handle.push({ type: 'done', stopped: false })
  await followed
  handle.push(delta(1)) // after done: nothing more reaches the follower
  expect(seen).toEqual(['start', 't0', 'done'])
  expect(() => handle.follow(() => {})).toThrow(/one consumer/)
})

test('a follower that throws stops following; the reply goes on and its wait ends', async () => {
  const handle = new ReplyHandle()
  let calls = 0
  const followed = handle.follow(() => {
    calls++
    throw new Error('the client went away')
  })
  handle.push(delta(0))
  handle.push(delta(1))
  await followed
  expect(calls).toBe(1)
})
