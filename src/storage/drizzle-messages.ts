import { and, asc, eq, isNull } from 'drizzle-orm'
import { type Db, type Driver, Rollback } from './driver'
import type { LogOps } from './drizzle-log'
import type { HeadRow, preparedQueries } from './drizzle-queries'
import { descendants, leafBelow, type TreeOps } from './drizzle-tree'
import { usageValues } from './drizzle-usage'
import { editedParts, storedParts, toMessage } from './rows'
import { type ChatEvent, Hidden, type MessageGuard, MissingParent, type NewMessage } from './store'

type MessageRow = Driver['tables']['messages']['$inferSelect']
type ConversationRow = Driver['tables']['conversations']['$inferSelect']
type Queries = ReturnType<typeof preparedQueries>

export type MessageOpsDeps = {
  driver: Driver
  q: Queries
  tree: TreeOps
  log: Pick<LogOps, 'appendEvent' | 'appended'>
  nextSeq: (tx: Db, id: string) => Generator<PromiseLike<unknown>, ConversationRow | null, any>
}

/**
 * Transaction bodies that place messages in a conversation's tree. Appending at the head (the
 * hot path) reads nothing beyond the conversation's head row; a fork reads the skeleton.
 */
export function messageOps({ driver, q, tree, log, nextSeq }: MessageOpsDeps) {
  const { messages: m } = driver.tables

  /** Stores a message and its event (see Store.createMessage). */
  function* storeMessage(tx: Db, input: NewMessage, now: number) {
    const { conversationId, clientId, generation } = input
    if (clientId !== undefined) {
      const [dup] = (yield q.byClientId({ conversationId, clientId }, tx)) as MessageRow[]
      if (dup) {
        const [conv] = (yield q.head({ id: conversationId }, tx)) as HeadRow[]
        const message = toMessage(dup)
        yield* tree.withSiblings(tx, conversationId, conv?.branched ?? 0, [message])
        const headId = conv?.headId ?? null
        const event: ChatEvent = { type: 'new_message', conversationId, seq: dup.seq, message, headId }
        return { message, event, duplicate: true }
      }
    }
    yield q.bumpForMessage({ id: conversationId, now }, tx)
    const [conv] = (yield q.head({ id: conversationId }, tx)) as HeadRow[]
    if (!conv) return null
    // Where it goes: at the head (append), a new active branch (fork), or under an inactive
    // message it answers, leaving the head where the user put it (aside).
    let place: 'append' | 'fork' | 'aside' = 'append'
    let parentId = conv.headId
    if (input.parentId !== undefined && input.parentId !== conv.headId) {
      place = 'fork'
      parentId = input.parentId
      if (parentId !== null) {
        const [parent] = (yield q.message({ id: parentId, conversationId }, tx)) as MessageRow[]
        if (!parent) throw new MissingParent()
      }
    } else if (input.parentId === undefined && input.replyTo !== undefined) {
      const [answered] = (yield q.message({ id: input.replyTo, conversationId }, tx)) as MessageRow[]
      if (answered?.active === 0) {
        place = 'aside'
        parentId = answered.id
      }
    }
    const siblings =
      place === 'append' && conv.branched === 0
        ? []
        : (
            (yield tx
              .select({ id: m.id })
              .from(m)
              .where(
                and(
                  eq(m.conversationId, conversationId),
                  parentId === null ? isNull(m.parentId) : eq(m.parentId, parentId),
                ),
              )
              .orderBy(asc(m.seq))) as { id: string }[]
          ).map((r) => r.id)
    const row: MessageRow = {
      id: input.id ?? Bun.randomUUIDv7(),
      conversationId,
      seq: conv.lastSeq,
      sender: input.sender,
      content: input.content,
      metadata: JSON.stringify(input.metadata),
      clientId: clientId ?? null,
      replyTo: input.replyTo ?? null,
      parentId,
      active: place === 'append' ? 1 : 0,
      parts: storedParts(input.content, input.parts),
      generation: generation ? JSON.stringify(generation) : null,
      createdAt: now,
      updatedAt: now,
    }
    yield q.insertMessage(row, tx)
    if (place === 'append') yield q.advanceHead({ id: conversationId, headId: row.id }, tx)
    else if (place === 'fork')
      yield* tree.activate(tx, conversationId, row.id, conv.messageCount, (id) => q.message({ id, conversationId }, tx))
    // Its owner's usage row for the day, in this transaction; never taken back (billing history).
    if (generation) yield q.addUsage(usageValues(conv.userId, generation, now), tx)
    if (siblings.length > 0) yield q.markBranched({ id: conversationId }, tx)
    const usage = generation?.usage
    if (usage) yield q.addTokens({ id: conversationId, input: usage.input_tokens, output: usage.output_tokens }, tx)
    const message = toMessage(row)
    if (siblings.length > 0) message.siblings = [...siblings, row.id]
    const headId = place === 'aside' ? conv.headId : row.id
    const event: ChatEvent = { type: 'new_message', conversationId, seq: row.seq, message, headId }
    // Appended at the head, the message row is its own event (drizzle-log.ts).
    if (place === 'append') yield* log.appended(tx, conversationId, row.seq)
    else yield* log.appendEvent(tx, event, now)
    return { message, event, duplicate: false }
  }

  /**
   * Takes the conversation's next seq and reads the message a change is about, checking the
   * guard (see Store.updateMessage): null when the conversation does not exist; a missing message
   * rolls the seq back and makes the change return null. With a guard, anything the caller may
   * not change throws Hidden instead.
   */
  function* changing(tx: Db, conversationId: string, id: string, guard?: MessageGuard) {
    const conv = yield* nextSeq(tx, conversationId)
    if (!conv || (guard?.userId !== undefined && conv.userId !== guard.userId)) {
      if (guard) throw new Hidden('conversation')
      return null
    }
    const [row] = (yield q.message({ id, conversationId }, tx)) as MessageRow[]
    if (!row || (guard?.sender !== undefined && row.sender !== guard.sender)) {
      if (guard) throw new Hidden('message')
      throw new Rollback(null)
    }
    return { conv, row }
  }

  /** Deletes one message (children move up to its parent) or its whole subtree. */
  function* deleteIn(tx: Db, conversationId: string, id: string, subtree: boolean, now: number, guard?: MessageGuard) {
    const found = yield* changing(tx, conversationId, id, guard)
    if (!found) return null
    const { conv, row } = found
    let deletedIds = [id]
    let removedActive = row.active
    if (subtree) {
      const nodes = yield* tree.skeleton(tx, conversationId)
      deletedIds = descendants(nodes, id)
      const gone = new Set(deletedIds)
      removedActive = nodes.filter((n) => n.active === 1 && gone.has(n.id)).length
      yield* tree.deleteIds(tx, conversationId, deletedIds)
    } else {
      // A conversation that never branched is one chain whose head is its newest message:
      // nothing is below the head to move up.
      if (conv.branched === 1 || conv.headId !== id)
        yield q.reparentChildren({ conversationId, id, parentId: row.parentId }, tx)
      yield q.deleteMessage({ conversationId, id }, tx)
    }
    const headId = conv.headId !== null && deletedIds.includes(conv.headId) ? row.parentId : conv.headId
    yield q.setHeadAndCount({ id: conversationId, headId, messageCount: conv.messageCount - removedActive }, tx)
    const event: ChatEvent = {
      type: 'message_deleted',
      conversationId,
      seq: conv.lastSeq,
      messageId: id,
      parentId: row.parentId,
      deletedIds,
      headId,
    }
    yield* log.appendEvent(tx, event, now)
    return event
  }

  /** Moves the head to the newest leaf below `messageId` (see Store.setHead). */
  function* headIn(tx: Db, conversationId: string, messageId: string, now: number) {
    const conv = yield* nextSeq(tx, conversationId)
    if (!conv) return null
    const nodes = yield* tree.skeleton(tx, conversationId)
    if (!nodes.some((n) => n.id === messageId)) throw new Rollback(null)
    const headId = leafBelow(nodes, messageId)
    // Unchanged: the rollback also undoes the seq bump, so nothing is logged.
    if (headId === conv.headId) throw new Rollback({ headId, event: null })
    const known = new Map(nodes.map((n) => [n.id, n]))
    const messageCount = yield* tree.activate(tx, conversationId, headId, conv.messageCount, (id) => known.get(id))
    const event: ChatEvent = { type: 'head_changed', conversationId, seq: conv.lastSeq, headId, messageCount }
    yield* log.appendEvent(tx, event, now)
    return { headId, event }
  }

  /** Edits a message's text in place: its text parts become one, where the first one was. */
  function* editIn(tx: Db, conversationId: string, id: string, content: string, now: number, guard?: MessageGuard) {
    const found = yield* changing(tx, conversationId, id, guard)
    if (!found) return null
    const { conv, row: old } = found
    const row: MessageRow = { ...old, content, parts: editedParts(old.parts, content), updatedAt: now }
    yield q.editMessage({ id, conversationId, content, parts: row.parts, now }, tx)
    const [message] = yield* tree.withSiblings(tx, conversationId, conv.branched, [toMessage(row)])
    if (!message) throw new Rollback(null)
    const event: ChatEvent = { type: 'message_updated', conversationId, seq: conv.lastSeq, message }
    yield* log.appendEvent(tx, event, now)
    return { message, event }
  }

  return { storeMessage, deleteIn, headIn, editIn }
}
