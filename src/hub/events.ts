import type { ChatEvent } from '../storage/store'

/** Server → client event names, the same on every transport. */
export type ServerEventName =
  | 'joined'
  | 'new_message'
  | 'message_updated'
  | 'message_deleted'
  | 'conversation_updated'
  | 'conversation_deleted'
  | 'typing'
  | 'message_delta'
  | 'part_delta'
  | 'tool_call_start'
  | 'tool_input_delta'
  | 'tool_call_input'
  | 'tool_call_result'
  | 'tool_call_approval'
  | 'head_changed'
  | 'reply_in_progress'
  | 'resync_required'
  | 'error'
  | 'pong'

/** What a user answers to a reply's paused tool call: a client tool's result, or an approval. */
export type ToolAnswer = { conversationId: string; toolCallId: string } & (
  | { kind: 'result'; output?: unknown; error?: string | undefined }
  | { kind: 'approval'; approved: boolean; reason?: string | undefined }
)

/** A named event for one conversation's room, as every transport sends it. */
export type RoomEvent = {
  conversationId: string
  name: ServerEventName
  data: Record<string, unknown>
  /** Present on events that reflect a stored change: the conversation's event sequence. */
  seq?: number
  /** A connection that must not receive it (typing is not echoed to its sender). */
  except?: string
}

/** The wire form of a stored change; used for live delivery and for replay alike. */
export function toRoomEvent(event: ChatEvent): RoomEvent {
  const { conversationId, seq } = event
  const base = { conversationId, seq }
  switch (event.type) {
    case 'new_message': {
      const actions = widgetActions(event.message.metadata.actions)
      const data = { ...event.message, ...base, headId: event.headId, ...(actions && { actions }) }
      return { conversationId, seq, name: 'new_message', data }
    }
    case 'message_updated':
      return {
        conversationId,
        seq,
        name: 'message_updated',
        data: { ...base, messageId: event.message.id, message: event.message },
      }
    case 'message_deleted':
      return {
        conversationId,
        seq,
        name: 'message_deleted',
        data: {
          ...base,
          messageId: event.messageId,
          parentId: event.parentId,
          deletedIds: event.deletedIds,
          headId: event.headId,
        },
      }
    case 'head_changed':
      return {
        conversationId,
        seq,
        name: 'head_changed',
        data: { ...base, headId: event.headId, messageCount: event.messageCount },
      }
    case 'conversation_updated':
      return { conversationId, seq, name: 'conversation_updated', data: { ...base, conversation: event.conversation } }
    case 'conversation_deleted':
      return { conversationId, seq, name: 'conversation_deleted', data: base }
  }
}

/**
 * The quick replies in the original widget's shape: an object of button labels
 * (`{"action1": "Pricing", "action2": "Support"}`), which it renders with `Object.values`.
 * The full actions (`{type, label, value}`) stay in the message's `metadata.actions`.
 */
export function widgetActions(actions: unknown): Record<string, string> | undefined {
  if (!Array.isArray(actions)) return undefined
  const labels = actions.map((a) => a?.label).filter((label) => typeof label === 'string')
  return labels.length ? Object.fromEntries(labels.map((label, i) => [`action${i + 1}`, label])) : undefined
}
