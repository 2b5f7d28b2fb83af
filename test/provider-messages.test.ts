import { expect, test } from 'bun:test'
import { MAX_INLINE_BYTES, providerMessages } from '../src/bots/provider-messages'
import type { Part } from '../src/storage/store'
import { messageOf } from './helpers'

const withParts = (parts: Part[], sender: 'user' | 'ai' = 'user') => ({
  ...messageOf(parts.map((p) => (p.type === 'text' ? p.text : '')).join('')),
  sender,
  parts,
})

test("a user's files become the inputs providers take; other parts stay with Parley", async () => {
  const ids = {
    png: crypto.randomUUID(),
    pdf: crypto.randomUUID(),
    txt: crypto.randomUUID(),
    gone: crypto.randomUUID(),
  }
  const files = new Map<string, { mediaType: string; data: Uint8Array }>([
    [ids.png, { mediaType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) }],
    [ids.pdf, { mediaType: 'application/pdf', data: new TextEncoder().encode('%PDF-1.7') }],
    [ids.txt, { mediaType: 'text/csv', data: new TextEncoder().encode('a,b\n1,2') }],
  ])
  const asked: string[] = []
  const load = async (id: string) => {
    asked.push(id)
    return files.get(id) ?? null
  }
  const history = [
    withParts([
      { type: 'text', text: 'Look: ' },
      { type: 'file', mediaType: 'image/png', url: `/files/${ids.png}`, filename: 'a.png' },
      { type: 'file', mediaType: 'image/jpeg', url: 'https://example.com/b.jpg' },
      { type: 'file', mediaType: 'application/pdf', url: `/files/${ids.pdf}`, filename: 'spec.pdf' },
      { type: 'file', mediaType: 'text/csv', url: `/files/${ids.txt}`, filename: 'data.csv' },
      { type: 'file', mediaType: 'image/png', url: `/files/${ids.gone}`, filename: 'gone.png' },
      { type: 'data', name: 'x', data: 1 },
    ]),
    withParts(
      [
        { type: 'reasoning', text: 'hmm' },
        { type: 'text', text: 'Nice.' },
      ],
      'ai',
    ),
    messageOf('plain'),
  ]
  expect(await providerMessages(history, load)).toEqual([
    {
      role: 'user',
      content: [
        { type: 'text', text: 'Look: ' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw==' } },
        { type: 'image_url', image_url: { url: 'https://example.com/b.jpg' } },
        { type: 'file', file: { file_data: `data:application/pdf;base64,${btoa('%PDF-1.7')}`, filename: 'spec.pdf' } },
        { type: 'text', text: '[file: data.csv]\na,b\n1,2' },
        { type: 'text', text: '[file: gone.png]' },
      ],
    },
    { role: 'assistant', content: 'Nice.' },
    { role: 'user', content: 'plain' },
  ])
  expect(asked).toEqual([ids.png, ids.pdf, ids.txt, ids.gone])
})

test('files past the inline budget of one request are named, not sent', async () => {
  const big = new Uint8Array(MAX_INLINE_BYTES - 10)
  const id = () => crypto.randomUUID()
  const [a, b] = [id(), id()]
  const part = (fileId: string): Part => ({
    type: 'file',
    mediaType: 'image/png',
    url: `/files/${fileId}`,
    filename: fileId,
  })
  const out = await providerMessages([withParts([part(a), part(b)])], async () => ({
    mediaType: 'image/png',
    data: big,
  }))
  const content = out[0]?.content as { type: string }[]
  expect(content.map((c) => c.type)).toEqual(['image_url', 'text'])
  // Without a loader (a bot that cannot read files) every stored file is named.
  expect(await providerMessages([withParts([part(a)])])).toEqual([
    { role: 'user', content: [{ type: 'text', text: `[file: ${a}]` }] },
  ])
})
