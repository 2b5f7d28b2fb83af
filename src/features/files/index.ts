import { Elysia, t } from 'elysia'
import type { Deps } from '../../deps'
import { AppError } from '../../errors'
import { readBody } from '../../request-body'
import { API_ERRORS } from '../docs/errors'
import { operations } from '../docs/operation'
import { dispositionOf, fileRulesOf } from './content'
import { FileBytes, FileParams, FileUpload, FileUploaded, servedHeaders } from './model'
import { boundaryOf, parseMultipart } from './multipart'
import { fileService } from './service'

const UPLOAD_ROUTE = '/files'
// Room for the form around the file: boundaries, part headers, a user_id field.
const FORM_SLACK = 64 * 1024

/**
 * The body of POST /files: multipart/form-data up to FILES_MAX_BYTES (plus the form around it),
 * read the way the envelope reads a JSON body — the caller admitted (401/429) before a byte is
 * read, the Content-Length checked first, a chunked body given up as soon as it passes the
 * limit, the whole within BODY_TIMEOUT_MS — and parsed (400 when it is not a well-formed form).
 *
 * Used before the envelope, so that its parser runs first: for that one route it returns the
 * form, and the envelope's JSON parser (MAX_BODY_BYTES, application/json only) is skipped; for
 * every other route it returns nothing and the envelope's parser runs as before.
 */
export const fileBodies = ({ config, requestAuth }: Pick<Deps, 'config' | 'requestAuth'>) => {
  const max = config.FILES_MAX_BYTES + FORM_SLACK
  const tooLarge = () =>
    new AppError('payload_too_large', `Files are limited to ${config.FILES_MAX_BYTES} bytes (FILES_MAX_BYTES)`)
  return new Elysia({ name: 'file-bodies' })
    .onParse({ as: 'global' }, async ({ request, route }) => {
      if (route !== UPLOAD_ROUTE || !request.body) return
      const admitted = requestAuth(request)
      if (admitted instanceof Promise) await admitted
      if (Number(request.headers.get('content-length') ?? 0) > max) throw tooLarge()
      const boundary = boundaryOf(request.headers.get('content-type') ?? '')
      if (boundary === null) {
        throw new AppError('unsupported_media_type', 'Content-Type must be multipart/form-data with a boundary')
      }
      const bytes = await readBody(request, request.body, max, config.BODY_TIMEOUT_MS).catch((error) => {
        throw error instanceof AppError && error.code === 'payload_too_large' ? tooLarge() : error
      })
      const form = parseMultipart(bytes, boundary)
      if (!form) throw new AppError('bad_request', 'The body is not a well-formed multipart/form-data form')
      return form
    })
    .as('global')
}

const detail = operations('files', API_ERRORS)

/** POST /files (upload) and GET /files/{id} (the bytes, to their owner). */
export const fileRoutes = ({ store, config, requestAuth }: Pick<Deps, 'store' | 'config' | 'requestAuth'>) => {
  const files = fileService({ store, rules: fileRulesOf(config) })
  return new Elysia({ name: 'files' })
    .derive(requestAuth.derive)
    .post(UPLOAD_ROUTE, async ({ actor, body, status }) => status(201, await files.upload(actor, body)), {
      detail: detail(
        `Store a file (multipart/form-data, field \`file\`): at most ${config.FILES_MAX_BYTES} bytes ` +
          '(FILES_MAX_BYTES), of a type FILES_TYPES allows; a message file part then names its url',
        { 201: FileUploaded },
        { form: { schema: FileUpload, encoding: { file: { contentType: config.fileTypes.join(', ') } } } },
      ),
    })
    .get(
      '/files/:id',
      async ({ actor, params }) => {
        const { file, data } = await files.read(actor, params.id)
        return new Response(data, {
          headers: {
            'content-type': file.media_type,
            'content-length': String(file.size),
            'x-content-type-options': 'nosniff',
            'content-disposition': dispositionOf(file.media_type, file.filename),
            // The bytes at an id never change; kept per user (the credentials are part of the key).
            'cache-control': 'private, max-age=31536000, immutable',
            vary: 'Authorization, X-API-Key',
          },
        })
      },
      {
        params: FileParams,
        detail: detail(
          "A stored file's bytes, to its owner (or a caller acting for every user); anyone else gets 404",
          { 200: FileBytes },
          { media: config.fileTypes, headers: servedHeaders },
        ),
      },
    )
    .delete(
      '/files/:id',
      async ({ actor, params, status }) => {
        await files.remove(actor, params.id)
        return status(204, undefined)
      },
      {
        params: FileParams,
        detail: detail(
          'Delete a stored file (its owner, or a caller acting for every user); parts naming it then get 404',
          { 204: t.Void({ description: 'Deleted' }) },
        ),
      },
    )
}
