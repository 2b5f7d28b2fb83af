import type { Store } from '../storage/store'

/**
 * Takes the conversation's reply lease for `holder`, waiting while another instance holds it,
 * and renews it every third of its time until the returned function releases it. An instance
 * that dies blocks its conversations' replies at most `ttlMs`.
 */
export async function holdLease(
  store: Store,
  conversationId: string,
  { holder, ttlMs }: { holder: string; ttlMs: number },
): Promise<() => Promise<void>> {
  while (!(await store.acquireLease(conversationId, holder, ttlMs))) await Bun.sleep(100)
  const renew = setInterval(() => void store.acquireLease(conversationId, holder, ttlMs).catch(() => {}), ttlMs / 3)
  return async () => {
    clearInterval(renew)
    await store.releaseLease(conversationId, holder).catch(() => {})
  }
}
