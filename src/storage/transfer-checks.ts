import { t } from 'elysia'
import { JsonTooDeep, parseJson } from '../bounded-json'
import { checkConversation, checkMessage, checkParts, limitsOf } from '../chat/checks'
import { AppError } from '../errors'
import { ConversationCreate } from '../features/conversations/model'
import { Integer, MessageCreate, Metadata, Sender } from '../features/messages/model'
import { Generation, MAX_PARTS, Part } from '../features/messages/parts'
import type { Tables } from './driver'
import { Count, firstError, Id, ImportError, type ImportLimits, once, STRICT, Stamp, stamps } from './transfer-basics'
import { type EndCounts, type TailLine, tailLine, tailSchemas } from './transfer-lines'

export { ImportError, type ImportLimits } from './transfer-basics'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']

/**
 * The export format this code writes: 4 adds assistants, quotas, usage rows and each
 * conversation's assistantId; 3 the message tree (parentId, active, headId), parts,
 * generation, token sums and stored files. 3, 2 (one branch, no parts) and 1 (header-less)
 * are still read.
 */
export const FORMAT = 4

// Token sums are int4: per conversation, far below 2^31.
const Tokens = Integer({ minimum: 0, maximum: 2_000_000_000 })

const lineSchemas = {
  header: t.Object({ type: t.Literal('header'), format: Integer({ minimum: 1 }) }, STRICT),
  // `files`: format 3, the others format 4 (required from there, and absent before: the reader checks).
  end: t.Object(
    {
      type: t.Literal('end'),
      conversations: Count(0),
      messages: Count(0),
      files: t.Optional(Count(0)),
      assistants: t.Optional(Count(0)),
      quotas: t.Optional(Count(0)),
      usage: t.Optional(Count(0)),
    },
    STRICT,
  ),
  conversation: t.Object(
    {
      type: t.Literal('conversation'),
      id: Id,
      userId: t.String(),
      title: t.Union([t.String(), t.Null()]),
      metadata: Metadata,
      createdAt: Stamp,
      updatedAt: Stamp,
      messageCount: Count(0),
      lastSeq: Count(0),
      // Format 3 (required there; before it, filled in by the reader).
      headId: t.Optional(t.Union([Id, t.Null()])),
      branched: t.Optional(t.Union([t.Literal(0), t.Literal(1)])),
      inputTokens: t.Optional(Tokens),
      outputTokens: t.Optional(Tokens),
      chatId: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 128 }), t.Null()])),
      // Format 4 (required there; before it, null). Checked as POST /conversations checks it.
      assistantId: t.Optional(t.Union([t.String({ minLength: 1, maxLength: 64 }), t.Null()])),
    },
    STRICT,
  ),
  message: t.Object(
    {
      type: t.Literal('message'),
      id: Id,
      conversationId: Id,
      seq: Count(1),
      sender: Sender,
      content: t.String(),
      metadata: Metadata,
      clientId: t.Union([t.String(), t.Null()]),
      replyTo: t.Union([Id, t.Null()]),
      createdAt: Stamp,
      updatedAt: Stamp,
      // Format 3 (required there; before it, filled in by the reader).
      parentId: t.Optional(t.Union([Id, t.Null()])),
      active: t.Optional(t.Union([t.Literal(0), t.Literal(1)])),
      parts: t.Optional(t.Union([t.Array(Part, { minItems: 1, maxItems: MAX_PARTS }), t.Null()])),
      generation: t.Optional(t.Union([Generation, t.Null()])),
    },
    STRICT,
  ),
  ...tailSchemas,
}

/** The fields each format added, which its lines (and later formats') must have. */
type Fields = Record<'conversation' | 'message', readonly string[]>
const TREE: Fields = {
  conversation: ['headId', 'branched', 'inputTokens', 'outputTokens'],
  message: ['parentId', 'active', 'parts', 'generation'],
}
export const REQUIRED_FIELDS: [number, Fields, string][] = [
  [3, TREE, 'the message tree'],
  [4, { conversation: ['assistantId'], message: [] }, "each conversation's assistant"],
]
export type ImportLine =
  | { type: 'header'; format: number }
  | ({ type: 'end'; conversations: number; messages: number } & EndCounts)
  | { type: 'conversation'; row: ConversationRow }
  | { type: 'message'; row: MessageRow }
  | TailLine

