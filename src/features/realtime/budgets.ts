import type { Actor } from '../../auth/actor'
import { RateLimiter } from '../../auth/rate-limit'
import { AppError } from '../../errors'

/** RATE_LIMIT_SOCKET_EVENTS, RATE_LIMIT_SOCKET_EVENTS_PER_USER, RATE_LIMIT_JOINS (per minute). */
export type BudgetLimits = { events: number; eventsPerUser: number; joins: number }

/**
 * A client that keeps sending after this many refusals within STRIKE_WINDOW_MS is not a
 * client that backs off: its socket is closed (1008) rather than answered forever.
 */
export const MAX_STRIKES = 40
export const STRIKE_WINDOW_MS = 60_000

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
    if (wait) throw refusal(`Too many joins; try again in ${wait} s`, wait)
  }

  /** Counts a refusal; true when the socket has been refused too often and must be closed. */
  strike(who: Who, now = Date.now()): boolean {
    const current = this.strikes.get(who.id)
    const s = current && now - current.since < STRIKE_WINDOW_MS ? current : { count: 0, since: now }
    s.count++
    this.strikes.set(who.id, s)
    return s.count > MAX_STRIKES
  }

  forget(who: Who): void {
    this.strikes.delete(who.id)
  }
}

export const refusal = (message: string, wait: number) =>
  new AppError('rate_limited', message, { 'retry-after': String(wait) })
