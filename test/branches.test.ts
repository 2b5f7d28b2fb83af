import { expect, test } from 'bun:test'
import type { Bot, BotEvent, BotInput } from '../src/bots/bot'
import { MAX_REPLY_CHARS } from '../src/chat/reply-draft'
import { type Live, liveServer, wsClient } from './live'
import { sioClient } from './sio'

/** A bot that reasons, then answers with a count and the question; it records each history it got. */
function countingBot() {
  const inputs: BotInput[] = []
  let n = 0
  const bot: Bot & { inputs: BotInput[] } = {
    name: 'counting',
    inputs,
    async *reply(input: BotInput): AsyncIterable<BotEvent> {
      inputs.push(input)
      n++
      yield { type: 'reasoning', text: `think ${n}` }
      yield { type: 'delta', text: `answer ${n} to ${input.message.content}` }
      yield { type: 'usage', inputTokens: 10, outputTokens: n }
      yield { type: 'finish', reason: 'stop', model: 'count-1' }
    },
  }
  return bot
}

type Tree = { head: string | null; parents: Map<string, string | null> }

/** The tree as a client rebuilds it from the room's stored events. */
function replay(events: { event: string; data: any }[]): Tree {
  const tree: Tree = { head: null, parents: new Map() }
  for (const { event, data } of events) {
    if (event === 'new_message') {
      tree.parents.set(data.id, data.parent_id)
      tree.head = data.headId
    } else if (event === 'head_changed') tree.head = data.headId
  }
  return tree
}

async function treeOf(live: Live, id: string): Promise<Tree> {
  const { body } = await live.call('GET', `/conversations/${id}/tree`)
  return { head: body.head_id, parents: new Map(body.messages.map((m: any) => [m.id, m.parent_id])) }
}

test('three versions of a question, four of an answer, head switches: a socket replaying since_seq 0 sees the same tree', async () => {
  const bot = countingBot()
  await using live = await liveServer({}, bot)
  const { id } = (await live.call('POST', '/conversations/', { user_id: 'u' })).body
  using watcher = await wsClient(live.ws)
  await watcher.join(id)
  const ask = async (content: string, extra: Record<string, unknown> = {}) => {
    const sent = (
      await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content, reply: true, ...extra })
    ).body
    const reply = await watcher.next('new_message', (d) => d.sender === 'ai' && d.reply_to === sent.id)
    return { question: sent, reply }
  }

  const v1 = await ask('q v1')
  // Editing the question forks at its parent (null: a first message); the old version stays.
  const v2 = await ask('q v2', { parent_id: null })
  const v3 = await ask('q v3', { parent_id: null })
  expect(v3.question.siblings).toEqual([v1.question.id, v2.question.id, v3.question.id])
  // Each reply was made from its own branch only.
  expect(bot.inputs.map((i) => i.history.map((m) => m.content))).toEqual([['q v1'], ['q v2'], ['q v3']])

  const answers = [v3.reply]
  for (let i = 0; i < 3; i++) {
    expect((await live.call('POST', `/conversations/${id}/messages/${v3.question.id}/regenerate`)).status).toBe(202)
    answers.push(await watcher.next('new_message', (d) => d.sender === 'ai' && !answers.some((a) => a.id === d.id)))
  }
  const last = answers.at(-1)
  expect(last.siblings).toEqual(answers.map((a) => a.id))
  expect(last).toMatchObject({ parent_id: v3.question.id, headId: last.id })
  expect(last.parts).toEqual([
    { type: 'reasoning', text: 'think 6' },
    { type: 'text', text: 'answer 6 to q v3' },
  ])
  expect(last.generation).toMatchObject({
    model: 'count-1',
    finish_reason: 'stop',
    usage: { input_tokens: 10, output_tokens: 6, estimated: false },
  })
  expect(bot.inputs.slice(3).every((i) => i.history.map((m) => m.content).join() === 'q v3')).toBe(true)

  const page = async () =>
    (await live.call('GET', `/conversations/${id}/messages`)).body.messages.map((m: any) => m.content).reverse()
  expect(await page()).toEqual(['q v3', 'answer 6 to q v3'])
  // Switching to a question shows its newest answer; switching to an answer shows that one.
  expect((await live.call('PUT', `/conversations/${id}/head`, { message_id: v1.question.id })).body.head_id).toBe(
    v1.reply.id,
  )
  expect(await page()).toEqual(['q v1', 'answer 1 to q v1'])
  await live.call('PUT', `/conversations/${id}/head`, { message_id: answers[1].id })
  expect(await page()).toEqual(['q v3', 'answer 4 to q v3'])
  const conversation = (await live.call('GET', `/conversations/${id}`)).body
  expect(conversation).toMatchObject({
    head_id: answers[1].id,
    message_count: 2,
    usage: { input_tokens: 60, output_tokens: 21 },
  })
  // A new question continues the active branch.
  const next = await ask('follow-up')
  expect(next.question.parent_id).toBe(answers[1].id)
  expect(bot.inputs.at(-1)?.history.map((m) => m.content)).toEqual(['q v3', 'answer 4 to q v3', 'follow-up'])

  const stored = await treeOf(live, id)
  expect(stored.parents.size).toBe(3 + 3 + 3 + 2) // questions, their replies, regenerations, the follow-up and its reply
  // Reconnecting from the start replays the same tree on both socket faces.
  using late = await wsClient(live.ws)
  await late.join(id, { since_seq: 0 })
  using sio = await sioClient(live.base, { transports: ['websocket'] })
  await sio.join(id, { since_seq: 0 })
  await Bun.sleep(300)
  expect(replay(late.inbox.arrived)).toEqual(stored)
  expect(replay(sio.inbox.arrived)).toEqual(stored)
  expect(replay(watcher.inbox.arrived)).toEqual(stored)
  expect(late.inbox.arrived.filter((e) => e.event === 'head_changed').length).toBe(2)
})