/** Checks one line as the API checks a request; returns it as the row to store. */
export function parseImportLine(text: string, n: number, limits: ImportLimits): ImportLine {
  const value = parseObject(text, n, limits)
  const type = value.type
  if (typeof type !== 'string' || !Object.hasOwn(lineSchemas, type)) {
    const got = JSON.stringify(type ?? null).slice(0, 60)
    throw new ImportError(
      n,
      'type',
      `unknown line type ${got} (expected header, conversation, message, file, assistant, quota, usage or end)`,
    )
  }
  const kind = type as keyof typeof lineSchemas
  firstError(lineSchemas[kind], value, n)
  try {
    return toLine(kind, value as any, n, limits)
  } catch (error) {
    if (!(error instanceof AppError) || typeof error.detail === 'string') throw error
    const [issue] = error.detail
    throw new ImportError(n, issue?.loc.join('.') ?? null, issue?.msg ?? error.message)
  }
}

function parseObject(text: string, n: number, limits: ImportLimits): Record<string, unknown> {
  // The API refuses a body over MAX_BODY_BYTES before reading it; a line is one record's body.
  // A file line carries up to FILES_MAX_BYTES in base64 (4 characters per 3 bytes), as an upload may.
  const long = text.length > limits.MAX_BODY_BYTES / 3 && Buffer.byteLength(text) > limits.MAX_BODY_BYTES
  if (long && (!text.includes('"type":"file"') || text.length > fileLineMax(limits))) {
    throw new ImportError(n, 'JSON', `line longer than MAX_BODY_BYTES (${limits.MAX_BODY_BYTES})`)
  }
  let value: unknown
  try {
    value = parseJson(text, limits.MAX_JSON_DEPTH)
  } catch (error) {
    throw new ImportError(n, 'JSON', error instanceof JsonTooDeep ? error.message : 'not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ImportError(n, 'JSON', 'not a JSON object')
  }
  if (long && (value as { type?: unknown }).type !== 'file') {
    throw new ImportError(n, 'JSON', `line longer than MAX_BODY_BYTES (${limits.MAX_BODY_BYTES})`)
  }
  return value as Record<string, unknown>
}

// The longest file line: its base64 and room for the other fields (a 256-character user id…).
const fileLineMax = (limits: ImportLimits) => Math.ceil(limits.FILES_MAX_BYTES / 3) * 4 + 16 * 1024

const messageCreate = once(MessageCreate)
const rename = { user_id: 'userId', client_id: 'clientId', assistant_id: 'assistantId' }

// Where the chat checks report a line's fields: at the file's own field names.
const at = {
  userId: ['userId'],
  title: ['title'],
  content: ['content'],
  clientId: ['clientId'],
  metadata: ['metadata'],
}

function toLine(kind: keyof typeof lineSchemas, r: any, n: number, limits: ImportLimits): ImportLine {
  if (kind === 'header' || kind === 'end') return r
  if (kind !== 'conversation' && kind !== 'message') return tailLine(kind, r, n, limits)
  const { type: _, ...fields } = r
  const row = { ...fields, ...stamps(r, n), metadata: JSON.stringify(r.metadata) }
  if (kind === 'message') {
    if (r.parts !== undefined) row.parts = r.parts === null ? null : JSON.stringify(r.parts)
    if (r.generation !== undefined) row.generation = r.generation === null ? null : JSON.stringify(r.generation)
  }
  if (kind === 'conversation') {
    // The same schema and checks as POST /conversations.
    const fields = { user_id: r.userId, title: r.title, metadata: r.metadata }
    const assistant = r.assistantId == null ? {} : { assistant_id: r.assistantId }
    firstError(ConversationCreate, { ...fields, ...assistant }, n, rename)
    checkConversation(r, at, limitsOf(limits))
    return { type: kind, row }
  }
  // The same schema and checks as POST /conversations/:id/messages.
  const schema = messageCreate(limits.MAX_MESSAGE_LENGTH)
  const body = { sender: r.sender, content: r.content, metadata: r.metadata }
  // Content may be empty when parts carry the message (a file); it is the text of the parts.
  const content = r.content === '' && r.parts ? undefined : r.content
  firstError(
    schema,
    r.clientId === null ? { ...body, content } : { ...body, content, client_id: r.clientId },
    n,
    rename,
  )
  checkMessage(r, at, limitsOf(limits))
  if (r.parts) {
    checkParts(r.parts, ['parts'], limitsOf(limits))
    const text = r.parts.map((p: { type: string; text?: string }) => (p.type === 'text' ? p.text : '')).join('')
    if (text !== r.content) throw new ImportError(n, 'content', 'is not the text of the parts, concatenated')
  }
  return { type: kind, row }
}
