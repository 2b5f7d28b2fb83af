import { expect, test } from 'bun:test'
import { trimHistory } from '../src/bots/history'
import { messageOf } from './helpers'

const m = (content: string) => messageOf(content)

test('trims from the oldest side to fit, always keeping the newest message', () => {
  const h = ['aaaa', 'bbb', 'cc', 'd'].map(m)
  expect(trimHistory(h, 100).map((x) => x.id)).toEqual(['aaaa', 'bbb', 'cc', 'd'])
  expect(trimHistory(h, 6).map((x) => x.id)).toEqual(['bbb', 'cc', 'd'])
  expect(trimHistory(h, 5).map((x) => x.id)).toEqual(['cc', 'd'])
  expect(trimHistory(h, 0).map((x) => x.id)).toEqual(['d'])
  expect(trimHistory([m('x'.repeat(50))], 10)).toHaveLength(1)
  expect(trimHistory([], 10)).toEqual([])
})
