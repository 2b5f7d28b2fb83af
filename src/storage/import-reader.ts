import type { Tables } from './driver'
import { FORMAT, ImportError, type ImportLimits, parseImportLine } from './transfer-checks'

type ConversationRow = Tables['conversations']['$inferSelect']
type MessageRow = Tables['messages']['$inferSelect']

export type ImportRecord = { n: number } & (
  | { type: 'conversation'; row: ConversationRow }
  | { type: 'message'; row: MessageRow }
)
export type ImportSummary = { format: number; conversations: number; messages: number }

/**
 * The records of an export file, each checked (transfer-checks.ts), and the file as a whole:
 * a header first (or none: format 1), messages right after their conversation, no id twice,
 * seqs and client ids unique within a conversation and never above its `lastSeq`, and the end
 * line's counts equal to what came before it. Throws ImportError at the first problem; the
 * whole-file checks come at the end, so read it all once before acting on any of it.
 */
export async function* readImport(
  lines: AsyncIterable<string>,
  limits: ImportLimits,
): AsyncGenerator<ImportRecord, ImportSummary> {
  let format = 0
  let n = 0
  let end: { n: number; conversations: number; messages: number } | null = null
  const conversationIds = new Set<string>()
  const messageIds = new Set<string>()
  let current: { n: number; row: ConversationRow; seqs: Set<number>; clientIds: Set<string> } | null = null
  let messages = 0

  for await (const text of lines) {
    n++
    if (!text.trim()) continue
    const line = parseImportLine(text, n, limits)
    if (end) throw new ImportError(n, 'type', `${line.type} line after the end line`)
    if (format === 0) {
      format = line.type === 'header' ? line.format : 1
      if (format > FORMAT) throw new ImportError(n, 'format', `format ${format} is newer than this Parley reads`)
      if (line.type === 'header') continue
    }
    if (line.type === 'header') throw new ImportError(n, 'type', 'a header line is only allowed first')
    if (line.type === 'end') {
      if (format === 1) throw new ImportError(n, 'type', 'an end line in a file without a header')
      end = { n, conversations: line.conversations, messages: line.messages }
    } else if (line.type === 'conversation') {
      const { row } = line
      if (conversationIds.has(row.id)) throw new ImportError(n, 'id', `conversation ${row.id} appears twice`)
      conversationIds.add(row.id)
      current = { n, row, seqs: new Set(), clientIds: new Set() }
      yield { n, type: 'conversation', row }
    } else {
      const { row } = line
      if (!current || row.conversationId !== current.row.id) {
        throw new ImportError(n, 'conversationId', 'a message must follow its conversation line')
      }
      if (messageIds.has(row.id)) throw new ImportError(n, 'id', `message ${row.id} appears twice`)
      if (row.seq > current.row.lastSeq) {
        throw new ImportError(n, 'seq', `${row.seq} is above the conversation's lastSeq ${current.row.lastSeq}`)
      }
      if (current.seqs.has(row.seq)) throw new ImportError(n, 'seq', `${row.seq} appears twice in the conversation`)
      if (row.clientId !== null && current.clientIds.has(row.clientId)) {
        throw new ImportError(n, 'clientId', `${JSON.stringify(row.clientId)} appears twice in the conversation`)
      }
      messageIds.add(row.id)
      current.seqs.add(row.seq)
      if (row.clientId !== null) current.clientIds.add(row.clientId)
      messages++
      yield { n, type: 'message', row }
    }
  }

  if (format === 0) throw new ImportError(n + 1, null, 'the file is empty (an export has at least its header)')
  if (format >= 2 && !end) {
    throw new ImportError(n + 1, null, 'the file is cut short: it ends without the end line an export finishes with')
  }
  if (end) {
    if (end.conversations !== conversationIds.size) {
      throw new ImportError(end.n, 'conversations', `${end.conversations}, but the file has ${conversationIds.size}`)
    }
    if (end.messages !== messages)
      throw new ImportError(end.n, 'messages', `${end.messages}, but the file has ${messages}`)
  }
  // Without an end line only the last conversation can have been cut; its count is the clue.
  // (Counts are never stored from the file: a live export may have seen a delete in between.)
  if (format === 1 && current && current.seqs.size !== current.row.messageCount) {
    throw new ImportError(
      current.n,
      'messageCount',
      `${current.row.messageCount}, but ${current.seqs.size} messages follow: the file looks cut short`,
    )
  }
  return { format, conversations: conversationIds.size, messages }
}
