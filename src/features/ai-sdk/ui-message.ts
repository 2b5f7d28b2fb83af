import { TypeCompiler } from '@sinclair/typebox/compiler'
import { invalid } from '../../errors'
import type { Message, Part } from '../../storage/store'
import { Part as PartSchema } from '../messages/parts'

const checkPart = TypeCompiler.Compile(PartSchema)
type UIPartIn = { type: string; [key: string]: unknown }
type Loc = (string | number)[]

/**
 * A user's UIMessage parts as Parley parts: text, files, source URLs and `data-*` parts are
 * kept; step markers and anything a user cannot author (reasoning, tool calls) are dropped.
 */
export function partsFromUI(parts: readonly UIPartIn[], at: Loc): Part[] {
  const out: Part[] = []
  parts.forEach((p, i) => {
    let part: unknown
    if (p.type === 'text') part = { type: 'text', text: p.text }
    else if (p.type === 'file') {
      part = {
        type: 'file',
        mediaType: p.mediaType,
        url: p.url,
        ...(p.filename !== undefined && { filename: p.filename }),
      }
    } else if (p.type === 'source-url') {
      part = { type: 'source-url', sourceId: p.sourceId, url: p.url, ...(p.title !== undefined && { title: p.title }) }
    } else if (p.type.startsWith('data-')) part = { type: 'data', name: p.type.slice(5), data: p.data }
    else return
    if (!checkPart.Check(part)) {
      const error = checkPart.Errors(part).First()
      throw invalid(
        [...at, i, ...(error?.path.split('/').filter(Boolean) ?? [])],
        error?.message ?? 'Invalid part',
        'value_error',
      )
    }
    out.push(part as Part)
  })
  return out
}

/** A Parley part as a UIMessage part. */
function toUIPart(part: Part): Record<string, unknown> {
  switch (part.type) {
    case 'text':
    case 'reasoning':
      return { type: part.type, text: part.text, state: 'done' }
    case 'file':
      return {
        type: 'file',
        mediaType: part.mediaType,
        url: part.url,
        ...(part.filename !== undefined && { filename: part.filename }),
      }
    case 'source-url':
      return {
        type: 'source-url',
        sourceId: part.sourceId,
        url: part.url,
        ...(part.title !== undefined && { title: part.title }),
      }
    case 'data':
      return { type: `data-${part.name}`, data: part.data }
    case 'tool-call':
      return {
        type: 'dynamic-tool',
        toolName: part.toolName,
        toolCallId: part.toolCallId,
        state: part.state,
        input: part.input,
        ...(part.output !== undefined && { output: part.output }),
        ...(part.errorText !== undefined && { errorText: part.errorText }),
        ...(part.approval !== undefined && { approval: part.approval }),
      }
  }
}

/** What a UIMessage's metadata carries of a stored message: where it sits and how it was made. */
export function uiMetadata(m: Message) {
  return {
    createdAt: m.created_at,
    parentId: m.parent_id,
    siblings: m.siblings,
    ...(m.generation && {
      model: m.generation.model,
      finishReason: m.generation.finish_reason,
      usage: m.generation.usage,
    }),
    ...(m.metadata.stopped === true && { stopped: true }),
  }
}

/** A stored message as the AI SDK's UIMessage. */
export const toUIMessage = (m: Message) => ({
  id: m.id,
  role: m.sender === 'user' ? ('user' as const) : ('assistant' as const),
  metadata: uiMetadata(m),
  parts: m.parts.map(toUIPart),
})
