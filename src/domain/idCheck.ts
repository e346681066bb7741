/**
 * The check character of a resident identity number (GB 11643-1999, ISO 7064 MOD 11-2): the 17 digits weighted, the
 * sum modulo 11 mapped to 1, 0, X, 9 ... 2. Pure and free of Node's modules, so the web app checks a number as it is
 * typed with the same rule the server applies (identity.ts).
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

/** Check character (0-9 or X) for the first 17 digits of an ID number. */
export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
  return CHECK[sum % 11];
}
