import { invalid } from '../errors'
import { textOf } from '../storage/rows'
import type { ChatEvent, Message, Metadata, Part } from '../storage/store'
import type { ToolDef } from '../tools/tool'
import type { ReplyHandle } from './replies'

/** A tool the front-end declares for a reply: the model may call it, the client runs it. */
export type ClientTool = { name: string; description?: string | undefined; parameters?: Metadata | undefined }

/**
 * A user message to store and (optionally) answer: `content`, or `parts` (the content is then
 * their text). `parentId` branches (see NewMessage). `clientTools`: tools of this reply the
 * client runs.
 */
export type Send = {
  content?: string | undefined
  parts?: Part[] | undefined
  parentId?: string | null | undefined
  clientId?: string | undefined
  metadata?: Metadata | undefined
  clientTools?: ClientTool[] | undefined
}

/** Client tools as the tool loop takes them: run by the client, their results posted back. */
export const clientToolDefs = (tools: readonly ClientTool[] | undefined): ToolDef[] | undefined =>
  tools?.map((t) => ({
    name: t.name,
    wireName: t.name,
    description: t.description ?? t.name,
    inputSchema: t.parameters ?? { type: 'object', properties: {} },
    approval: false,
    timeoutMs: 0,
    client: true,
  }))

/** A stored message, its creation event, and the reply queued for it (if any). */
export type Sent = { message: Message; event: ChatEvent; duplicate: boolean; reply: ReplyHandle | null }

/** Where a (re)joining client resumes: after `from`, or `resync` when the log no longer has it. */
export type ResumePoint = { seq: number; from: number | null; resync: boolean }

export const REPLAY_BATCH = 500

// Ids are UUIDs: anything else cannot exist, so it is "not found" without a query.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
export const isId = (id: string) => UUID.test(id)

/**
 * Where a message's fields are reported in validation errors: in a REST body, or at the top
 * of a realtime event's data. Made once: a message is checked on every send.
 */
export type Field = 'content' | 'clientId' | 'metadata' | 'reply' | 'parts' | 'parentId' | 'clientTools'
export const FIELDS: Record<'body' | 'event', Record<Field, string[]>> = {
  body: {
    content: ['body', 'content'],
    clientId: ['body', 'client_id'],
    metadata: ['body', 'metadata'],
    reply: ['body', 'reply'],
    parts: ['body', 'parts'],
    parentId: ['body', 'parent_id'],
    clientTools: ['body', 'client_tools'],
  },
  event: {
    content: ['content'],
    clientId: ['client_id'],
    metadata: ['metadata'],
    reply: ['reply'],
    parts: ['parts'],
    parentId: ['parent_id'],
    clientTools: ['client_tools'],
  },
}

/** A message's content: given, or the text of its parts (which must then agree with it). */
export function contentOf(input: Send, at: Record<Field, string[]>): string {
  if (input.parts === undefined) {
    if (input.content === undefined) throw invalid(at.content, 'Field required', 'missing')
    return input.content
  }
  const text = textOf(input.parts)
  if (input.content !== undefined && input.content !== text) {
    throw invalid(at.content, 'content must be the text parts, concatenated (or left out)', 'value_error')
  }
  return text
}

// Where a new conversation's fields are reported: in the REST body.
export const CONVERSATION_FIELDS = {
  userId: ['body', 'user_id'],
  title: ['body', 'title'],
  metadata: ['body', 'metadata'],
}

/** Messages shown with a conversation. */
export const RECENT_MESSAGES = 50
/** Messages per page of a conversation's tree, unless asked for fewer. */
export const TREE_PAGE = 500
