/**
 * The Authorization header in the Bearer scheme (issue 14, point 14a): the scheme is a
 * case-insensitive token (RFC 9110 §11.1), so "bearer" and "BEARER" are Bearer; the guard and the
 * live stream both read the header with bearerTokenOf.
 */
import { bearerTokenOf } from '../../../src/auth/auth.guard';

describe('bearerTokenOf', () => {
  it.each([
    ['Bearer tok-0123456789abcdef', 'tok-0123456789abcdef'],
    ['bearer tok-0123456789abcdef', 'tok-0123456789abcdef'],
    ['BEARER tok-0123456789abcdef', 'tok-0123456789abcdef'],
    ['Bearer   tok-0123456789abcdef  ', 'tok-0123456789abcdef'],
    ['Bearer\ttok-0123456789abcdef', 'tok-0123456789abcdef'],
  ])('reads %j as its token', (header, token) => {
    expect(bearerTokenOf(header)).toBe(token);
  });

  it.each([undefined, ['Bearer a', 'Bearer b'], 'Basic dGVzdDp0ZXN0', 'Bearertok-0123456789abcdef', 'tok', 'Bearer'])(
    'finds no Bearer token in %j',
    (header) => {
      expect(bearerTokenOf(header)).toBeNull();
    },
  );
});
