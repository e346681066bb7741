/**
 * Resident identity numbers (GB 11643-1999): validation with the check digit, a keyed hash that is the only form
 * stored, and the masked form shown to users. Pure functions; the key comes from configuration.
 */
import { createHmac } from 'node:crypto';
import { idBirthDateReal, idCheckChar } from './idCheck.ts';
import { parseTime } from './time.ts';

export { idCheckChar };

/** Upper-cases and trims an ID number so that equal numbers hash equally. */
export function normaliseIdNumber(raw: string): string {
  return raw.trim().toUpperCase();
}

/**
 * Why an ID number is invalid, or null when it is a well-formed 18-character number with the right check digit.
 * Given `now` (epoch seconds, the server's), a birth date after that day (China Standard Time) is refused too: nobody
 * registered has not been born yet.
 */
export function idNumberProblem(raw: string, now?: number): string | null {
  const id = normaliseIdNumber(raw);
  if (!/^\d{17}[\dX]$/.test(id)) return 'must be 17 digits followed by a digit or X';
  if (!idBirthDateReal(id)) return 'birth date inside the number is not a real date';
  if (idCheckChar(id) !== id[17]) return 'check digit does not match';
  if (
    // Stryker disable next-line ConditionalExpression: equivalent: without `now`, a number compared with undefined is never greater, so the date is not refused either way
    now !== undefined
    && parseTime(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`)! > now
  ) return 'birth date inside the number is in the future';
  return null;
}

/** Keyed hash (HMAC-SHA256, hex) of a normalised ID number: the only form of it Cordon stores. */
export function hashIdNumber(raw: string, key: string): string {
  return createHmac('sha256', key).update(normaliseIdNumber(raw)).digest('hex');
}

/** Display form: the first 3 and last 4 characters, the rest as asterisks (430***********1234). */
export function maskIdNumber(raw: string): string {
  const id = normaliseIdNumber(raw);
  return id.slice(0, 3) + '*'.repeat(Math.max(0, id.length - 7)) + id.slice(-4);
}

/**
 * The narrower form a list shows of a stored masked ID number (first 3 and last 4): the first 3 and last 2 only, so
 * that with the birth decade beside it the number cannot be narrowed down (see the persons' schema).
 */
export function listIdMask(idMasked: string): string {
  return idMasked.slice(0, 3) + '*'.repeat(Math.max(0, idMasked.length - 5)) + idMasked.slice(-2);
}

/** Display form of a name: the first character, then asterisks (张**). */
export function maskName(name: string): string {
  const chars = [...name];
  // Stryker disable next-line EqualityOperator: equivalent: a one-character name masked is its first character and no asterisks, the name itself
  return chars.length <= 1 ? name : chars[0] + '*'.repeat(chars.length - 1);
}

/** Display form of a phone number: 138****1234. */
export function maskPhone(phone: string): string {
  return phone.length < 7 ? '*'.repeat(phone.length) : phone.slice(0, 3) + '*'.repeat(phone.length - 7) + phone.slice(-4);
}

/** Birth date (YYYY-MM-DD) and sex encoded in a valid ID number. */
export function birthAndSexOf(raw: string): { birthDate: string; sex: 'male' | 'female' } {
  const id = normaliseIdNumber(raw);
  return {
    birthDate: `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`,
    sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
  };
}
