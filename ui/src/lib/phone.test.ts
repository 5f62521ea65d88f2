import { describe, expect, it } from 'vitest';
import { checkPhone } from './phone';

describe('checkPhone', () => {
  it.each([
    ['+1 (555) 010-0000', '+15550100000'],
    ['+44 20 7946 0958', '+442079460958'],
    ['0044 20 7946 0958', '+442079460958'],
    ['  +7.912.345.67.89 ', '+79123456789'],
  ])('accepts %s as %s', (input, e164) => {
    expect(checkPhone(input)).toEqual({ ok: true, e164 });
  });

  it.each([
    ['', 'Enter a phone number.'],
    ['5550100000', 'Start with + and the country code.'],
    ['+1 555 abc', 'Use digits only, with an optional leading +.'],
    ['+1+5550100000', 'Only one + at the start.'],
    ['+12345', 'A phone number has 7 to 15 digits.'],
    ['+1234567890123456', 'A phone number has 7 to 15 digits.'],
    ['+0123456789', 'Country codes do not start with 0.'],
  ])('rejects %j', (input, reason) => {
    expect(checkPhone(input)).toEqual({ ok: false, reason });
  });
});
