import { parseQuantity, RULES } from '../lib/_pod/rules';

describe('parseQuantity', () => {
  test.each([
    ['972m', '0.972', '972000000n'],
    ['700m', '0.7', '700000u'],
    ['2570m', '2.57', '2570000000n'],
    ['1100m', '1.1', '1.1e0'],
    ['1Gi', '1024Mi', '1048576Ki'],
    ['1536Mi', '1.5Gi', '1572864Ki'],
    ['1k', '1000', '1e3'],
  ])('gives one number for one amount written differently: %s, %s, %s', (a, b, c) => {
    // GIVEN one amount in three notations
    // WHEN parsed
    const values = [parseQuantity(a), parseQuantity(b), parseQuantity(c)];
    // THEN they are equal (no rounding difference between notations)
    expect(values[1]).toBe(values[0]);
    expect(values[2]).toBe(values[0]);
  });

  test('orders amounts that differ in the last millicore', () => {
    expect(parseQuantity('701m')! > parseQuantity('0.7')!).toBe(true);
    expect(parseQuantity('699999999n')! < parseQuantity('0.7')!).toBe(true);
  });

  test('reads decimal exponents, signs and bare fractions', () => {
    expect(parseQuantity('1e3')).toBe(1000);
    expect(parseQuantity('1E-3')).toBe(0.001);
    expect(parseQuantity('+.5')).toBe(0.5);
    expect(parseQuantity('2.')).toBe(2);
    expect(parseQuantity('0.5Ki')).toBe(512);
    expect(parseQuantity('1E')).toBe(1e18);
  });

  test('rejects what is not a quantity', () => {
    for (const q of ['', 'abc', '1.2.3', '10 Mi', '1mi', '1KB', 'Mi']) expect(parseQuantity(q)).toBeUndefined();
    expect(RULES.quantity.test('-1')).toBe(false);
  });
});

describe('RULES.sizeLimit', () => {
  test.each(['1Mi', '64Mi', '1Gi', '1024Gi', '1048576Mi'])('accepts %s', (v) => {
    expect(RULES.sizeLimit.test(v)).toBe(true);
  });
  test.each(['0Mi', '1.5Gi', '10Ki', '1025Gi', '1048577Mi', '1000000000000000000000Mi', '64', 64])('rejects %s', (v) => {
    expect(RULES.sizeLimit.test(v)).toBe(false);
  });
});
