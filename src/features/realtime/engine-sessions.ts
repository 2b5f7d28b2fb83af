/**
 * Engine.IO sessions before and after they reach the Socket.IO namespace. A handshake costs
 * one request, yet its session lives until the connect timeout: unbounded, 60,000 handshakes
 * took 570 MB. So sessions not yet connected ("pending") are counted per client address and
 * capped (MAX_PENDING_SOCKETS_PER_ADDRESS); and only connected sessions, which passed
 * authentication, may hold a long-poll past Bun's idle timeout.
 */
export class EngineSessions {
  private readonly pendingPer = new Map<string, number>()
  private readonly pendingAddress = new Map<string, string>() // engine sid → address
  private readonly connected = new Set<string>()

  constructor(private readonly maxPendingPerAddress: number) {}

  /** Reserves a pending slot for a handshake from `address`; false when the address has none left. */
  reserve(address: string): boolean {
    const n = this.pendingPer.get(address) ?? 0
    if (n >= this.maxPendingPerAddress) return false
    this.pendingPer.set(address, n + 1)
    return true
  }

  /** Gives back a reservation whose handshake made no session. */
  release(address: string): void {
    const n = (this.pendingPer.get(address) ?? 1) - 1
    if (n > 0) this.pendingPer.set(address, n)
    else this.pendingPer.delete(address)
  }

  /** The handshake made session `sid`: it holds its address's slot until it connects or closes. */
  opened(sid: string, address: string): void {
    this.pendingAddress.set(sid, address)
  }

  /** The session reached the namespace, authenticated. */
  connect(sid: string): void {
    this.settle(sid)
    this.connected.add(sid)
  }

  /** The session is gone (closed, timed out, disconnected). */
  closed(sid: string): void {
    this.settle(sid)
    this.connected.delete(sid)
  }

  pending(address: string): number {
    return this.pendingPer.get(address) ?? 0
  }

  /**
   * Whether this engine request may outlive Bun's idle timeout: a polling GET of a connected
   * session, which the engine holds open until it has something to send (up to the ping
   * interval). Handshakes, posts and unknown or pending sessions keep the normal timeout.
   */
  holdsLongPoll(method: string, url: URL): boolean {
    const sid = url.searchParams.get('sid')
    return (
      method === 'GET' && url.searchParams.get('transport') === 'polling' && sid !== null && this.connected.has(sid)
    )
  }

  private settle(sid: string) {
    const address = this.pendingAddress.get(sid)
    if (address === undefined) return
    this.pendingAddress.delete(sid)
    this.release(address)
  }
}
