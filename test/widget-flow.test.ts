import { describe, expect, test } from 'bun:test'
import { liveServer } from './live'
import { SIO_MODES, sioClient } from './sio'
import {
  Conversation,
  expectShape,
  Message,
  MessageDeleted,
  MessageUpdated,
  NewMessage,
  Page,
  Typing,
} from './widget-shapes'

// The original widget's whole flow, with every answer checked against the shapes it reads.
describe.each(SIO_MODES)("the original widget's shapes over Socket.IO (%s)", (_mode, options) => {
  test('create, send, quick replies, edit, delete, pages and reload', async () => {
    await using live = await liveServer()
    const created = await live.call('POST', '/conversations/', { user_id: 'u1' })
    expectShape(Conversation, created.body, 'POST /conversations/')
    const id = created.body.id
    using c = await sioClient(live.base, options)
    c.emit('join_conversation', { conversation_id: id })
    await c.next('joined')

    // Each keyword the built-in bot answers with quick replies, and one without.
    const sent: string[] = []
    for (const text of ['hi', 'hello', 'help', 'pricing', 'support', 'thanks', 'what time is it']) {
      c.emit('send_message', { conversation_id: id, content: text })
      const user = await c.next('new_message', (d) => d.sender === 'user' && d.content === text)
      expectShape(NewMessage, user, 'new_message (user)')
      expect(user.actions ?? null).toBeNull()
      expectShape(Typing, await c.next('typing', (d) => d.isTyping), 'typing true')
      const ai = await c.next('new_message', (d) => d.sender === 'ai' && d.reply_to === user.id)
      expectShape(NewMessage, ai, `new_message (ai) for ${text}`)
      expectShape(Typing, await c.next('typing', (d) => !d.isTyping), 'typing false')
      const labels = (ai.metadata.actions ?? []).map((a: { label: string }) => a.label)
      if (text === 'what time is it') expect(ai.actions ?? null).toBeNull()
      else {
        // The buttons the widget draws are the labels of the full actions in metadata.
        expect(labels.length).toBeGreaterThan(0)
        expect(Object.values(ai.actions)).toEqual(labels)
        expect(ai.metadata.actions[0]).toMatchObject({ type: 'reply', label: labels[0], value: expect.any(String) })
      }
      sent.push(user.id)
    }

    const edited = await live.call('PUT', `/conversations/${id}/messages/${sent[0]}`, { content: 'hi there' })
    expect(edited.status).toBe(200)
    expectShape(Message, edited.body, 'PUT message')
    expectShape(MessageUpdated, await c.next('message_updated'), 'message_updated')
    expect((await live.call('DELETE', `/conversations/${id}/messages/${sent[1]}`)).status).toBe(204)
    expectShape(MessageDeleted, await c.next('message_deleted'), 'message_deleted')

    const first = await live.call('GET', `/conversations/${id}/messages?page=1&size=10`)
    expectShape(Page, first.body, 'page 1')
    expect(first.body.total).toBe(13)
    expect(first.body.messages).toHaveLength(10)
    const second = await live.call('GET', `/conversations/${id}/messages?page=2&size=10`)
    expectShape(Page, second.body, 'page 2')
    expect(second.body.messages.map((m: { content: string }) => m.content)).toContain('hi there')

    // A reload: the conversation with its messages, and a second tab replaying the log.
    const reloaded = await live.call('GET', `/conversations/${id}`)
    expectShape(Conversation, reloaded.body, 'GET /conversations/{id}')
    expect(reloaded.body.messages).toHaveLength(13)
    using tab = await sioClient(live.base, options)
    tab.emit('join_conversation', { conversation_id: id, since_seq: 0 })
    const replayed = await tab.next('new_message', (d) => d.sender === 'ai')
    expectShape(NewMessage, replayed, 'replayed new_message')
    expect(Object.values(replayed.actions).length).toBeGreaterThan(0)
  }, 20_000)
})
