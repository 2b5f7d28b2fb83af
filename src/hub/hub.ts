import type { Logger } from '../log'
import type { ChatEvent } from '../storage/store'
import type { Bus, BusMessage } from './bus/bus'
import { type RoomEvent, type ToolAnswer, toRoomEvent } from './events'
import { type GapReader, Sequencer } from './sequencer'

/** A realtime transport: receives every room event and delivers it to its own connections. */
export interface Transport {
  deliver(event: RoomEvent): void
}

export type HubOptions = {
  /** Carries events to and from other instances; absent when this instance is alone. */
  bus?: Bus | undefined
  /** Reads the event log, to fill gaps and resolve events sent by reference. */
  readEvents: GapReader
  log: Logger
}

/**
 * Fans conversation events out to the attached transports. It never sees a socket: each
 * transport keeps its own connections and rooms (one room per conversation). With a Bus,
 * events also go to and come from other instances; stored events are delivered in seq order,
 * exactly once, whichever instance wrote them.
 */
export class Hub {
  readonly instanceId = Bun.randomUUIDv7()
  private readonly transports = new Set<Transport>()
  private readonly sequencer: Sequencer
  private onStop: ((conversationId: string) => void) | undefined = undefined
  private onAnswer: ((answer: ToolAnswer) => void) | undefined = undefined

  constructor(private readonly options: HubOptions) {
    this.sequencer = new Sequencer(options.readEvents, (event) => {
      for (const transport of this.transports) transport.deliver(event)
    })
  }

  /**
   * Subscribes to the bus (when there is one); call once at start. After each bus outage the
   * tracked conversations read what they missed from the event log.
   */
  async start(): Promise<void> {
    await this.options.bus?.start({
      onMessage: (message) => this.receive(message),
      onResume: () => this.sequencer.catchUp(),
    })
  }

  /** The bus's name while it is down (events to and from other instances are missed), else null. */
  busDown(): string | null {
    const bus = this.options.bus
    return bus && !bus.up ? bus.name : null
  }

  attach(transport: Transport): () => void {
    this.transports.add(transport)
    return () => this.transports.delete(transport)
  }

  /**
   * Orders this conversation's stored events for a local member joining at `seq` (the log's last
   * seq when it looked); answers the seq live delivery here continues after (see Sequencer.track).
   */
  track(conversationId: string, seq: number): number {
    return this.sequencer.track(conversationId, seq)
  }

  /** A stored change (it carries its seq). */
  publish(event: ChatEvent): void {
    this.send(toRoomEvent(event))
  }

  /** Something that is not stored: typing, streamed deltas, a failed reply. */
  publishEphemeral(event: RoomEvent): void {
    this.send(event)
  }

  /** Asks every other instance to stop the conversation's reply (if it runs there). */
  requestStop(conversationId: string): void {
    this.options.bus?.publish({ origin: this.instanceId, stop: conversationId })
  }

  /** Sends a tool call's answer to every other instance (the one running the reply takes it). */
  requestAnswer(answer: ToolAnswer): void {
    this.options.bus?.publish({ origin: this.instanceId, answer })
  }

  /** What to do with a tool call's answer from another instance. */
  handleAnswers(handler: (answer: ToolAnswer) => void): void {
    this.onAnswer = handler
  }

  /** What to do when another instance asks to stop a conversation's reply. */
  handleStops(handler: (conversationId: string) => void): void {
    this.onStop = handler
  }

  async close(): Promise<void> {
    await this.options.bus?.close()
  }

  private send(event: RoomEvent) {
    this.sequencer.handle(event)
    this.options.bus?.publish({ origin: this.instanceId, event })
  }

  private receive(message: BusMessage) {
    if (message.origin === this.instanceId) return // delivered locally already
    if (message.event) return this.sequencer.handle(message.event)
    if ('stop' in message) return this.onStop?.(message.stop)
    if ('answer' in message) return this.onAnswer?.(message.answer)
    const { conversationId, seq } = message.ref
    this.options
      .readEvents(conversationId, seq - 1, 1)
      .then((events) => {
        const event = events?.[0]
        if (event?.seq === seq) this.sequencer.handle(toRoomEvent(event))
      })
      .catch((err: unknown) =>
        this.options.log.error('bus event could not be read back', { conversation_id: conversationId, seq, err }),
      )
  }
}
