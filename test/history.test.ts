import { expect, test } from 'bun:test'
import { trimHistory } from '../src/bots/history'
import type { Message } from '../src/storage/store'

const m = (content: string): Message => ({
  id: content,
  conversation_id: 'c',
  sender: 'user',
  content,
  metadata: {},
  reply_to: null,
  created_at: '',
  updated_at: '',
})

test('trims from the oldest side to fit, always keeping the newest message', () => {
  const h = ['aaaa', 'bbb', 'cc', 'd'].map(m)
  expect(trimHistory(h, 100).map((x) => x.id)).toEqual(['aaaa', 'bbb', 'cc', 'd'])
  expect(trimHistory(h, 6).map((x) => x.id)).toEqual(['bbb', 'cc', 'd'])
  expect(trimHistory(h, 5).map((x) => x.id)).toEqual(['cc', 'd'])
  expect(trimHistory(h, 0).map((x) => x.id)).toEqual(['d'])
  expect(trimHistory([m('x'.repeat(50))], 10)).toHaveLength(1)
  expect(trimHistory([], 10)).toEqual([])
})
