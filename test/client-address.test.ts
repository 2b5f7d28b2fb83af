import { expect, test } from 'bun:test'
import { addressOf, recordAddress } from '../src/auth/client-address'

test('the socket address is looked up only when asked for, and once', () => {
  let lookups = 0
  const lookup = () => {
    lookups++
    return '10.0.0.7'
  }
  const request = new Request('http://localhost/')
  recordAddress(request, lookup, false)
  expect(lookups).toBe(0) // a request that never needs it never pays the system call
  expect(addressOf(request)).toBe('10.0.0.7')
  expect(addressOf(request)).toBe('10.0.0.7')
  expect(lookups).toBe(1)
})

test('with TRUST_PROXY the first X-Forwarded-For entry wins, without a lookup; otherwise it is ignored', () => {
  const forwarded = () =>
    new Request('http://localhost/', { headers: { 'x-forwarded-for': ' 203.0.113.9 , 10.0.0.1' } })
  const trusted = forwarded()
  recordAddress(
    trusted,
    () => {
      throw new Error('no lookup expected')
    },
    true,
  )
  expect(addressOf(trusted)).toBe('203.0.113.9')
  const untrusted = forwarded()
  recordAddress(untrusted, () => '10.0.0.7', false)
  expect(addressOf(untrusted)).toBe('10.0.0.7')
})

test('an address that cannot be read (the client left) is "unknown", as is a request nobody recorded', () => {
  const gone = new Request('http://localhost/')
  recordAddress(gone, () => undefined, false)
  expect(addressOf(gone)).toBe('unknown')
  expect(addressOf(new Request('http://localhost/'))).toBe('unknown')
})
