import type { Actor } from '../../auth/actor'

/**
 * Who a relayed typing indicator names: the server's word, never the client's. A user is their
 * id; a service actor (open mode, an API key) speaks for "user", the original widget's name.
 * "ai" is the reply runner's: it drives reply progress, so no client is ever relayed as it.
 */
export const typingUserId = (actor: Actor): string =>
  actor.kind === 'user' && actor.userId !== 'ai' ? actor.userId : 'user'

type Slot = { at: number; sent: boolean; latest: boolean | null; timer: ReturnType<typeof setTimeout> | null }

/**
 * Typing indicators of one socket in one conversation go out at most once per TYPING_INTERVAL_MS:
 * a widget sends one per keystroke, and each is fanned out to every member. Frames in between
 * are not errors; they are coalesced, and the latest state goes out when the interval ends if
 * it differs from the one sent, so "stopped typing" is never lost.
 */
export class TypingThrottle {
  private readonly slots = new Map<string, Map<string, Slot>>() // socket id → conversation → slot

  constructor(private readonly intervalMs: number) {}

  /** `relay` is called now, later (coalesced), or not at all; it checks membership itself. */
  offer(socketId: string, conversationId: string, isTyping: boolean, relay: (isTyping: boolean) => void): void {
    if (this.intervalMs === 0) {
      relay(isTyping)
      return
    }
    const now = Date.now()
    const slots = this.slots.get(socketId) ?? new Map<string, Slot>()
    this.slots.set(socketId, slots)
    const slot = slots.get(conversationId)
    if (!slot || now - slot.at >= this.intervalMs) {
      if (slot?.timer) clearTimeout(slot.timer)
      slots.set(conversationId, { at: now, sent: isTyping, latest: null, timer: null })
      relay(isTyping)
      return
    }
    slot.latest = isTyping
    slot.timer ??= setTimeout(
      () => {
        slot.timer = null
        const latest = slot.latest
        slot.latest = null
        if (latest === null || latest === slot.sent) return
        slot.at = Date.now()
        slot.sent = latest
        relay(latest)
      },
      slot.at + this.intervalMs - now,
    )
  }

  /** The socket left the conversation (or, without one, closed): drop what is pending. */
  forget(socketId: string, conversationId?: string): void {
    const slots = this.slots.get(socketId)
    if (!slots) return
    for (const [id, slot] of slots) {
      if (conversationId !== undefined && id !== conversationId) continue
      if (slot.timer) clearTimeout(slot.timer)
      slots.delete(id)
    }
    if (slots.size === 0) this.slots.delete(socketId)
  }
}
