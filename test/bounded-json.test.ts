import { expect, test } from 'bun:test'
import { JsonTooDeep, jsonTooDeep, parseJson, valueTooDeep } from '../src/bounded-json'

test('depth is counted over arrays and objects, not inside strings', () => {
  expect(jsonTooDeep('[[1]]', 2)).toBe(false)
  expect(jsonTooDeep('[[[1]]]', 2)).toBe(true)
  expect(jsonTooDeep('{"a":{"b":{}}}', 2)).toBe(true)
  expect(jsonTooDeep('{"a":"[[[[[[\\"[[[["}', 1)).toBe(false)
  expect(jsonTooDeep('[1],[2],[3]', 1)).toBe(false)
})

test('50,000 levels are refused in milliseconds, before JSON.parse builds them', () => {
  const deep = `{"event":${'['.repeat(50_000)}${']'.repeat(50_000)}}`
  expect(() => parseJson(deep, 32)).toThrow(JsonTooDeep)
  expect(parseJson('{"a":[1,{"b":2}]}', 3)).toEqual({ a: [1, { b: 2 }] })
})

test('a parsed value deeper than the limit is found without walking all of it', () => {
  let deep: unknown = 1
  for (let i = 0; i < 100_000; i++) deep = [deep]
  expect(valueTooDeep(deep, 32)).toBe(true)
  expect(valueTooDeep({ a: [{ b: 1 }] }, 3)).toBe(false)
  expect(valueTooDeep({ a: [{ b: [] }] }, 3)).toBe(true)
  expect(valueTooDeep('x', 1)).toBe(false)
})
