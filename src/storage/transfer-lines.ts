import { t } from 'elysia'
import { checkText } from '../chat/checks'
import { checkFile, checkFileSize, essenceOf, filenameOf, fileRulesOf } from '../features/files/content'
import { Integer, Metadata } from '../features/messages/model'
import type { Tables } from './driver'
import { USAGE_ASSISTANT_CHARS, USAGE_MODEL_CHARS } from './drizzle-usage'
import { Count, Id, ImportError, type ImportLimits, STRICT, Stamp, stamps } from './transfer-basics'

type FileRow = Tables['files']['$inferSelect']
export type AssistantRow = Tables['assistants']['$inferSelect']
export type QuotaRow = Tables['quotas']['$inferSelect']
export type UsageTableRow = Tables['usage']['$inferSelect']

// A usage counter: a bigint column, read back as a JS number.
const Total = Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })
const UserId = t.String({ minLength: 1, maxLength: 256 })

/** The line kinds after the conversations: files (format 3), assistants, quotas, usage (format 4). */
export const tailSchemas = {
  file: t.Object(
    {
      type: t.Literal('file'),
      id: Id,
      userId: UserId,
      mediaType: t.String({ minLength: 1, maxLength: 255 }),
      filename: t.Union([t.String({ minLength: 1 }), t.Null()]),
      size: Count(1),
      data: t.String({ description: 'base64' }),
      createdAt: Stamp,
    },
    STRICT,
  ),
  // `spec` and `limits` are bounded as every line is (MAX_BODY_BYTES, MAX_JSON_DEPTH).
  assistant: t.Object(
    {
      type: t.Literal('assistant'),
      id: t.String({ minLength: 1 }),
      spec: Metadata,
      createdAt: Stamp,
      updatedAt: Stamp,
    },
    STRICT,
  ),
  quota: t.Object({ type: t.Literal('quota'), userId: UserId, limits: Metadata, updatedAt: Stamp }, STRICT),
  usage: t.Object(
    {
      type: t.Literal('usage'),
      userId: UserId,
      day: t.String({ pattern: '^\\d{4}-\\d\\d-\\d\\d$' }),
      assistantId: t.String(),
      model: t.String(),
      inputTokens: Total,
      outputTokens: Total,
      replies: Total,
    },
    STRICT,
  ),
}

/**
 * Each tail kind: the end line's count of it, the format that added it, the key no two of its
 * lines may share (and the field an error names for it).
 */
export const TAIL = {
  file: { count: 'files', since: 3, field: 'id', key: (row: { id: string }) => row.id },
  assistant: { count: 'assistants', since: 4, field: 'id', key: (row: { id: string }) => row.id },
  quota: { count: 'quotas', since: 4, field: 'userId', key: (row: { userId: string }) => row.userId },
  usage: {
    count: 'usage',
    since: 4,
    field: null,
    key: (r: UsageTableRow) => JSON.stringify([r.userId, r.day, r.assistantId, r.model]),
  },
} as const
export type EndCounts = { [K in (typeof TAIL)[keyof typeof TAIL]['count']]?: number }

export type TailLine =
  | { type: 'file'; row: FileRow }
  | { type: 'assistant'; row: AssistantRow }
  | { type: 'quota'; row: QuotaRow }
  | { type: 'usage'; row: UsageTableRow }

/** A line of one of the tail kinds, checked past its schema; returns it as the row to store. */
export function tailLine(kind: keyof typeof tailSchemas, r: any, n: number, limits: ImportLimits): TailLine {
  if (kind === 'file') return { type: kind, row: fileRow(r, n, limits) }
  if (kind === 'assistant') {
    key(r.id, 'id', USAGE_ASSISTANT_CHARS, n)
    const { createdAt, updatedAt } = stamps(r, n)
    return { type: kind, row: { id: r.id, spec: JSON.stringify(r.spec), createdAt, updatedAt } }
  }
  checkText(r.userId, ['userId'])
  if (kind === 'quota') {
    const { updatedAt } = stamps({ createdAt: r.updatedAt, updatedAt: r.updatedAt }, n)
    return { type: kind, row: { userId: r.userId, limits: JSON.stringify(r.limits), updatedAt } }
  }
  const midnight = Date.parse(`${r.day}T00:00:00.000Z`)
  if (Number.isNaN(midnight) || midnight < 0 || new Date(midnight).toISOString().slice(0, 10) !== r.day) {
    throw new ImportError(n, 'day', `${JSON.stringify(r.day)} is not a UTC day (YYYY-MM-DD)`)
  }
  // As the store keys usage (drizzle-usage.ts): '' for none, bounded, storable everywhere.
  if (r.assistantId !== '') key(r.assistantId, 'assistantId', USAGE_ASSISTANT_CHARS, n)
  if (r.model !== '') key(r.model, 'model', USAGE_MODEL_CHARS, n)
  const { type: _, ...row } = r
  return { type: kind, row }
}

/** A key of 1..max characters (code points, as MySQL's varchar counts), valid text. */
function key(value: string, field: string, max: number, n: number) {
  checkText(value, [field])
  let chars = 0
  for (const _ of value) chars++
  if (chars < 1 || chars > max) throw new ImportError(n, field, `must have 1 to ${max} characters`)
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
