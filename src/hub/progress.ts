import type { RoomEvent } from './events'
import type { Transport } from './hub'

type Progress = { messageId: string; content: string }

/**
 * Which conversations have a bot reply generating right now, on any instance, and its text so
 * far — read from the room events themselves (typing from "ai", message_delta, the stored
 * reply), so it holds for replies running on other instances too.
 */
export class ReplyProgress implements Transport {
  private readonly replies = new Map<string, Progress>()

  deliver(event: RoomEvent): void {
    const { conversationId, data } = event
    switch (event.name) {
      case 'typing':
        if (data.userId !== 'ai') return
        if (data.isTyping && typeof data.messageId === 'string')
          this.replies.set(conversationId, { messageId: data.messageId, content: '' })
        else if (!data.isTyping) this.replies.delete(conversationId)
        return
      case 'message_delta': {
        const current = this.replies.get(conversationId)
        if (current && current.messageId === data.messageId) current.content += String(data.delta)
        else this.replies.set(conversationId, { messageId: String(data.messageId), content: String(data.delta) })
        return
      }
      case 'new_message':
        if (this.replies.get(conversationId)?.messageId === data.id) this.replies.delete(conversationId)
        return
      case 'conversation_deleted':
        this.replies.delete(conversationId)
    }
  }

  get(conversationId: string): Progress | null {
    const current = this.replies.get(conversationId)
    return current ? { ...current } : null
  }
}
