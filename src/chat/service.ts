import type { Actor } from '../auth/actor'
import type { RateLimiter } from '../auth/rate-limit'
import type { Assistants } from '../bots/assistants'
import type { FileRules } from '../features/files/content'
import type { Hub } from '../hub/hub'
import type { ReplyProgress } from '../hub/progress'
import type { Store } from '../storage/store'
import type { Limits } from './checks'
import type { Quotas } from './quotas'
import type { Replies } from './replies'
import { ToolSession } from './tool-session'

export type { ResumePoint, Send, Sent } from './message-input'
export { RECENT_MESSAGES, TREE_PAGE } from './message-input'

export type ChatDeps = {
  store: Store
  hub: Hub
  replies: Replies | null
  /** Replies generating on any instance (from the room events). */
  progress: ReplyProgress
  limits: Limits
  /** What a file carried in a message part (a data: URL) may be. */
  files: FileRules
  /** Counts messages that make the bot work, per actor. */
  messageLimiter: RateLimiter
  assistants: Assistants
  /** Token quotas, checked before a message that makes the bot work. */
  quotas: Quotas
}

/**
 * The chat semantics shared by every transport: storage, event publication and rules
 * (ownership, which messages may be edited, limits, paging). `as(actor)` gives the operations
 * as that actor may perform them: a user sees only their own conversations — anyone else's
 * answers "not found", so ids cannot be probed.
 */
export function createChatService(deps: ChatDeps) {
  // One class for every session, so `as(actor)` per request is one small object, not a closure
  // per operation (~20 functions and their scopes per request).
  return { as: (actor: Actor) => new ToolSession(deps, actor) }
}

export type ChatService = ReturnType<typeof createChatService>
