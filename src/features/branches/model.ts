import { t } from 'elysia'
import { Integer, Message, OPEN } from '../messages/model'

export const HeadChange = t.Object(
  {
    message_id: t.String({
      description: 'A message: the head moves to the newest leaf below it (itself when it has none)',
    }),
  },
  OPEN,
)

export const Head = t.Object({
  head_id: t.String({ description: 'The new head: the last message of the active branch' }),
})

export const TreeQuery = t.Object(
  {
    after: t.Optional(t.String({ description: 'Message id: continue after it (next_cursor)' })),
    limit: t.Optional(Integer({ minimum: 1, maximum: 1000, description: 'Messages per page, 1-1000, default 500' })),
  },
  OPEN,
)

export const Tree = t.Object({
  head_id: t.Union([t.String(), t.Null()], { description: 'The last message of the active branch' }),
  messages: t.Array(Message, {
    description: 'Every message (each with its parent_id), in the order stored: parents before children',
  }),
  has_more: t.Boolean(),
  next_cursor: t.Union([t.String(), t.Null()], { description: 'Pass as `after` for the next page' }),
})