test('a reply running past MAX_REPLY_CHARS is cut there and stored with finish_reason length; the model is stopped', async () => {
  let aborted = false
  const chunk = 'x'.repeat(400_000)
  const bot: Bot = {
    name: 'endless',
    async *reply(_input: BotInput, signal: AbortSignal): AsyncIterable<BotEvent> {
      yield { type: 'reasoning', text: '🙂'.repeat(50_000) } // 100,000 UTF-16 units
      for (let i = 0; i < 10 && !signal.aborted; i++) yield { type: 'delta', text: chunk }
      aborted = signal.aborted
    },
  }
  await using live = await liveServer({}, bot)
  const { id } = (await live.call('POST', '/conversations/', { user_id: 'u' })).body
  using watcher = await wsClient(live.ws)
  await watcher.join(id)
  await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'go', reply: true })
  const reply = await watcher.next('new_message', (d) => d.sender === 'ai', 10_000)
  expect(reply.content.length + reply.parts[0].text.length).toBe(MAX_REPLY_CHARS)
  expect(reply.generation.finish_reason).toBe('length')
  expect(aborted).toBe(true)
})

test('a socket joining mid-reply gets the reasoning and text so far as parts, then only what follows', async () => {
  let release: () => void = () => {}
  const gate = new Promise<void>((r) => (release = r))
  const bot: Bot = {
    name: 'thinking',
    async *reply(): AsyncIterable<BotEvent> {
      yield { type: 'reasoning', text: 'Let me ' }
      yield { type: 'reasoning', text: 'think.' }
      yield { type: 'delta', text: 'It is ' }
      await gate
      yield { type: 'delta', text: '42.' }
    },
  }
  await using live = await liveServer({}, bot)
  const { id } = (await live.call('POST', '/conversations/', { user_id: 'u' })).body
  using first = await wsClient(live.ws)
  await first.join(id)
  await live.call('POST', `/conversations/${id}/messages`, { sender: 'user', content: 'q', reply: true })
  await first.next('message_delta')
  using late = await wsClient(live.ws)
  await late.join(id)
  expect(await late.next('reply_in_progress')).toMatchObject({
    content_so_far: 'It is ',
    parts_so_far: [
      { type: 'reasoning', text: 'Let me think.' },
      { type: 'text', text: 'It is ' },
    ],
  })
  release()
  expect(await late.next('message_delta')).toMatchObject({ delta: '42.', part: 1 })
  const stored = await late.next('new_message', (d) => d.sender === 'ai')
  expect(stored.parts).toEqual([
    { type: 'reasoning', text: 'Let me think.' },
    { type: 'text', text: 'It is 42.' },
  ])
  expect(late.inbox.arrived.filter((e) => e.event === 'part_delta')).toEqual([])
})
