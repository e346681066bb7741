/** Text as people type it, in the one form Cordon stores and compares it in. */

/** The characters Unicode says to ignore when shown (zero-width spaces, joiners, BOM ...). */
const INVISIBLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Every dash and the minus sign, each read as a hyphen-minus. */
const DASH = /[\p{Pd}\u2212]/gu;

/**
 * A label as staff type it, in the one form it is stored and compared in: without the characters Unicode says to
 * ignore when shown (zero-width spaces, joiners, BOM ...), then Unicode NFKC (full-width digits and letters become
 * ASCII, a letter and its combining accent one character), every dash and minus sign a hyphen-minus, spaces collapsed
 * and trimmed. So "１０１", "\u200b101" and " 101 " name the same room, and two sites cannot differ by an invisible
 * character or a dash.
 */
export function normalizeLabel(text: string): string {
  return text.replace(INVISIBLE, '').normalize('NFKC').replace(DASH, '-').replace(/\s+/gu, ' ').trim();
}

/**
 * The ASCII twin of a value typed with full-width characters or anything else outside printable ASCII
 * (`normalizeCode` of it: "２０２１－０９－１０ １２：００" becomes "2021-09-10 12:00"); null when the value is printable
 * ASCII already. Readers of times, numbers, vocabulary values and column names try it when a value does not read as
 * written, and check what it gives as they would have checked the value.
 */
export function asciiTwin(text: string): string | null {
  return /[^\x20-\x7e]/.test(text) ? normalizeCode(text) : null;
}

/**
 * A code as agencies' files write it, in the one form it is stored and compared in: without invisible characters
 * (zero-width spaces, joiners, BOM ...), the full-width forms of ASCII (U+FF01-U+FF5E, as Chinese input methods type
 * "ＭＫＴ－１" or "４３０１") as ASCII, every dash or minus sign a hyphen-minus, the ideographic and no-break spaces as
 * spaces, trimmed. Unlike `normalizeLabel` it keeps every other character as it is: "²" or "①" are not digits, so a
 * code holding them stays unlike any ASCII code (and is refused where codes are checked). Letters keep their case.
 */
export function normalizeCode(text: string): string {
  return text.replace(INVISIBLE, '')
    .replace(/[\uff01-\uff5e]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(DASH, '-').replace(/[\u3000\u00a0\u202f]/g, ' ').trim();
}
