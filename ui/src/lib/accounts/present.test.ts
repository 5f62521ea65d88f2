import { describe, expect, it } from 'vitest';
import { sampleAccount } from '../testing';
import { avatarHue, dateText, lastActive, networkName, secondaryLine, stateText } from './present';

describe('account presentation', () => {
  it('derives a stable avatar colour from the user id, else the account id', () => {
    expect(avatarHue({ id: 3, user_id: 1000001 })).toBe(1000001 % 8);
    expect(avatarHue({ id: 3, user_id: null })).toBe(3);
    expect(avatarHue({ id: -13, user_id: null })).toBe(5);
  });

  it('shows @username, else the phone, else "bot" under the name', () => {
    expect(secondaryLine(sampleAccount())).toBe('@alice');
    expect(secondaryLine(sampleAccount({ username: null }))).toBe('+9996621234');
    expect(secondaryLine(sampleAccount({ username: null, phone: null, is_bot: true }))).toBe('bot');
  });

  it('names networks and states', () => {
    expect(networkName('local')).toBe('Local');
    expect(networkName('production')).toBe('Telegram');
    expect(stateText('signed_out')).toMatch(/sign in again/);
  });

  it('says how long ago a session was active', () => {
    const now = 1_700_000_000;
    expect(lastActive(now - 5, now)).toBe('just now');
    expect(lastActive(now - 60, now)).toBe('1 minute ago');
    expect(lastActive(now - 600, now)).toBe('10 minutes ago');
    expect(lastActive(now - 7200, now)).toBe('2 hours ago');
    expect(lastActive(now - 3 * 86400, now)).toBe(dateText(now - 3 * 86400));
    expect(dateText(now)).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  });
});
