import { expect, test } from 'bun:test'
import type { RoomEvent } from '../src/hub/events'
import { Sequencer } from '../src/hub/sequencer'
import type { ChatEvent } from '../src/storage/store'

const ev = (seq: number, conversationId = 'c'): RoomEvent => ({
  conversationId,
  seq,
  name: 'message_deleted',
  data: { conversationId, seq, messageId: `m${seq}` },
})
const stored = (seq: number): ChatEvent => ({
  type: 'message_deleted',
  conversationId: 'c',
  seq,
  messageId: `m${seq}`,
  parentId: null,
  deletedIds: [`m${seq}`],
  headId: null,
})

test('delivers stored events of a tracked conversation once, in seq order', () => {
  const out: (number | undefined)[] = []
  const s = new Sequencer(
    async () => [],
    (e) => out.push(e.seq),
  )
  s.track('c', 10)
  for (const seq of [9, 10, 12, 11, 11, 13, 12]) s.handle(ev(seq))
  s.handle({ conversationId: 'c', name: 'typing', data: {} }) // ephemeral: at once
  expect(out).toEqual([11, 12, 13, undefined])
})

test('untracked conversations pass straight through', () => {
  const out: (number | undefined)[] = []
  const s = new Sequencer(
    async () => [],
    (e) => out.push(e.seq),
  )
  for (const seq of [3, 1, 2]) s.handle(ev(seq, 'other'))
  expect(out).toEqual([3, 1, 2])
})

test('a gap that never arrives is read back from the event log', async () => {
  const out: (number | undefined)[] = []
  const asked: [number, number][] = []
  const s = new Sequencer(
    async (_id, after, limit) => {
      asked.push([after, limit])
      return [stored(2), stored(3)]
    },
    (e) => out.push(e.seq),
    20,
  )
  s.track('c', 1)
  s.handle(ev(4))
  expect(out).toEqual([])
  await Bun.sleep(60)
  expect(asked).toEqual([[1, 500]]) // a new track's catch-up read covers the gap too
  expect(out).toEqual([2, 3, 4])
})

test('a hole the log no longer has is skipped, not waited on forever', async () => {
  const out: (number | undefined)[] = []
  const s = new Sequencer(
    async () => null,
    (e) => out.push(e.seq),
    20,
  )
  s.track('c', 1)
  s.handle(ev(5))
  s.handle(ev(6))
  await Bun.sleep(60)
  expect(out).toEqual([5, 6])
  s.handle(ev(7))
  expect(out).toEqual([5, 6, 7])
})

test('unstored events never overtake a held stored one', () => {
  const out: string[] = []
  const s = new Sequencer(
    async () => [],
    (e) => out.push(e.seq === undefined ? e.name : String(e.seq)),
  )
  s.track('c', 1)
  s.handle(ev(3))
  s.handle({ conversationId: 'c', name: 'typing', data: {} })
  s.handle(ev(2))
  expect(out).toEqual(['2', '3', 'typing'])
})

test('track answers where delivery stands: a new track at its seq, an existing one where it is', () => {
  const s = new Sequencer(
    async () => [],
    () => {},
  )
  expect(s.track('c', 5)).toBe(5)
  s.handle(ev(6))
  s.handle(ev(7))
  expect(s.track('c', 6)).toBe(7) // a later joiner that read an older seq continues after 7
  s.handle(ev(9)) // 8 is in flight
  expect(s.track('c', 9)).toBe(7) // a joiner that saw 9 in the log still continues after 7
})

test('a new track reads back, once, events that passed before it existed', async () => {
  const out: (number | undefined)[] = []
  const s = new Sequencer(
    async (_id, after) => [stored(3), stored(4)].filter((e) => e.seq > after),
    (e) => out.push(e.seq),
    10,
  )
  s.handle(ev(4)) // untracked: passes straight through, to nobody yet
  out.length = 0
  expect(s.track('c', 2)).toBe(2)
  s.handle(ev(3))
  expect(out).toEqual([3])
  await Bun.sleep(40)
  expect(out).toEqual([3, 4]) // 4 is not lost although it will never arrive again
})

test('an existing track reads back what a joiner saw in the log but never arrived', async () => {
  const out: (number | undefined)[] = []
  const log: ChatEvent[] = []
  const s = new Sequencer(
    async (_id, after, limit) => log.filter((e) => e.seq > after && e.seq <= after + limit),
    (e) => out.push(e.seq),
    10,
  )
  s.track('c', 1)
  await Bun.sleep(30) // the new track's own catch-up read: nothing yet
  log.push(stored(2), stored(3)) // committed; their publications are lost
  expect(s.track('c', 3)).toBe(1)
  await Bun.sleep(40)
  expect(out).toEqual([2, 3])
})
