import type { Actor } from '../../auth/actor'
import { RateLimiter } from '../../auth/rate-limit'
import { rateLimited } from '../../errors'

/** RATE_LIMIT_SOCKET_EVENTS, RATE_LIMIT_SOCKET_EVENTS_PER_USER, RATE_LIMIT_JOINS (per minute). */
export type BudgetLimits = { events: number; eventsPerUser: number; joins: number }

/**
 * A client that keeps sending after this many refusals within STRIKE_WINDOW_MS is not a
 * client that backs off: its socket is closed (1008) rather than answered forever.
 */
export const MAX_STRIKES = 40
export const STRIKE_WINDOW_MS = 60_000
/**
 * A user whose socket was closed for flooding may not open sockets for this long: otherwise
 * each reconnect (an upgrade, a token check, a fresh socket budget) is a cheaper flood.
 */
export const FLOOD_COOLDOWN_MS = 10_000

type Who = { id: string; actor: Actor }

/**
 * What one socket and one user may send: every client frame (including pings and frames that
 * do not parse) costs one event on the socket's budget and on its user's, over all their
 * sockets; joins have their own, smaller budget, because each one reads the event log.
 */
export class SocketBudgets {
  private readonly perSocket: RateLimiter
  private readonly perUser: RateLimiter
  private readonly joins: RateLimiter
  private readonly strikes = new Map<string, { count: number; since: number }>()
  private readonly cooldowns = new Map<string, number>() // rateKey → until when

  constructor(limits: BudgetLimits) {
    this.perSocket = new RateLimiter(limits.events)
    this.perUser = new RateLimiter(limits.eventsPerUser)
    this.joins = new RateLimiter(limits.joins)
  }

  /** Charges one client event: 0 when it may proceed, else the seconds until it may. */
  event(who: Who): number {
    return this.perSocket.take(who.id) || this.perUser.take(who.actor.rateKey)
  }

  /** Charges one join; throws `rate_limited` past RATE_LIMIT_JOINS. */
  join(who: Who): void {
    const wait = this.joins.take(who.id)
    if (wait) throw rateLimited(`Too many joins; try again in ${wait} s`, wait)
  }

  /** Counts a refusal; true when the socket has been refused too often and must be closed. */
  strike(who: Who, now = Date.now()): boolean {
    const current = this.strikes.get(who.id)
    const s = current && now - current.since < STRIKE_WINDOW_MS ? current : { count: 0, since: now }
    s.count++
    this.strikes.set(who.id, s)
    return s.count > MAX_STRIKES
  }

  /** The user's socket was closed for flooding: refuse their new sockets for a while. */
  cool(who: Who, now = Date.now()): void {
    if (this.cooldowns.size > 10_000)
      for (const [k, until] of this.cooldowns) if (until <= now) this.cooldowns.delete(k)
    this.cooldowns.set(who.actor.rateKey, now + FLOOD_COOLDOWN_MS)
  }

  /** Seconds until the actor may open sockets again; 0: now. */
  cooling(actor: Actor, now = Date.now()): number {
    const until = this.cooldowns.get(actor.rateKey) ?? 0
    if (until > now) return Math.ceil((until - now) / 1000)
    if (until) this.cooldowns.delete(actor.rateKey)
    return 0
  }

  forget(who: Who): void {
    this.strikes.delete(who.id)
  }
}
