import { describe, expect, it } from 'vitest';
import type { LoginStep } from '../bindings/LoginStep';
import { codeInput, describeDelivery, resendLabel, resendLater } from './delivery';

type CodeStep = Extract<LoginStep, { step: 'code' }>;
const step = (overrides: Partial<CodeStep>): CodeStep => ({
  step: 'code',
  code_type: 'app',
  next_type: null,
  timeout_secs: null,
  phone: '+9996621234',
  length: 5,
  detail: null,
  ...overrides,
});

describe('describeDelivery', () => {
  it('says where each kind of code arrives', () => {
    expect(describeDelivery(step({}))).toBe(
      "Telegram sent a 5-digit code as a message to this account's other sessions: open Telegram on another device where +9996621234 is signed in.",
    );
    expect(describeDelivery(step({ code_type: 'sms' }))).toBe('A 5-digit code was sent by SMS to +9996621234.');
    expect(describeDelivery(step({ code_type: 'missed_call', length: 4, detail: '+44 20' }))).toBe(
      "You will get a missed call at +9996621234; the code is the last 4 digits of the caller's number, which starts with +44 20.",
    );
    expect(describeDelivery(step({ code_type: 'missed_call', length: null }))).toContain('the last digits');
    expect(describeDelivery(step({ code_type: 'email', detail: 'a***@example.org', length: null }))).toBe(
      'A code was sent to your login email a***@example.org.',
    );
    expect(describeDelivery(step({ code_type: 'sms_word', detail: 'ap' }))).toContain('it starts with “ap”');
  });

  it('uses the hint hearth-client carries for every kind that has one', () => {
    expect(describeDelivery(step({ code_type: 'call' }))).toBe(
      'You will get a phone call at +9996621234 that reads the code out.',
    );
    expect(describeDelivery(step({ code_type: 'flash_call', length: null, detail: '+7 900 12*' }))).toBe(
      "A call to +9996621234 hangs up at once; the code is the caller's number (+7 900 12*).",
    );
    expect(describeDelivery(step({ code_type: 'flash_call', length: null }))).toBe(
      "A call to +9996621234 hangs up at once; the code is the caller's number.",
    );
    expect(describeDelivery(step({ code_type: 'email', detail: 'e***@g***.com', length: 6 }))).toBe(
      'A 6-digit code was sent to your login email e***@g***.com.',
    );
    expect(describeDelivery(step({ code_type: 'fragment', detail: 'https://fragment.com/numbers' }))).toBe(
      'The code was sent to your anonymous number on Fragment (https://fragment.com/numbers).',
    );
    expect(describeDelivery(step({ code_type: 'set_up_email', length: null }))).toContain('set up a login email');
    expect(describeDelivery(step({ code_type: 'firebase_sms', length: 6 }))).toBe(
      'A 6-digit code was sent by SMS to +9996621234.',
    );
    expect(describeDelivery(step({ code_type: 'sms_phrase', detail: 'blue' }))).toContain('it starts with “blue”');
  });
});

describe('codeInput', () => {
  it('limits the field to the announced length, and takes words as text', () => {
    expect(codeInput(step({ length: 5 }))).toEqual({ inputmode: 'numeric', maxlength: 5 });
    expect(codeInput(step({ code_type: 'missed_call', length: 4 }))).toEqual({ inputmode: 'numeric', maxlength: 4 });
    expect(codeInput(step({ length: null }))).toEqual({ inputmode: 'numeric', maxlength: 12 });
    expect(codeInput(step({ code_type: 'sms_word', length: null })).inputmode).toBe('text');
  });
});

describe('resendLabel', () => {
  it('names the next way', () => {
    expect(resendLabel('sms')).toBe('Send the code by SMS');
    expect(resendLabel('call')).toBe('Call me with the code');
    expect(resendLabel('app')).toBe('Send the code again');
    expect(resendLater('sms')).toBe('You can ask for the code by SMS in');
    expect(resendLater('missed_call')).toBe('You can ask for the code by a phone call in');
  });
});
