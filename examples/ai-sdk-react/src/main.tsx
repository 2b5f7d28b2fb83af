import { useChat } from '@ai-sdk/react'
import { DefaultChatTransport, type UIMessage } from 'ai'
import { useState } from 'react'
import { createRoot } from 'react-dom/client'

// Where Parley is and which chat to open: ?parley=http://127.0.0.1:8000&chat=<id>.
const params = new URLSearchParams(location.search)
const parley = params.get('parley') ?? 'http://127.0.0.1:8000'
const chatId = params.get('chat') ?? crypto.randomUUID()
const api = `${parley}/api/chat`

/** The chat's stored history: what the page shows on load (a reply still generating resumes). */
const history = async (): Promise<UIMessage[]> => (await fetch(`${api}/${chatId}/messages`)).json()

const text = (m: UIMessage) =>
  m.parts
    .filter((p) => p.type === 'text')
    .map((p) => p.text)
    .join('')

function Chat({ initial }: { initial: UIMessage[] }) {
  const { messages, sendMessage, status, stop, setMessages } = useChat({
    id: chatId,
    messages: initial,
    resume: true,
    transport: new DefaultChatTransport({ api }),
    // Parley's copy carries each message's versions (metadata.siblings): read it after each reply.
    onFinish: async () => setMessages(await history()),
  })
  const [draft, setDraft] = useState('')
  const [editing, setEditing] = useState<string | null>(null)

  // useChat's stop() only disconnects: the reply stops on the server.
  const stopReply = async () => {
    await fetch(`${api}/${chatId}/stop`, { method: 'POST' })
    await stop()
  }
  // Another version of a message: the head moves there (a chat id that is a Parley conversation
  // id can use the REST routes), then the active branch is read again.
  const show = async (messageId: string) => {
    await fetch(`${parley}/conversations/${chatId}/head`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message_id: messageId }),
    })
    setMessages(await history())
  }
  const submit = () => {
    if (!draft) return
    sendMessage(editing ? { text: draft, messageId: editing } : { text: draft })
    setDraft('')
    setEditing(null)
  }
  return (
    <main>
      <ol>
        {messages.map((m) => {
          const meta = (m.metadata ?? {}) as { siblings?: string[] }
          const versions = meta.siblings ?? [m.id]
          const at = versions.indexOf(m.id)
          return (
            <li key={m.id} data-role={m.role}>
              {m.parts.map((p, i) =>
                p.type === 'dynamic-tool' ? (
                  // A tool step of the assistant's, live as it runs and after a reload.
                  <span key={p.toolCallId ?? i} className="tool" data-state={p.state}>
                    {`${p.toolName}: ${p.state === 'output-available' ? JSON.stringify(p.output) : p.state}`}
                  </span>
                ) : null,
              )}
              <span className="text">{text(m)}</span>
              {versions.length > 1 && (
                <span className="versions">
                  <button
                    type="button"
                    className="previous"
                    disabled={at <= 0}
                    onClick={() => show(versions[at - 1] as string)}
                  >
                    ‹
                  </button>
                  <span className="version">{`${at + 1} / ${versions.length}`}</span>
                  <button
                    type="button"
                    className="next"
                    disabled={at < 0 || at >= versions.length - 1}
                    onClick={() => show(versions[at + 1] as string)}
                  >
                    ›
                  </button>
                </span>
              )}
              {m.role === 'user' && (
                <button
                  type="button"
                  className="edit"
                  onClick={() => {
                    setEditing(m.id)
                    setDraft(text(m))
                  }}
                >
                  edit
                </button>
              )}
            </li>
          )
        })}
      </ol>
      <p id="status">{status}</p>
      <input id="draft" value={draft} onChange={(e) => setDraft(e.target.value)} />
      <button type="button" id="send" onClick={submit}>
        send
      </button>
      <button type="button" id="stop" onClick={stopReply}>
        stop
      </button>
    </main>
  )
}

createRoot(document.getElementById('root') as HTMLElement).render(<Chat initial={await history()} />)
