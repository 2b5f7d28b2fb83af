import type { Tables } from './driver'
import { FORMAT, ImportError, type ImportLimits, parseImportLine, REQUIRED_FIELDS } from './transfer-checks'
import { type EndCounts, TAIL, type TailLine } from './transfer-lines'

// As a file line holds it: without log_from, which the import sets.
type ConversationRow = Omit<Tables['conversations']['$inferSelect'], 'logFrom'>
type MessageRow = Tables['messages']['$inferSelect']

export type ImportRecord = { n: number } & (
  | { type: 'conversation'; row: ConversationRow }
  | { type: 'message'; row: MessageRow }
  | TailLine
)
export type ImportSummary = { format: number; conversations: number; messages: number } & Required<EndCounts>

/**
 * The records of an export file, each checked (transfer-checks.ts), and the file as a whole:
 * a header first (or none: format 1), messages right after their conversation, no id twice,
 * seqs and client ids unique within a conversation and never above its `lastSeq`, file lines
 * (format 3) and assistant, quota and usage lines (format 4) after every conversation, each key
 * once, and the end line's counts equal to what came before it. Throws ImportError at the first
 * problem; the whole-file checks come at the end, so read it all once before acting on any of it.
 */
export async function* readImport(
  lines: AsyncIterable<string>,
  limits: ImportLimits,
): AsyncGenerator<ImportRecord, ImportSummary> {
  let format = 0
  let n = 0
  let end: ({ n: number; conversations: number; messages: number } & EndCounts) | null = null
  const conversationIds = new Set<string>()
  const messageIds = new Set<string>()
  let current: Current | null = null
  let messages = 0
  const tailKeys = {
    file: new Set<string>(),
    assistant: new Set<string>(),
    quota: new Set<string>(),
    usage: new Set<string>(),
  }
  let tailSeen: string | null = null

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
      for (const { count, since } of Object.values(TAIL)) {
        if ((line[count] !== undefined) !== format >= since) {
          throw new ImportError(
            n,
            count,
            format >= since ? `missing: format ${since} counts them` : `only from format ${since}`,
          )
        }
      }
      end = { ...line, n }
    } else if (line.type !== 'conversation' && line.type !== 'message') {
      const tail = TAIL[line.type]
      if (format < tail.since) throw new ImportError(n, 'type', `${line.type} lines are format ${tail.since}`)
      const key = tail.key(line.row as never)
      if (tailKeys[line.type].has(key)) throw new ImportError(n, tail.field, `${line.type} ${key} appears twice`)
      tailKeys[line.type].add(key)
      tailSeen = line.type
      yield { ...line, n }
    } else if (tailSeen) {
      throw new ImportError(
        n,
        'type',
        `a ${line.type} line after the ${tailSeen} lines (they come after every conversation)`,
      )
    } else if (line.type === 'conversation') {
      const { row } = line
      if (conversationIds.has(row.id)) throw new ImportError(n, 'id', `conversation ${row.id} appears twice`)
      if (current && format >= 3) checkTree(current)
      requireFields(line.type, row, format, n)
      if (format < 3) Object.assign(row, { headId: null, branched: 0, inputTokens: 0, outputTokens: 0 })
      row.chatId ??= null // added to format 3 later: absent means none
      row.assistantId ??= null // before format 4: the default assistant
      conversationIds.add(row.id)
      current = { n, row, seqs: new Set(), clientIds: new Set(), nodes: new Map(), lastId: null }
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
      requireFields(line.type, row, format, n)
      // Before format 3 a conversation is one branch, in file order.
      if (format < 3) Object.assign(row, { parentId: current.lastId, active: 1, parts: null, generation: null })
      const parent = row.parentId === null ? null : current.nodes.get(row.parentId)
      if (parent === undefined || (parent && parent.seq >= row.seq)) {
        throw new ImportError(n, 'parentId', 'names no earlier message of the conversation (parents come first)')
      }
      current.nodes.set(row.id, { parentId: row.parentId, active: row.active, seq: row.seq, n })
      current.lastId = row.id
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
  if (current && format >= 3) checkTree(current)
  if (end) {
    if (end.conversations !== conversationIds.size) {
      throw new ImportError(end.n, 'conversations', `${end.conversations}, but the file has ${conversationIds.size}`)
    }
    if (end.messages !== messages)
      throw new ImportError(end.n, 'messages', `${end.messages}, but the file has ${messages}`)
    for (const [kind, { count }] of Object.entries(TAIL)) {
      const stated = end[count]
      const have = tailKeys[kind as keyof typeof TAIL].size
      if (stated !== undefined && stated !== have)
        throw new ImportError(end.n, count, `${stated}, but the file has ${have}`)
    }
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
  const counts = { files: 0, assistants: 0, quotas: 0, usage: 0 }
  for (const [kind, { count }] of Object.entries(TAIL)) counts[count] = tailKeys[kind as keyof typeof TAIL].size
  return { format, conversations: conversationIds.size, messages, ...counts }
}

type Node = { parentId: string | null; active: number; seq: number; n: number }
type Current = {
  n: number
  row: ConversationRow
  seqs: Set<number>
  clientIds: Set<string>
  nodes: Map<string, Node>
  lastId: string | null
}

function requireFields(type: 'conversation' | 'message', row: object, format: number, n: number) {
  for (const [since, fields, why] of REQUIRED_FIELDS) {
    if (format < since) return
    for (const field of fields[type]) {
      if (!(field in row)) throw new ImportError(n, field, `missing: format ${since} records ${why}`)
    }
  }
}

/** Format 3: the active messages are exactly the branch from the first message to the head. */
function checkTree({ n, row, nodes }: Current) {
  if (row.headId === null && nodes.size === 0) return
  if (row.headId === null) {
    if ([...nodes.values()].some((node) => node.active === 1)) {
      throw new ImportError(n, 'headId', 'is null, but messages are marked active')
    }
    return
  }
  const path = new Set<string>()
  for (let id: string | null = row.headId; id !== null; ) {
    const node = nodes.get(id)
    if (!node) throw new ImportError(n, 'headId', `names no message of the conversation`)
    path.add(id)
    id = node.parentId
  }
  for (const [id, node] of nodes) {
    if ((node.active === 1) !== path.has(id)) {
      throw new ImportError(node.n, 'active', 'must be 1 exactly on the branch that ends at the head')
    }
  }
}
