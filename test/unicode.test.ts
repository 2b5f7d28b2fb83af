import { expect, test } from 'bun:test'
import { newConversation, testApp } from './helpers'

const samples = [
  'Hello 👋🏽 world 🌍',
  '👨‍👩‍👧‍👦 family (ZWJ sequence)',
  'مرحبا بالعالم — نص من اليمين إلى اليسار',
  'שלום עולם',
  'e\u0301 a\u0300 n\u0303 — combining marks, not precomposed',
  'Z̤͔ͧ̑̓ä͖̭̈̇l͖͎g̞̥͒ͮo̻͔ͩ',
  '漢字かなカナ한국어',
  '\u200b\u200e\u200f\ufeff invisible marks',
  '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝕞𝕒𝕥𝕙 (astral plane)',
  'quotes " \' ` and backslash \\ and tab\tnewline\n',
  "'; DROP TABLE messages; --",
]

test('message content and metadata round-trip exactly', async () => {
  await using t = testApp()
  const id = await newConversation(t, 'ユーザー🙂', 'Тема 🧵')
  for (const content of samples) {
    const res = await t.call('POST', `/conversations/${id}/messages`, {
      sender: 'user',
      content,
      metadata: { echo: content },
    })
    expect(res.status).toBe(201)
    expect(res.body.content).toBe(content)
  }
  const page = await t.call('GET', `/conversations/${id}/messages?size=100`)
  const stored = page.body.messages.map((m: { content: string }) => m.content).reverse()
  expect(stored).toEqual(samples)
  expect(page.body.messages.map((m: { metadata: { echo: string } }) => m.metadata.echo).reverse()).toEqual(samples)
  const conv = (await t.call('GET', `/conversations/${id}`)).body
  expect(conv.user_id).toBe('ユーザー🙂')
  expect(conv.title).toBe('Тема 🧵')
  // Normalisation forms are kept apart: NFC and NFD of the same text stay different bytes.
  const nfd = 'e\u0301'
  expect(stored[4].startsWith(nfd)).toBe(true)
  expect(stored[4].normalize('NFC').startsWith('é')).toBe(true)
})
