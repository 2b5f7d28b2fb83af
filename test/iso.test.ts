import { expect, test } from 'bun:test'
import fc from 'fast-check'
import { iso } from '../src/storage/rows'

// The API's timestamps come from this formatter: it must write exactly what toISOString writes.
const same = (ms: number) => {
  let expected: string | Error
  try {
    expected = new Date(ms).toISOString()
  } catch (error) {
    expected = error as Error
  }
  if (expected instanceof Error) expect(() => iso(ms)).toThrow(RangeError)
  else expect(iso(ms)).toBe(expected)
}

test('iso writes what Date#toISOString writes, for every millisecond it is given', () => {
  // Anywhere in the fast range, 1970 to 9999.
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 253_402_300_799_999 }), (ms) => same(ms)),
    { numRuns: 20_000 },
  )
  // Every unit boundary (day, hour, minute, second) and one millisecond either side of it.
  const unit = fc.constantFrom(86_400_000, 3_600_000, 60_000, 1000)
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2_932_896 * 24 }), unit, fc.integer({ min: -1, max: 1 }), (n, u, d) =>
      same(Math.min(n * u, 253_402_300_799_999) + d),
    ),
    { numRuns: 20_000 },
  )
  // What falls back: before 1970, past 9999, fractions, and what toISOString refuses.
  fc.assert(fc.property(fc.integer({ min: -8_640_000_000_000_000, max: -1 }), (ms) => same(ms)))
  fc.assert(
    fc.property(fc.double({ noNaN: false }), (ms) => same(ms)),
    { numRuns: 5_000 },
  )
  for (const ms of [0, 253_402_300_799_999, 253_402_300_800_000, 8.64e15, 8.64e15 + 1, Number.NaN, 1.5, -0]) same(ms)
})
