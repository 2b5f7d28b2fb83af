import { t } from 'elysia'
import { Integer } from '../messages/model'

export const FileParams = t.Object({ id: t.String({ description: 'The file id (UUIDv7)' }) })

export const FileUploaded = t.Object({
  id: t.String({ description: 'UUIDv7' }),
  url: t.String({ description: 'Where the file is served (`/files/{id}`); a message file part names it' }),
  media_type: t.String({ description: 'Its media type, lowercase, without parameters' }),
  size: Integer({ description: 'Bytes' }),
  filename: t.Union([t.String(), t.Null()], { description: "The name of the upload's file part, if it had one" }),
})
export type FileUploaded = typeof FileUploaded.static

/** The multipart form of POST /files, for the document (the route reads the form itself). */
export const FileUpload = t.Object({
  file: t.String({
    format: 'binary',
    description: 'The file: its part’s Content-Type is its media type, its filename (if any) is kept',
  }),
  user_id: t.Optional(
    t.String({
      minLength: 1,
      maxLength: 256,
      description: 'Who owns it: required, except with a user token (then it is the token’s user)',
    }),
  ),
})

/** The bytes as stored, for the document. */
export const FileBytes = t.String({ format: 'binary', description: 'The stored bytes, with their media type' })

/** The headers of a served file, for the document. */
export const servedHeaders = {
  'Content-Disposition': {
    description: '`inline` for images, `attachment` otherwise; the name as `filename` and `filename*`',
    required: true,
    schema: { type: 'string' },
  },
  'Cache-Control': { description: 'A file never changes: `private`, kept a year', schema: { type: 'string' } },
}
