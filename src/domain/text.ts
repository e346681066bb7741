/** Text as people type it, in the one form Cordon stores and compares it in. */

/**
 * A label as staff type it, in the one form it is stored and compared in: without the characters Unicode says to
 * ignore when shown (zero-width spaces, joiners, BOM ...), then Unicode NFKC (full-width digits and letters become
 * ASCII, a letter and its combining accent one character), every dash and minus sign a hyphen-minus, spaces collapsed
 * and trimmed. So "１０１", "\u200b101" and " 101 " name the same room, two sites cannot differ by an invisible
 * character or a dash, and a feed's "ＭＫＴ－１" is place MKT-1.
 */
export function normalizeLabel(text: string): string {
  return text.replace(/\p{Default_Ignorable_Code_Point}/gu, '').normalize('NFKC').replace(/[\p{Pd}\u2212]/gu, '-').replace(/\s+/gu, ' ').trim();
}

