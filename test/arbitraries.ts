import fc from 'fast-check'

/**
 * Arbitrary JSON built from `strings` (the hostile texts a suite cares about), with object keys
 * drawn from those and from `keys` (the field names the target reads), nested a little.
 */
export function jsonValue(strings: fc.Arbitrary<string>, keys: string[], width = 5): fc.Arbitrary<unknown> {
  return fc.letrec((tie) => ({
    any: fc.oneof(
      { depthSize: 'small' },
      strings,
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.array(tie('any'), { maxLength: width }),
      fc.dictionary(fc.oneof(strings, fc.constantFrom(...keys)), tie('any'), { maxKeys: width }),
    ),
  })).any
}
