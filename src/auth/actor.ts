/**
 * Who is asking. `service`: open mode or an API key holder, trusted to act for any user.
 * `user`: an end user from a verified token, limited to their own conversations.
 * `rateKey` is what rate limits count against.
 */
export type Actor =
  | { kind: 'service'; rateKey: string }
  | { kind: 'user'; userId: string; rateKey: string /** Token expiry, epoch ms. */; expiresAt?: number }

export const isUser = (actor: Actor): actor is Extract<Actor, { kind: 'user' }> => actor.kind === 'user'
