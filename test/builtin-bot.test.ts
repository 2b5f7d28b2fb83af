import { expect, test } from 'bun:test'
import type { BotEvent } from '../src/bots/bot'
import { builtinAnswer, builtinBot } from '../src/bots/builtin'
import { testAssistant } from './bots'
import { messageOf } from './helpers'

const message = (content: string) => messageOf(content, 'm')

async function collect(content: string, signal = new AbortController().signal) {
  const events: BotEvent[] = []
  const input = {
    assistant: testAssistant,
    conversation: {} as never,
    history: [message(content)],
    message: message(content),
  }
  for await (const e of builtinBot(0).reply(input, signal)) events.push(e)
  return events
}

test('greets, helps, tells the time, and offers quick replies for keywords', () => {
  expect(builtinAnswer('Hello!').content).toMatch(/^Hello!/)
  expect(builtinAnswer('hello').actions?.map((a) => a.label)).toContain('Help')
  expect(builtinAnswer('help').content).toContain('BOT_PROVIDER=openai')
  expect(builtinAnswer('what time is it').content).toContain(String(new Date().getUTCFullYear()))
  expect(builtinAnswer('How much does it cost').actions?.map((a) => a.value)).toEqual(['Starter', 'Team', 'Enterprise'])
  expect(builtinAnswer('Can you book a flight?').content).toContain('You asked: "Can you book a flight?"')
  expect(builtinAnswer('blue').content).toContain('"blue"')
})

test('streams the answer in several chunks, then the actions, then a stop finish; no usage', async () => {
  const events = await collect('hi')
  const deltas = events.filter((e) => e.type === 'delta')
  expect(deltas.length).toBeGreaterThan(3)
  expect(deltas.map((e) => (e.type === 'delta' ? e.text : '')).join('')).toBe(builtinAnswer('hi').content)
  expect(events.slice(deltas.length)).toEqual([
    { type: 'actions', actions: builtinAnswer('hi').actions ?? [] },
    { type: 'finish', reason: 'stop', model: 'builtin' },
  ])
})

test('an answer without actions ends with the finish alone', async () => {
  const events = await collect('blue')
  expect(events.map((e) => e.type)).toEqual([...events.slice(0, -1).map(() => 'delta' as const), 'finish'])
  expect(events.at(-1)).toEqual({ type: 'finish', reason: 'stop', model: 'builtin' })
})

test('stops at once when aborted', async () => {
  const ctrl = new AbortController()
  ctrl.abort()
  expect(await collect('hello there', ctrl.signal)).toEqual([])
})

test('a stop during the pause between chunks ends the reply without waiting out the pause', async () => {
  const ctrl = new AbortController()
  const input = {
    assistant: testAssistant,
    conversation: {} as never,
    history: [message('hello')],
    message: message('hello'),
  }
  const events: BotEvent[] = []
  // A 60 s pause: before the fix the reply only noticed the stop after it.
  const run = (async () => {
    for await (const e of builtinBot(60_000).reply(input, ctrl.signal)) events.push(e)
    return 'ended'
  })()
  await Bun.sleep(5)
  ctrl.abort()
  const outcome = await Promise.race([run, Bun.sleep(2_000).then(() => 'still waiting')])
  expect(outcome).toBe('ended')
  expect(events).toEqual([])
})
