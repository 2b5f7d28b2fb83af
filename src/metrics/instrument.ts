import { type Bot, BotError, type BotEvent } from '../bots/bot'
import type { Store } from '../storage/store'
import type { Metrics, ReplyOutcome } from './metrics'

const seconds = (since: number) => (performance.now() - since) / 1000

/**
 * The Store, timing every operation (`parley_db_query_duration_seconds`) and counting the
 * messages it stores. A decorator, so the Drizzle store stays free of metrics.
 */
export function instrumentStore(store: Store, metrics: Metrics): Store {
  const time =
    <A extends unknown[], R>(operation: keyof Store, run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const start = performance.now()
      try {
        return await run(...args)
      } finally {
        metrics.dbQueryDuration.observe({ operation }, seconds(start))
      }
    }
  const createMessage = time('createMessage', store.createMessage.bind(store))
  return {
    createConversation: time('createConversation', store.createConversation.bind(store)),
    findChat: time('findChat', store.findChat.bind(store)),
    getConversation: time('getConversation', store.getConversation.bind(store)),
    getConversationBrief: time('getConversationBrief', store.getConversationBrief.bind(store)),
    listConversations: time('listConversations', store.listConversations.bind(store)),
    updateConversation: time('updateConversation', store.updateConversation.bind(store)),
    deleteConversation: time('deleteConversation', store.deleteConversation.bind(store)),
    async createMessage(input) {
      const result = await createMessage(input)
      if (result && !result.duplicate) metrics.messagesStored.inc({ sender: input.sender })
      return result
    },
    getMessage: time('getMessage', store.getMessage.bind(store)),
    getMessageByClientId: time('getMessageByClientId', store.getMessageByClientId.bind(store)),
    listMessages: time('listMessages', store.listMessages.bind(store)),
    pageMessages: time('pageMessages', store.pageMessages.bind(store)),
    updateMessage: time('updateMessage', store.updateMessage.bind(store)),
    deleteMessage: time('deleteMessage', store.deleteMessage.bind(store)),
    lastSeq: time('lastSeq', store.lastSeq.bind(store)),
    messageSeq: time('messageSeq', store.messageSeq.bind(store)),
    eventsAfter: time('eventsAfter', store.eventsAfter.bind(store)),
    setHead: time('setHead', store.setHead.bind(store)),
    tree: time('tree', store.tree.bind(store)),
    ancestors: time('ancestors', store.ancestors.bind(store)),
    acquireLease: time('acquireLease', store.acquireLease.bind(store)),
    releaseLease: time('releaseLease', store.releaseLease.bind(store)),
    putFile: time('putFile', store.putFile.bind(store)),
    getFile: time('getFile', store.getFile.bind(store)),
    deleteFile: time('deleteFile', store.deleteFile.bind(store)),
    listAssistants: time('listAssistants', store.listAssistants.bind(store)),
    getAssistant: time('getAssistant', store.getAssistant.bind(store)),
    createAssistant: time('createAssistant', store.createAssistant.bind(store)),
    updateAssistant: time('updateAssistant', store.updateAssistant.bind(store)),
    deleteAssistant: time('deleteAssistant', store.deleteAssistant.bind(store)),
    usage: time('usage', store.usage.bind(store)),
    getQuota: time('getQuota', store.getQuota.bind(store)),
    anyQuotas: time('anyQuotas', store.anyQuotas.bind(store)),
    setQuota: time('setQuota', store.setQuota.bind(store)),
    ping: time('ping', store.ping.bind(store)),
    close: () => store.close(),
  }
}

/**
 * The Bot, counting its replies by outcome with their duration. A reply whose consumer stops
 * reading (the user pressed stop, shutdown) or whose signal aborted is `stopped`; one that ends
 * with no text is `failed`, as the reply runner treats it.
 */
export function instrumentBot(bot: Bot, metrics: Metrics): Bot {
  return {
    name: bot.name,
    async *reply(input, signal): AsyncIterable<BotEvent> {
      const start = performance.now()
      // The configured model (a bounded set), not the one the provider reports.
      const who = { provider: bot.name, assistant: input.assistant.id, model: input.assistant.model }
      let outcome: ReplyOutcome = 'stopped'
      let text = false
      try {
        for await (const event of bot.reply(input, signal)) {
          if (event.type === 'delta' && event.text) text = true
          if (event.type === 'usage') {
            metrics.botTokens.inc({ ...who, direction: 'input' }, event.inputTokens)
            metrics.botTokens.inc({ ...who, direction: 'output' }, event.outputTokens)
          }
          yield event
        }
        outcome = signal.aborted ? 'stopped' : text ? 'completed' : 'failed'
      } catch (error) {
        if (signal.aborted) outcome = 'stopped'
        else outcome = error instanceof BotError && error.code === 'bot_timeout' ? 'timeout' : 'failed'
        throw error
      } finally {
        // The reply runner aborts a timed-out reply with the BotError as the reason.
        const reason: unknown = signal.reason
        if (outcome === 'stopped' && reason instanceof BotError && reason.code === 'bot_timeout') outcome = 'timeout'
        metrics.botReplies.inc({ ...who, outcome })
        metrics.botReplyDuration.observe({ provider: bot.name, outcome }, seconds(start))
      }
    },
  }
}
