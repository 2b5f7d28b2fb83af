import {
  ActionBarPrimitive,
  AssistantRuntimeProvider,
  BranchPickerPrimitive,
  ComposerPrimitive,
  MessagePrimitive,
  ThreadPrimitive,
} from '@assistant-ui/react'
import { useChatRuntime } from '@assistant-ui/react-ai-sdk'
import { DefaultChatTransport } from 'ai'
import { createRoot } from 'react-dom/client'

// Where Parley is and which chat to open: ?parley=http://127.0.0.1:8000&chat=<id>.
const params = new URLSearchParams(location.search)
const parley = params.get('parley') ?? 'http://127.0.0.1:8000'
const chatId = params.get('chat') ?? crypto.randomUUID()
const api = `${parley}/api/chat`

// Every branch of the chat, as assistant-ui's message repository: its branch picker works from it.
const repository = await (await fetch(`${api}/${chatId}/tree`)).json()

const Versions = () => (
  <BranchPickerPrimitive.Root hideWhenSingleBranch className="versions">
    <BranchPickerPrimitive.Previous className="previous">‹</BranchPickerPrimitive.Previous>
    <span className="version">
      <BranchPickerPrimitive.Number /> / <BranchPickerPrimitive.Count />
    </span>
    <BranchPickerPrimitive.Next className="next">›</BranchPickerPrimitive.Next>
  </BranchPickerPrimitive.Root>
)

// The test reads the answer's text; the model's reasoning stays out of it.
const NoReasoning = () => null

const UserMessage = () => (
  <MessagePrimitive.Root className="message" data-role="user">
    <span className="text">
      <MessagePrimitive.Parts />
    </span>
    <Versions />
  </MessagePrimitive.Root>
)

const AssistantMessage = () => (
  <MessagePrimitive.Root className="message" data-role="assistant">
    <span className="text">
      <MessagePrimitive.Parts components={{ Reasoning: NoReasoning }} />
    </span>
    <Versions />
    <ActionBarPrimitive.Root>
      <ActionBarPrimitive.Reload className="reload">again</ActionBarPrimitive.Reload>
    </ActionBarPrimitive.Root>
  </MessagePrimitive.Root>
)

// assistant-ui names its threads itself: the transport sends this page's chat id instead.
const transport = new DefaultChatTransport({
  api,
  prepareSendMessagesRequest: ({ messages, trigger, messageId, body }) => ({
    body: { ...body, id: chatId, messages, trigger, messageId },
  }),
  prepareReconnectToStreamRequest: () => ({ api: `${api}/${chatId}/stream` }),
})

function App() {
  const runtime = useChatRuntime({ id: chatId, transport, messageRepository: repository })
  return (
    <AssistantRuntimeProvider runtime={runtime}>
      <ThreadPrimitive.Root>
        <ThreadPrimitive.Viewport>
          <ThreadPrimitive.Messages components={{ UserMessage, AssistantMessage }} />
        </ThreadPrimitive.Viewport>
        <ComposerPrimitive.Root>
          <ComposerPrimitive.Input id="draft" />
          <ComposerPrimitive.Send id="send">send</ComposerPrimitive.Send>
        </ComposerPrimitive.Root>
      </ThreadPrimitive.Root>
    </AssistantRuntimeProvider>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(<App />)
