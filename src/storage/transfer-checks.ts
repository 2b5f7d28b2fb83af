import type { TSchema } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { t } from 'elysia'
import { JsonTooDeep, parseJson } from '../bounded-json'
import { checkConversation, checkMessage, checkParts, checkText, limitsOf } from '../chat/checks'
import type { Config } from '../config'
import { AppError } from '../errors'
import { ConversationCreate } from '../features/conversations/model'
import { checkFile, checkFileSize, essenceOf, filenameOf, fileRulesOf } from '../features/files/content'
import { Integer, MessageCreate, Metadata, Sender } from '../features/messages/model'
import { Generation, MAX_PARTS, Part } from '../features/messages/parts'
import type { Tables } from './driver'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']
type FileRow = Tables['files']['$inferSelect']

/**
 * The API's limits, applied to every imported line as to every request: a file line is held to
 * FILES_MAX_BYTES and FILES_TYPES as an upload is.
 */
export type ImportLimits = Pick<
  Config,
  | 'MAX_MESSAGE_LENGTH'
  | 'MAX_METADATA_BYTES'
  | 'MAX_METADATA_DEPTH'
  | 'MAX_JSON_DEPTH'
  | 'MAX_BODY_BYTES'
  | 'FILES_MAX_BYTES'
  | 'fileTypes'
>

/** A line of an import file that cannot be imported: which line, which field, why. */
export class ImportError extends Error {
  constructor(
    readonly line: number,
    readonly field: string | null,
    readonly reason: string,
  ) {
    super(`line ${line}: ${field === null ? '' : `${field}: `}${reason}`)
  }
}

/**
 * The export format this code writes: 3 adds the message tree (parentId, active, headId),
 * parts, generation, token sums and stored files. 2 (one branch, no parts) and 1 (header-less)
 * are still read.
 */
export const FORMAT = 3

