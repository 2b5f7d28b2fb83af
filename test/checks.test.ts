import { expect, test } from 'bun:test'
import { checkMetadata } from '../src/chat/checks'
import { AppError } from '../src/errors'

const limits = { maxMessageLength: 100, maxMetadataBytes: 16_384, maxMetadataDepth: 8 }

test('metadata nested 50,000 deep is refused as too deep, not a stack overflow', () => {
  let deep: unknown = 1
  for (let i = 0; i < 50_000; i++) deep = { a: deep }
  let thrown: unknown
  try {
    checkMetadata(deep, ['body', 'metadata'], limits)
  } catch (error) {
    thrown = error
  }
  expect(thrown).toBeInstanceOf(AppError)
  expect((thrown as AppError).detail).toMatchObject([{ type: 'metadata_too_deep' }])
})
