import { type Actor, isUser } from '../../auth/actor'
import { checkText } from '../../chat/checks'
import { AppError, invalid } from '../../errors'
import type { Store, StoredFile } from '../../storage/store'
import { checkFile, essenceOf, type FileRules, filenameOf } from './content'
import type { FileUploaded } from './model'
import { Form, type FormPart } from './multipart'

const utf8 = new TextDecoder('utf-8', { fatal: true })

// Ids are UUIDs: anything else cannot exist, so it is "not found" without a query.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

const fileNotFound = (): never => {
  throw new AppError('not_found', 'File not found')
}

/**
 * Stored files as an actor may use them: a user uploads their own files and reads only those
 * (anyone else's answers exactly like an unknown id); a caller acting for every user names the
 * owner of an upload and reads any file.
 */
export function fileService({ store, rules }: { store: Store; rules: FileRules }) {
  return {
    async upload(actor: Actor, body: unknown): Promise<FileUploaded> {
      const form = body instanceof Form ? body : new Form([])
      const userId = ownerOf(actor, form.all('user_id'))
      const [file, ...more] = form.all('file')
      if (file === undefined) throw invalid(['body', 'file'], 'Field required', 'missing')
      if (more.length) throw invalid(['body', 'file'], 'One file per request', 'value_error')
      // A text field has neither a filename nor a Content-Type.
      if (file.filename === null && file.type === null) {
        throw invalid(['body', 'file'], 'Expected a file part (with a filename or a Content-Type)', 'file_part')
      }
      if (file.data.byteLength === 0) throw invalid(['body', 'file'], 'The file is empty', 'file_empty')
      const filename = filenameOf(file.filename, ['body', 'file'])
      // RFC 7578: a file part without a Content-Type is application/octet-stream.
      const mediaType = essenceOf(file.type ?? 'application/octet-stream')
      checkFile(mediaType, file.data, rules)
      const stored = await store.putFile({ userId, mediaType, filename, data: file.data })
      return { id: stored.id, url: `/files/${stored.id}`, media_type: mediaType, size: stored.size, filename }
    },

    /** Deletes a file the actor may read (anyone else's answers like an unknown id). */
    async remove(actor: Actor, id: string): Promise<void> {
      await this.read(actor, id)
      if (!(await store.deleteFile(id))) fileNotFound()
    },

    async read(actor: Actor, id: string): Promise<{ file: StoredFile; data: Uint8Array }> {
      const found = UUID.test(id) ? await store.getFile(id) : null
      if (!found || (isUser(actor) && found.file.user_id !== actor.userId)) return fileNotFound()
      return found
    },
  }
}

/** The upload's owner: a user's own id; for a caller acting for every user, the form's user_id. */
function ownerOf(actor: Actor, fields: FormPart[]): string {
  const at = ['body', 'user_id']
  if (fields.length > 1) throw invalid(at, 'One user_id per request', 'value_error')
  const field = fields[0]
  let given: string | null = null
  if (field) {
    try {
      given = utf8.decode(field.data)
    } catch {
      throw invalid(at, 'String must be valid UTF-8', 'string_unicode')
    }
  }
  if (isUser(actor)) {
    if (given !== null && given !== actor.userId)
      throw new AppError('forbidden', 'user_id must be the authenticated user')
    return actor.userId
  }
  if (!given) throw invalid(at, 'Field required', 'missing')
  if ([...given].length > 256) throw invalid(at, 'String should have at most 256 characters', 'string_too_long')
  checkText(given, at)
  return given
}
