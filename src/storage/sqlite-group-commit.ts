import type { Database } from 'bun:sqlite'
import { Rollback } from './driver'

type Pending = { work: () => unknown; resolve: (value: any) => void; reject: (error: unknown) => void }

/** At most this many writes share a transaction; the rest wait for the next one. */
const MAX_BATCH = 256

/**
 * Group commit for the one SQLite connection. Writes that arrive within one turn of the event
 * loop (the requests read from the sockets in one poll) run one after another in one
 * `BEGIN IMMEDIATE … COMMIT`, each in its own savepoint: a write that fails or rolls back is
 * undone alone and fails only its own caller. Every caller is answered only after the COMMIT,
 * so what is acknowledged is as durable as before (WAL; NORMAL survives a killed process, FULL
 * also a power loss). What it saves: a transaction's fixed cost (locks, the WAL frame header
 * and checksums, one write of every page it dirtied) is paid once per batch, and consecutive
 * messages dirty the same pages. A write alone in its turn runs without a savepoint.
 *
 * When SQLite abandons the whole transaction (an I/O error, a full disk), the write that
 * caused it fails; the others in the batch, undone with it and not yet answered, run again in
 * the next one. A failed BEGIN or COMMIT fails the whole batch: none of it was stored.
 *
 * Bodies run in the order they were queued, but a statement run outside a body (a direct
 * Drizzle query) runs at once, ahead of them: a write whose order matters to a caller that does
 * not await the one before it (a lease renewed by a timer, then released) must be a body too.
 */
export class GroupCommit {
  private queue: Pending[] = []
  private readonly sql: Record<'begin' | 'commit' | 'rollback' | 'savepoint' | 'release' | 'undo', () => void>

  constructor(private readonly client: Database) {
    const statement = (text: string) => {
      const s = client.prepare(text)
      return () => void s.run()
    }
    this.sql = {
      begin: statement('BEGIN IMMEDIATE'),
      commit: statement('COMMIT'),
      rollback: statement('ROLLBACK'),
      savepoint: statement('SAVEPOINT w'),
      release: statement('RELEASE w'),
      undo: statement('ROLLBACK TO w'),
    }
  }

  /** Runs `work` (synchronous queries only) in the next batch; resolves after its COMMIT. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.queue.push({ work, resolve, reject }) === 1) setImmediate(this.flush)
    })
  }

  /** Runs what is queued now (before the connection closes). */
  drain(): void {
    while (this.queue.length > 0) this.flush()
  }

  private readonly flush = () => {
    const batch = this.queue.splice(0, MAX_BATCH)
    if (this.queue.length > 0) setImmediate(this.flush)
    if (batch.length === 0) return
    let done: Outcome[] | null
    try {
      this.sql.begin()
      done = batch.length === 1 ? this.alone(batch[0] as Pending) : this.together(batch)
      if (done) this.sql.commit()
    } catch (error) {
      // BEGIN, COMMIT or a savepoint statement itself failed: nothing of the batch is stored.
      if (this.client.inTransaction) this.rollbackQuietly()
      for (const p of batch) p.reject(error)
      return
    }
    if (done) for (let i = 0; i < batch.length; i++) settle(batch[i] as Pending, done[i] as Outcome)
  }

  private rollbackQuietly() {
    try {
      this.sql.rollback()
    } catch {
      // Already ended by SQLite; nothing is left to undo.
    }
  }

  /** One write: the transaction is its own (a rollback or an error ends it); null when it ended. */
  private alone(p: Pending): Outcome[] | null {
    let value: unknown
    try {
      value = p.work()
    } catch (error) {
      if (this.client.inTransaction) this.rollbackQuietly()
      settle(p, outcomeOf(error))
      return null
    }
    return [{ ok: true, value }]
  }

  /**
   * Several writes, a savepoint each; null when SQLite abandoned the transaction. Nothing is
   * settled here except in that case: a savepoint statement that fails throws to flush, which
   * fails the whole batch.
   */
  private together(batch: Pending[]): Outcome[] | null {
    const out: Outcome[] = []
    for (let i = 0; i < batch.length; i++) {
      const p = batch[i] as Pending
      this.sql.savepoint()
      let outcome: Outcome
      try {
        outcome = { ok: true, value: p.work() }
      } catch (error) {
        if (!this.client.inTransaction) {
          // Everything before it is undone too: it fails, the others go first in the next batch.
          settle(p, outcomeOf(error))
          this.queue.unshift(...batch.slice(0, i), ...batch.slice(i + 1))
          setImmediate(this.flush)
          return null
        }
        this.sql.undo()
        outcome = outcomeOf(error)
      }
      this.sql.release()
      out.push(outcome)
    }
    return out
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown }

const outcomeOf = (error: unknown): Outcome =>
  error instanceof Rollback ? { ok: true, value: error.value } : { ok: false, error }

const settle = (p: Pending, o: Outcome) => (o.ok ? p.resolve(o.value) : p.reject(o.error))
