import { and, asc, count, eq, gt, inArray, isNull, type SQL } from 'drizzle-orm'
import type { Db, Driver } from './driver'
import type { Message } from './store'

/** What the tree operations need of every message of a conversation. */
export type TreeNode = { id: string; parentId: string | null; active: number; seq: number }

// Ids per IN list: well inside every dialect's parameter limit.
const CHUNK = 500
// A branch is never longer than the conversation; this only guards the walk against a cycle.
const MAX_WALK = 10_000_000

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

/**
 * `id` and every message below it, in seq order. One pass over the skeleton (in seq order): a
 * child is always stored after its parent, so a message is below `id` when its parent is.
 */
export function descendants(nodes: readonly TreeNode[], id: string): string[] {
  const below = new Set([id])
  for (const n of nodes) if (n.parentId !== null && below.has(n.parentId)) below.add(n.id)
  return [...below]
}

/** The newest (highest seq) leaf below `id`, or `id` itself when it has no children. */
export function leafBelow(nodes: readonly TreeNode[], id: string): string {
  const below = new Set(descendants(nodes, id))
  const parents = new Set<string>()
  for (const n of nodes) if (n.parentId !== null && below.has(n.id)) parents.add(n.parentId)
  let leaf = id
  for (const n of nodes) if (below.has(n.id) && !parents.has(n.id)) leaf = n.id // the last is the newest
  return leaf
}

/**
 * The tree operations. Switching the head and deleting a subtree read the conversation's
 * skeleton (id, parent, active, seq of every message: one indexed query) and work it out in
 * memory; a fork walks up from the new message only; appending at the head and reading a page
 * need neither.
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
   * Makes the branch ending at `headId` the active one. It walks up from the head (`lookup`
   * gives a message from the skeleton, or the query reading it) to where it meets the active branch;
   * the active messages after that point go off in one range update (the active branch is in
   * seq order), the walked ones on. Returns the new branch's message count, given the old one.
   */
  function* activate(
    tx: Db,
    conversationId: string,
    headId: string,
    messageCount: number,
    lookup: (id: string) => TreeNode | undefined | PromiseLike<TreeNode[]>,
  ) {
    const fresh: string[] = []
    let meet: TreeNode | undefined
    for (let id: string | null = headId; id !== null && fresh.length <= MAX_WALK; ) {
      const found = lookup(id)
      const node = found && 'then' in found ? ((yield found) as TreeNode[])[0] : found
      if (!node) break
      if (node.active === 1) {
        meet = node
        break
      }
      fresh.push(node.id)
      id = node.parentId
    }
    const after = and(eq(m.conversationId, conversationId), eq(m.active, 1), gt(m.seq, meet?.seq ?? 0))
    const [off] = (yield tx.select({ n: count() }).from(m).where(after)) as { n: number }[]
    yield tx.update(m).set({ active: 0 }).where(after)
    yield* setActive(tx, conversationId, fresh, 1)
    const length = messageCount - Number(off?.n ?? 0) + fresh.length
    yield tx.update(c).set({ headId, messageCount: length }).where(eq(c.id, conversationId))
    return length
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
    // Two indexed reads: planners scan the conversation for "IN (…) OR IS NULL".
    const read = (under: SQL) =>
      tx
        .select({ id: m.id, parentId: m.parentId, seq: m.seq })
        .from(m)
        .where(and(eq(m.conversationId, conversationId), under))
        .orderBy(asc(m.seq))
    const rows = [
      ...(parents.length ? ((yield read(inArray(m.parentId, parents))) as TreeNode[]) : []),
      ...(roots ? ((yield read(isNull(m.parentId))) as TreeNode[]) : []),
    ]
    const children = childrenOf(rows)
    for (const x of messages) x.siblings = children.get(x.parent_id) ?? [x.id]
    return messages
  }

  return { skeleton, activate, deleteIds, withSiblings }
}

export type TreeOps = ReturnType<typeof treeOps>
