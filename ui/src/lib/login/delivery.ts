// How a login code travels, in words (auth.SentCodeType / auth.CodeType,
// https://core.telegram.org/api/auth).
import type { CodeDelivery } from '../bindings/CodeDelivery';
import type { LoginStep } from '../bindings/LoginStep';

type CodeStep = Extract<LoginStep, { step: 'code' }>;

/** One or two sentences on where to find the code that was sent. */
export function describeDelivery(step: CodeStep): string {
  const { phone, detail, length } = step;
  const digits = length ? `${length}-digit ` : '';
  switch (step.code_type) {
    case 'app':
      return `Telegram sent a ${digits}code as a message to this account's other sessions: open Telegram on another device where ${phone} is signed in.`;
    case 'sms':
    case 'firebase_sms':
      return `A ${digits}code was sent by SMS to ${phone}.`;
    case 'call':
      return `You will get a phone call at ${phone} that reads the code out.`;
    case 'flash_call':
      return `A call to ${phone} hangs up at once; the code is the caller's number${detail ? ` (${detail})` : ''}.`;
    case 'missed_call':
      return `You will get a missed call at ${phone}; the code is the last ${length ? `${length} ` : ''}digits of the caller's number${detail ? `, which starts with ${detail}` : ''}.`;
    case 'email':
      return `A ${digits}code was sent to your login email${detail ? ` ${detail}` : ''}.`;
    case 'set_up_email':
      return 'Telegram asks this account to set up a login email first; do that in the official Telegram app, then try again.';
    case 'fragment':
      return `The code was sent to your anonymous number on Fragment${detail ? ` (${detail})` : ''}.`;
    case 'sms_word':
      return `A word was sent by SMS to ${phone}; it is the code${detail ? ` (it starts with “${detail}”)` : ''}.`;
    case 'sms_phrase':
      return `A phrase was sent by SMS to ${phone}; it is the code${detail ? ` (it starts with “${detail}”)` : ''}.`;
  }
}

/** How the code field takes the code: digits up to the announced length, or a word or
 * phrase (SMS word/phrase codes) as text. */
export function codeInput(step: CodeStep): { inputmode: 'numeric' | 'text'; maxlength: number } {
  if (step.code_type === 'sms_word' || step.code_type === 'sms_phrase') {
    return { inputmode: 'text', maxlength: 128 };
  }
  return { inputmode: 'numeric', maxlength: step.length ?? 12 };
}

/** The resend button's label for `next`. */
export function resendLabel(next: CodeDelivery): string {
  switch (next) {
    case 'sms':
    case 'firebase_sms':
      return 'Send the code by SMS';
    case 'call':
      return 'Call me with the code';
    case 'flash_call':
    case 'missed_call':
      return 'Send the code by a call';
    case 'fragment':
      return 'Send the code through Fragment';
    default:
      return 'Send the code again';
  }
}

/** When a resend is not allowed yet: "You can ask for the code by SMS in". */
export function resendLater(next: CodeDelivery): string {
  switch (next) {
    case 'sms':
    case 'firebase_sms':
      return 'You can ask for the code by SMS in';
    case 'call':
    case 'flash_call':
    case 'missed_call':
      return 'You can ask for the code by a phone call in';
    case 'fragment':
      return 'You can ask for the code through Fragment in';
    default:
      return 'You can ask for the code again in';
  }
}
