import type { Config } from '../config'
import { invalid } from '../errors'
import { MAX_URL_LENGTH } from '../features/messages/parts'
import type { Part } from '../storage/store'
import type { ClientTool } from './message-input'

export type Limits = { maxMessageLength: number; maxMetadataBytes: number; maxMetadataDepth: number }
type Loc = (string | number)[]

/** The configured limits, as the checks take them. */
export const limitsOf = (config: Pick<Config, 'MAX_MESSAGE_LENGTH' | 'MAX_METADATA_BYTES' | 'MAX_METADATA_DEPTH'>) => ({
  maxMessageLength: config.MAX_MESSAGE_LENGTH,
  maxMetadataBytes: config.MAX_METADATA_BYTES,
  maxMetadataDepth: config.MAX_METADATA_DEPTH,
})

/**
 * The checks on a new conversation's fields, past its schema: one list for every way one is
 * made (POST /conversations, an import line), each reporting at its own locations.
 */
export function checkConversation(
  fields: { userId: string; title?: string | null | undefined; metadata?: unknown },
  at: Record<'userId' | 'title' | 'metadata', Loc>,
  limits: Limits,
): void {
  checkText(fields.userId, at.userId)
  checkText(fields.title, at.title)
  checkMetadata(fields.metadata, at.metadata, limits)
}

/** The same for a new message (POST …/messages, a socket's send, an import line). */
export function checkMessage(
  fields: { content: string; clientId?: string | null | undefined; metadata?: unknown },
  at: Record<'content' | 'clientId' | 'metadata', Loc>,
  limits: Limits,
): void {
  checkContent(fields.content, at.content, limits.maxMessageLength)
  checkText(fields.clientId, at.clientId)
  checkMetadata(fields.metadata, at.metadata, limits)
}

/** At most this many client tools per reply. */
export const MAX_CLIENT_TOOLS = 32

/**
 * The tools a front-end declares for a reply: valid names (as the model sees them), each once,
 * descriptions of valid text, and parameters an object schema within the metadata caps.
 */
export function checkClientTools(tools: readonly ClientTool[] | undefined, loc: Loc, limits: Limits): void {
  if (!tools) return
  if (tools.length > MAX_CLIENT_TOOLS) throw invalid(loc, `At most ${MAX_CLIENT_TOOLS} client tools`, 'too_many_tools')
  const names = new Set<string>()
  for (const [i, tool] of tools.entries()) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(tool.name))
      throw invalid([...loc, i, 'name'], 'A tool name is 1-64 letters, digits, _ or -', 'tool_name')
    if (names.has(tool.name)) throw invalid([...loc, i, 'name'], 'Tool names must be unique', 'tool_name')
    names.add(tool.name)
    checkText(tool.description, [...loc, i, 'description'])
    checkMetadata(tool.parameters, [...loc, i, 'parameters'], limits)
    if (tool.parameters !== undefined && tool.parameters.type !== 'object')
      throw invalid([...loc, i, 'parameters'], 'parameters must be a JSON Schema with "type": "object"', 'tool_schema')
  }
}

/**
 * Text every database stores the same way: no NUL (PostgreSQL's text cannot hold it) and no
 * lone surrogate halves (not valid Unicode, so not representable in UTF-8).
 */
export function checkText(value: string | null | undefined, loc: Loc): void {
  if (value == null) return
  if (value.includes('\u0000')) throw invalid(loc, 'String must not contain NUL characters', 'string_nul')
  if (!value.isWellFormed()) throw invalid(loc, 'String must be valid Unicode (no lone surrogates)', 'string_unicode')
}

/** Message content: valid text of 1..maxMessageLength characters (code points, not UTF-16 units). */
export function checkContent(content: string, loc: Loc, max: number): void {
  checkText(content, loc)
  if (content.length <= max) return // never more code points than UTF-16 units
  let chars = 0
  for (const _ of content) if (++chars > max) break
  if (chars > max) throw invalid(loc, `String should have at most ${max} characters`, 'string_too_long')
}

/**
 * Metadata within the depth and size caps, with valid text in every key and string. Depth is
 * checked first, by a walk that stops at the cap: JSON.stringify of a value nested thousands
 * deep overflows the stack.
 */
export function checkMetadata(metadata: unknown, loc: Loc, limits: Limits): void {
  if (metadata === undefined) return
  const walk = (value: unknown, depth: number, at: Loc): void => {
    if (typeof value === 'string') checkText(value, at)
    if (typeof value !== 'object' || value === null) return
    if (depth > limits.maxMetadataDepth) {
      throw invalid(loc, `Metadata must be nested at most ${limits.maxMetadataDepth} levels deep`, 'metadata_too_deep')
    }
    for (const [key, inner] of Object.entries(value)) {
      checkText(key, [...at, key])
      walk(inner, depth + 1, [...at, key])
    }
  }
  walk(metadata, 1, loc)
  const bytes = Buffer.byteLength(JSON.stringify(metadata))
  if (bytes > limits.maxMetadataBytes) {
    throw invalid(
      loc,
      `Metadata must be at most ${limits.maxMetadataBytes} bytes of JSON (got ${bytes})`,
      'metadata_too_large',
    )
  }
}

// A file part names a stored file, or a file on the web; a posted one may carry its bytes as a
// base64 data: URL, which the chat service stores and replaces by the stored file's URL.
const FILE_URL = /^(\/files\/[0-9a-f-]{36}|https?:\/\/\S+)$/i
const DATA_URL = /^data:[^,]*;base64,/i

/**
 * A posted message's parts: valid text in every string, JSON values (tool input and output,
 * data) within the metadata caps, file parts pointing at a stored file or an http(s) URL — or,
 * with `dataUrls` (a message being posted, not one being imported), carrying a data: URL.
 */
export function checkParts(
  parts: readonly Part[] | undefined,
  loc: Loc,
  limits: Limits,
  { dataUrls = false }: { dataUrls?: boolean } = {},
): void {
  if (parts === undefined) return
  parts.forEach((part, i) => {
    const at = [...loc, i]
    for (const [key, value] of Object.entries(part)) {
      if (typeof value === 'string') checkText(value, [...at, key])
      else if (key !== 'text') checkMetadata({ value }, [...at, key], limits)
    }
    if (part.type === 'file' && !DATA_URL.test(part.url) && part.url.length > MAX_URL_LENGTH) {
      throw invalid([...at, 'url'], `A file URL has at most ${MAX_URL_LENGTH} characters`, 'string_too_long')
    }
    if (part.type === 'file' && !FILE_URL.test(part.url) && !(dataUrls && DATA_URL.test(part.url))) {
      const what = dataUrls ? ', an http(s) URL or a base64 data: URL' : ' or an http(s) URL'
      throw invalid([...at, 'url'], `A file part names a stored file (/files/{id})${what}`, 'file_url')
    }
  })
}
