import type { ChatCompletionContentPart, ChatCompletionMessageParam } from 'openai/resources/chat/completions'
import type { Message, Part } from '../storage/store'
import { wireNameOf } from '../tools/tool'
import { toolTurns } from './tool-turns'

/** Reads a stored file (`/files/{id}`) for the provider; null when it is gone. */
export type FileLoader = (id: string) => Promise<{ mediaType: string; data: Uint8Array } | null>

/** Bytes of files inlined into one request (as data URLs); past it a file is named, not sent. */
export const MAX_INLINE_BYTES = 20 << 20

const STORED = /^\/files\/([0-9a-f-]{36})$/i
const TEXTUAL = /^(text\/|application\/json$)/

type FilePart = Extract<Part, { type: 'file' }>

/**
 * The history as Chat Completions messages: text as text; a user's files as the inputs
 * providers accept — images as `image_url`, PDFs as `file` (data URLs for stored files, the URL
 * itself for http(s) ones), text files inlined as text. Reasoning, sources and data parts stay
 * with Parley. A file that cannot be sent is named in the text, so the model knows it was there.
 */
export async function providerMessages(
  history: readonly Message[],
  load?: FileLoader,
  wireOf: (name: string) => string = wireNameOf,
) {
  const out: ChatCompletionMessageParam[] = []
  let budget = MAX_INLINE_BYTES
  const fileInput = async (part: FilePart): Promise<ChatCompletionContentPart> => {
    const named = { type: 'text' as const, text: `[file: ${part.filename ?? part.mediaType}]` }
    const stored = STORED.exec(part.url)?.[1]
    let url = part.url
    let text: string | null = null
    if (stored) {
      const file = load ? await load(stored) : null
      if (!file || file.data.byteLength > budget) return named
      budget -= file.data.byteLength
      if (TEXTUAL.test(file.mediaType)) text = new TextDecoder().decode(file.data)
      url = `data:${file.mediaType};base64,${Buffer.from(file.data).toString('base64')}`
    }
    if (text !== null) return { type: 'text', text: `${named.text}\n${text}` }
    if (part.mediaType.startsWith('image/')) return { type: 'image_url', image_url: { url } }
    if (part.mediaType === 'application/pdf' && stored) {
      return { type: 'file', file: { file_data: url, filename: part.filename ?? 'file.pdf' } }
    }
    return named
  }
  for (const m of history) {
    // An earlier reply that called tools: its calls and their results, as the model made them.
    if (m.sender === 'ai' && m.parts.some((p) => p.type === 'tool-call')) {
      out.push(...toolTurns(m.parts, wireOf))
      continue
    }
    const files = m.parts.filter((p): p is FilePart => p.type === 'file')
    if (m.sender !== 'user' || files.length === 0) {
      out.push({ role: m.sender === 'user' ? 'user' : 'assistant', content: m.content })
      continue
    }
    const content: ChatCompletionContentPart[] = []
    for (const part of m.parts) {
      if (part.type === 'text' && part.text) content.push({ type: 'text', text: part.text })
      else if (part.type === 'file') content.push(await fileInput(part))
    }
    out.push({ role: 'user', content })
  }
  return out
}
