import { AppError } from '../errors'

/** Seconds a refused client is asked to wait (`Retry-After`, `retry_after` on sockets). */
const BOT_BUSY_RETRY_S = 5

/** A reply's place in the queue, taken before its message is stored. */
export type Place = {
  /** Queues the reply in this place (once). */
  run(conversationId: string, job: () => Promise<void>): void
  /** Gives the place back when no reply comes of it (the message was not stored, or was a retry). */
  release(): void
}

/**
 * The replies of the server, queued or running: one conversation's in order (each starts when
 * the one before it has finished), and at most `max` in all. A place is taken before the
 * message that asks for a reply is stored, so a full queue refuses the message (503
 * `bot_busy`, nothing stored) instead of holding an answer nobody will wait for: without a
 * bound, messages sent faster than the bot answers grow the queue, the memory and the wait
 * without end.
 */
export class ReplyQueue {
  private readonly tails = new Map<string, Promise<void>>()
  private readonly all = new Set<Promise<void>>()
  private reserved = 0

  constructor(private readonly max: number) {}

  /** Replies queued or running, and places taken for messages being stored. */
  get size(): number {
    return this.all.size + this.reserved
  }

  /** A place for one reply; throws `bot_busy` when every place is taken. */
  reserve(): Place {
    if (this.size >= this.max)
      throw new AppError('bot_busy', 'The bot has too many replies waiting; please try again shortly', {
        'retry-after': String(BOT_BUSY_RETRY_S),
      })
    this.reserved++
    let held = true
    const give = () => {
      if (!held) return false
      held = false
      this.reserved--
      return true
    }
    return {
      run: (conversationId, job) => {
        if (!give()) throw new Error('a reply place is used once')
        this.add(conversationId, job)
      },
      release: () => void give(),
    }
  }

  private add(conversationId: string, job: () => Promise<void>) {
    const previous = this.tails.get(conversationId) ?? Promise.resolve()
    const next = previous.then(job)
    this.tails.set(conversationId, next)
    this.all.add(next)
    next.finally(() => {
      this.all.delete(next)
      if (this.tails.get(conversationId) === next) this.tails.delete(conversationId)
    })
  }

  /** Resolves when every queued and running reply has finished. */
  async idle(): Promise<void> {
    while (this.all.size > 0) await Promise.allSettled([...this.all])
  }
}