// Lowercase, as the store makes them (Bun.randomUUIDv7); anything else the API never created.
const Id = t.String({ pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' })
// Counters are int4 columns on PostgreSQL/MySQL; well below 2^31 leaves room to keep counting.
const Count = (minimum: number) => Integer({ minimum, maximum: 1_000_000_000 })
const Stamp = t.String()
// Token sums are int4 too: per conversation, far below 2^31.
const Tokens = Integer({ minimum: 0, maximum: 2_000_000_000 })
const STRICT = { additionalProperties: false }

const lineSchemas = {
  header: t.Object({ type: t.Literal('header'), format: Integer({ minimum: 1 }) }, STRICT),
  // `files`: format 3 (required there, and absent before it: the reader checks).
  end: t.Object(
    { type: t.Literal('end'), conversations: Count(0), messages: Count(0), files: t.Optional(Count(0)) },
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
  file: t.Object(
    {
      type: t.Literal('file'),
      id: Id,
      userId: t.String({ minLength: 1, maxLength: 256 }),
      mediaType: t.String({ minLength: 1, maxLength: 255 }),
      filename: t.Union([t.String({ minLength: 1 }), t.Null()]),
      size: Count(1),
      data: t.String({ description: 'base64' }),
      createdAt: Stamp,
    },
    STRICT,
  ),
}

/** The fields format 3 added, which its lines must have. */
export const TREE_FIELDS = {
  conversation: ['headId', 'branched', 'inputTokens', 'outputTokens'],
  message: ['parentId', 'active', 'parts', 'generation'],
} as const
export type ImportLine =
  | { type: 'header'; format: number }
  | { type: 'end'; conversations: number; messages: number; files?: number }
  | { type: 'conversation'; row: ConversationRow }
  | { type: 'message'; row: MessageRow }
  | { type: 'file'; row: FileRow }

/** Checks one line as the API checks a request; returns it as the row to store. */
export function parseImportLine(text: string, n: number, limits: ImportLimits): ImportLine {
  const value = parseObject(text, n, limits)
  const type = value.type
  if (typeof type !== 'string' || !Object.hasOwn(lineSchemas, type)) {
    const got = JSON.stringify(type ?? null).slice(0, 60)
    throw new ImportError(n, 'type', `unknown line type ${got} (expected header, conversation, message, file or end)`)
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

/** `make(key)`, made once per key. */
const once = <K, V>(make: (key: K) => V) => {
  const made = new Map<K, V>()
  return (key: K) => {
    const known = made.get(key)
    if (known !== undefined) return known
    const value = make(key)
    made.set(key, value)
    return value
  }
}
const compiled = once((schema: TSchema) => TypeCompiler.Compile(schema))

/** Throws the schema's first complaint about `value`, located at its field. */
function firstError(schema: TSchema, value: unknown, n: number, rename: Record<string, string> = {}) {
  const check = compiled(schema)
  if (check.Check(value)) return
  const error = check.Errors(value).First()
  const path = (error?.path ?? '').split('/').filter(Boolean)
  const head = path[0] === undefined ? undefined : (rename[path[0]] ?? path[0])
  const got = error && error.value !== undefined ? `, got ${JSON.stringify(error.value).slice(0, 60)}` : ''
  throw new ImportError(n, head === undefined ? null : [head, ...path.slice(1)].join('.'), `${error?.message}${got}`)
}

// Exactly what Date#toISOString writes (the export's form): UTC, milliseconds, years 1970-9999.
const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/
function stamps(r: { createdAt: string; updatedAt: string }, n: number) {
  const ms = (field: 'createdAt' | 'updatedAt') => {
    const text = r[field]
    const value = Date.parse(text)
    if (!ISO.test(text) || Number.isNaN(value) || value < 0 || new Date(value).toISOString() !== text) {
      throw new ImportError(n, field, `expected an ISO-8601 UTC time with milliseconds, got ${JSON.stringify(text)}`)
    }
    return value
  }
  const createdAt = ms('createdAt')
  const updatedAt = ms('updatedAt')
  if (updatedAt < createdAt) throw new ImportError(n, 'updatedAt', 'is before createdAt')
  return { createdAt, updatedAt }
}

const messageCreate = once(MessageCreate)
const rename = { user_id: 'userId', client_id: 'clientId' }

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
  if (kind === 'file') return { type: kind, row: fileRow(r, n, limits) }
  const { type: _, ...fields } = r
  const row = { ...fields, ...stamps(r, n), metadata: JSON.stringify(r.metadata) }
  if (kind === 'message') {
    if (r.parts !== undefined) row.parts = r.parts === null ? null : JSON.stringify(r.parts)
    if (r.generation !== undefined) row.generation = r.generation === null ? null : JSON.stringify(r.generation)
  }
  if (kind === 'conversation') {
    // The same schema and checks as POST /conversations.
    firstError(ConversationCreate, { user_id: r.userId, title: r.title, metadata: r.metadata }, n, rename)
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

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** A file line, checked as POST /files checks an upload (FILES_MAX_BYTES, FILES_TYPES, signature). */
function fileRow(r: any, n: number, limits: ImportLimits): FileRow {
  const rules = fileRulesOf(limits)
  checkText(r.userId, ['userId'])
  if (r.mediaType !== essenceOf(r.mediaType)) {
    throw new ImportError(n, 'mediaType', 'must be lowercase, without parameters, as the API stores it')
  }
  if (r.filename !== null && filenameOf(r.filename, ['filename']) !== r.filename) {
    throw new ImportError(n, 'filename', 'is not a file name the API would store')
  }
  checkFileSize(r.size, rules, ['size'])
  const text: string = r.data
  if (text.length % 4 !== 0 || !BASE64.test(text)) throw new ImportError(n, 'data', 'is not base64')
  const data = Buffer.from(text, 'base64')
  if (data.byteLength !== r.size) throw new ImportError(n, 'size', `${r.size}, but data holds ${data.byteLength} bytes`)
  checkFile(r.mediaType, data, rules, ['mediaType'])
  const { createdAt } = stamps({ createdAt: r.createdAt, updatedAt: r.createdAt }, n)
  return { id: r.id, userId: r.userId, mediaType: r.mediaType, filename: r.filename, size: r.size, data, createdAt }
}
