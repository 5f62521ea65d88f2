import { describe, expect, it } from 'vitest';
import { clockText, toUiError } from './errors';

const commandError = (code: string, field: string | null = null, retry_after_secs: number | null = null) => ({
  code,
  message: `${code}: the backend's words`,
  field,
  retry_after_secs,
});

describe('toUiError', () => {
  it('gives known RPC errors plain words on their field', () => {
    expect(toUiError(commandError('PHONE_NUMBER_INVALID'))).toEqual({
      code: 'PHONE_NUMBER_INVALID',
      field: 'phone',
      message: 'This phone number is not valid. Check the country code and the digits.',
      retryAfterSecs: null,
    });
    expect(toUiError(commandError('PASSWORD_HASH_INVALID')).field).toBe('password');
    expect(toUiError(commandError('ACCESS_TOKEN_INVALID')).field).toBe('bot_token');
    const expired = toUiError(commandError('PHONE_CODE_EXPIRED'));
    expect(expired.field).toBe('code');
    expect(expired.message).toContain('shared in a chat or anywhere else expires at once');
    expect(expired.message).toContain('Request a new code');
  });

  it("keeps the backend's field and message for codes it does not know", () => {
    expect(toUiError(commandError('NETWORK', 'phone'))).toMatchObject({ field: 'phone', message: 'NETWORK: the backend\'s words' });
    expect(toUiError(commandError('STORAGE')).field).toBeNull();
  });

  it('reads flood waits with their seconds', () => {
    const flood = toUiError(commandError('FLOOD_WAIT', 'code', 75));
    expect(flood).toMatchObject({ field: 'code', retryAfterSecs: 75, message: 'Telegram asks to wait before trying again.' });
  });

  it("accepts Tauri's own string rejections and errors", () => {
    expect(toUiError('command login_cancel not found')).toEqual({
      code: 'UNKNOWN',
      field: null,
      message: 'command login_cancel not found',
      retryAfterSecs: null,
    });
    expect(toUiError(new Error('boom')).message).toBe('boom');
  });
});

describe('clockText', () => {
  it('shows m:ss, h:mm:ss past an hour, rounding up', () => {
    expect(clockText(0)).toBe('0:00');
    expect(clockText(4.2)).toBe('0:05');
    expect(clockText(75)).toBe('1:15');
    expect(clockText(3725)).toBe('1:02:05');
    expect(clockText(-3)).toBe('0:00');
  });
});
