import { expect, test } from 'bun:test'
import { addressOf, forwardedFor, recordAddress } from '../src/auth/client-address'

test('the socket address is looked up only when asked for, and once', () => {
  let lookups = 0
  const lookup = () => {
    lookups++
    return '10.0.0.7'
  }
  const request = new Request('http://localhost/')
  recordAddress(request, lookup, 0)
  expect(lookups).toBe(0) // a request that never needs it never pays the system call
  expect(addressOf(request)).toBe('10.0.0.7')
  expect(addressOf(request)).toBe('10.0.0.7')
  expect(lookups).toBe(1)
})

test('with TRUST_PROXY the entry our proxy added wins, without a lookup; otherwise it is ignored', () => {
  // The client sent "203.0.113.9"; our one proxy appended the address it saw, 198.51.100.4.
  const forwarded = () =>
    new Request('http://localhost/', { headers: { 'x-forwarded-for': ' 203.0.113.9 , 198.51.100.4' } })
  const trusted = forwarded()
  recordAddress(
    trusted,
    () => {
      throw new Error('no lookup expected')
    },
    1,
  )
  expect(addressOf(trusted)).toBe('198.51.100.4')
  const untrusted = forwarded()
  recordAddress(untrusted, () => '10.0.0.7', 0)
  expect(addressOf(untrusted)).toBe('10.0.0.7')
})

test('an address that cannot be read (the client left) is "unknown", as is a request nobody recorded', () => {
  const gone = new Request('http://localhost/')
  recordAddress(gone, () => undefined, 0)
  expect(addressOf(gone)).toBe('unknown')
  expect(addressOf(new Request('http://localhost/'))).toBe('unknown')
})

test('the client address is TRUST_PROXY_HOPS entries from the end, whatever the client prepends', () => {
  // CDN → nginx → Parley: the CDN appends the client's address, nginx the CDN's.
  const header = 'spoofed-1, spoofed-2, 203.0.113.9, 198.51.100.20'
  expect(forwardedFor(header, 1)).toBe('198.51.100.20')
  expect(forwardedFor(header, 2)).toBe('203.0.113.9')
  expect(forwardedFor('203.0.113.9', 2)).toBe('203.0.113.9') // reached the outer proxy directly
  expect(forwardedFor(null, 1)).toBeUndefined()
  expect(forwardedFor(`${'x'.repeat(10_000)}`, 1)?.length).toBe(64)
})
