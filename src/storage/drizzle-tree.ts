import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm'
import type { Db, Driver } from './driver'
import type { Message } from './store'

/** What the tree operations need of every message of a conversation. */
export type TreeNode = { id: string; parentId: string | null; active: number; seq: number }

// Ids per IN list: well inside every dialect's parameter limit.
const CHUNK = 500

/** Children ids by parent id (null: the first messages), in seq order. */
function childrenOf(nodes: readonly TreeNode[]) {
  const children = new Map<string | null, string[]>()
  for (const n of nodes) {
    const list = children.get(n.parentId)
    if (list) list.push(n.id)
    else children.set(n.parentId, [n.id])
  }
  return children
}

/** `id` and every message below it. */
export function descendants(nodes: readonly TreeNode[], id: string): string[] {
  const children = childrenOf(nodes)
  const found = [id]
  for (let i = 0; i < found.length; i++) found.push(...(children.get(found[i] as string) ?? []))
  return found
}

/** The newest (highest seq) leaf below `id`, or `id` itself when it has no children. */
export function leafBelow(nodes: readonly TreeNode[], id: string): string {
  const children = childrenOf(nodes)
  const seqOf = new Map(nodes.map((n) => [n.id, n.seq]))
  let best = id
  let bestSeq = -1
  for (const candidate of descendants(nodes, id)) {
    const seq = seqOf.get(candidate) ?? -1
    if (!children.has(candidate) && seq > bestSeq) {
      best = candidate
      bestSeq = seq
    }
  }
  return best
}

/**
 * The tree operations. They read the conversation's skeleton (id, parent, active, seq of every
 * message: one indexed query) and work it out in memory: only branch switches, forks and
 * subtree deletes need it, never appending at the head or reading a page.
 */
export function treeOps(driver: Driver) {
  const { conversations: c, messages: m } = driver.tables

  function* skeleton(tx: Db, conversationId: string) {
    return (yield tx
      .select({ id: m.id, parentId: m.parentId, active: m.active, seq: m.seq })
      .from(m)
      .where(eq(m.conversationId, conversationId))
      .orderBy(asc(m.seq))) as TreeNode[]
  }

  function* setActive(tx: Db, conversationId: string, ids: readonly string[], active: number) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      yield tx
        .update(m)
        .set({ active })
        .where(and(eq(m.conversationId, conversationId), inArray(m.id, chunk)))
    }
  }

  /**
   * Makes the path from the first message to `headId` the active branch: flips only the
   * messages whose flag changes, sets the head and the branch's message count (returned).
   */
  function* activate(tx: Db, conversationId: string, nodes: readonly TreeNode[], headId: string | null) {
    const byId = new Map(nodes.map((n) => [n.id, n]))
    const path = new Set<string>()
    for (let n = headId === null ? undefined : byId.get(headId); n && !path.has(n.id); ) {
      path.add(n.id)
      n = n.parentId === null ? undefined : byId.get(n.parentId)
    }
    const off = nodes.filter((n) => n.active === 1 && !path.has(n.id)).map((n) => n.id)
    const on = nodes.filter((n) => n.active !== 1 && path.has(n.id)).map((n) => n.id)
    yield* setActive(tx, conversationId, off, 0)
    yield* setActive(tx, conversationId, on, 1)
    yield tx.update(c).set({ headId, messageCount: path.size }).where(eq(c.id, conversationId))
    return path.size
  }

  function* deleteIds(tx: Db, conversationId: string, ids: readonly string[]) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      yield tx.delete(m).where(and(eq(m.conversationId, conversationId), inArray(m.id, chunk)))
    }
  }

  /**
   * Fills in each message's siblings. A conversation that never branched has only only
   * children: nothing to read.
   */
  function* withSiblings(tx: Db, conversationId: string, branched: number, messages: Message[]) {
    if (branched !== 1 || messages.length === 0) return messages
    const parents = [...new Set(messages.map((x) => x.parent_id).filter((p) => p !== null))]
    const roots = messages.some((x) => x.parent_id === null)
    const under = [...(parents.length ? [inArray(m.parentId, parents)] : []), ...(roots ? [isNull(m.parentId)] : [])]
    const rows = (yield tx
      .select({ id: m.id, parentId: m.parentId, seq: m.seq })
      .from(m)
      .where(and(eq(m.conversationId, conversationId), or(...under)))
      .orderBy(asc(m.seq))) as TreeNode[]
    const children = childrenOf(rows)
    for (const x of messages) x.siblings = children.get(x.parent_id) ?? [x.id]
    return messages
  }

  return { skeleton, activate, deleteIds, withSiblings }
}

export type TreeOps = ReturnType<typeof treeOps>
