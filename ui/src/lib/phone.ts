// Phone number entry for signing in: accepts what people type
// ("+1 (555) 010-0000", "00 44 20 ...") and yields E.164 digits.

export type PhoneCheck = { ok: true; e164: string } | { ok: false; reason: string };

/** E.164 allows at most 15 digits; Telegram numbers have at least 7. */
const MIN_DIGITS = 7;
const MAX_DIGITS = 15;

export function checkPhone(input: string): PhoneCheck {
  const trimmed = input.trim();
  if (trimmed === '') return { ok: false, reason: 'Enter a phone number.' };
  if (/[^\d\s()+.-]/.test(trimmed)) {
    return { ok: false, reason: 'Use digits only, with an optional leading +.' };
  }
  let rest = trimmed.replace(/[\s().-]/g, '');
  if (rest.startsWith('+')) rest = rest.slice(1);
  else if (rest.startsWith('00')) rest = rest.slice(2);
  else return { ok: false, reason: 'Start with + and the country code.' };
  if (rest.includes('+')) return { ok: false, reason: 'Only one + at the start.' };
  if (rest.length < MIN_DIGITS || rest.length > MAX_DIGITS) {
    return { ok: false, reason: `A phone number has ${MIN_DIGITS} to ${MAX_DIGITS} digits.` };
  }
  if (rest.startsWith('0')) return { ok: false, reason: 'Country codes do not start with 0.' };
  return { ok: true, e164: `+${rest}` };
}
