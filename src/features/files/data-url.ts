import { invalid } from '../../errors'
import type { Part, Store } from '../../storage/store'
import { checkFile, checkFileSize, essenceOf, type FileRules, filenameOf } from './content'

type Loc = (string | number)[]

// data:[<type>][;name=value]*;base64,<data> — the form browsers' FileReader and the AI SDK write.
const DATA_URL = /^data:([^,;]*)((?:;[^,;=]+=[^,;]*)*);base64,/i
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

/** Whether a part's url is a base64 data: URL (its bytes are then checked by dataUrlFiles). */
export const isDataUrl = (url: string) => DATA_URL.test(url)

/** A file part's data: URL, decoded and checked, waiting to be stored. */
export type PendingFile = { index: number; mediaType: string; filename: string | null; bytes: Uint8Array }

/**
 * The data: URLs among a message's file parts, decoded and checked as POST /files checks an
 * upload (422 malformed, 413 past FILES_MAX_BYTES before decoding, 415 type), each at its
 * part's `url`. Nothing is stored yet: the caller stores them once it may write the message.
 */
export function dataUrlFiles(parts: readonly Part[] | undefined, rules: FileRules, loc: Loc): PendingFile[] {
  const pending: PendingFile[] = []
  parts?.forEach((part, index) => {
    if (part.type !== 'file' || !isDataUrl(part.url)) return
    const at = [...loc, index, 'url']
    const head = DATA_URL.exec(part.url)?.[0] ?? ''
    const data = part.url.slice(head.length)
    if (data.length % 4 !== 0 || !BASE64.test(data)) {
      throw invalid(at, 'A data URL must carry base64: data:<type>;base64,<data>', 'data_url')
    }
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0
    checkFileSize((data.length / 4) * 3 - padding, rules, at)
    const declared = essenceOf(part.mediaType)
    const given = essenceOf(head.slice('data:'.length))
    if (given && given !== declared) {
      throw invalid([...loc, index, 'mediaType'], `mediaType must be the data URL's type (${given})`, 'value_error')
    }
    const bytes = Buffer.from(data, 'base64')
    checkFile(declared, bytes, rules, at)
    pending.push({
      index,
      mediaType: declared,
      filename: filenameOf(part.filename, [...loc, index, 'filename']),
      bytes,
    })
  })
  return pending
}

/** Stores the pending files for `userId`; the parts, each data: URL replaced by its file's URL. */
export async function storeDataUrls(
  store: Pick<Store, 'putFile'>,
  parts: readonly Part[],
  pending: readonly PendingFile[],
  userId: string,
): Promise<Part[]> {
  const stored = [...parts]
  for (const { index, mediaType, filename, bytes } of pending) {
    const file = await store.putFile({ userId, mediaType, filename, data: bytes })
    stored[index] = { ...(parts[index] as Extract<Part, { type: 'file' }>), mediaType, url: `/files/${file.id}` }
  }
  return stored
}
