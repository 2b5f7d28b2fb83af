/**
 * A fixed budget per key and minute, refilled continuously (a token bucket), in this
 * instance's memory: with several instances each applies the limit on its own.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>()
  private readonly perMs: number

  constructor(private readonly perMinute: number) {
    this.perMs = perMinute / 60_000
  }

  /** Takes one token for `key`; returns 0 when allowed, else the seconds until one is available. */
  take(key: string, now = Date.now()): number {
    const bucket = this.buckets.get(key) ?? { tokens: this.perMinute, at: now }
    // The clock can step back (NTP): never count that as negative time.
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + Math.max(0, now - bucket.at) * this.perMs)
    bucket.at = Math.max(now, bucket.at)
    if (this.buckets.size > 100_000) this.sweep(now)
    this.buckets.set(key, bucket)
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1
      return 0
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000))
  }

  // Full buckets hold no information: forget them.
  private sweep(now: number) {
    for (const [key, b] of this.buckets)
      if (b.tokens + (now - b.at) * this.perMs >= this.perMinute) this.buckets.delete(key)
  }
}
