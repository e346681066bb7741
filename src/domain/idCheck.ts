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

/**
 * Whether the birth date inside an 18-character ID number (characters 7 to 14, YYYYMMDD) is a day of the calendar:
 * a month or day past its range rolls into another month, which the month test sees; years before 1880 are refused
 * (Date.UTC would read 0-99 as 1900-1999).
 */
export function idBirthDateReal(id: string): boolean {
  const [y, m, d] = [id.slice(6, 10), id.slice(10, 12), id.slice(12, 14)].map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1880 && date.getUTCMonth() === m - 1 &&
    // Stryker disable next-line ConditionalExpression: equivalent as true: a day past its month's end (or 00) rolls into another month, which the month's check refuses already
    date.getUTCDate() === d;
}
