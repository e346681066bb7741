/**
 * Strict text decoding for feed files: bytes in, whole lines of text out, with `\n` as the only line break. A byte
 * that does not decode stops the file with its line, in every encoding offered (Node's TextDecoder with `fatal`, never
 * a decoder that substitutes); `\r\n` and a lone `\r` become `\n`, so a file mixing the three reads as one; a line
 * longer than MAX_LINE_BYTES stops the file before it is held in memory.
 */
import { Transform, type TransformCallback } from 'node:stream';

/** Encodings a feed may be written in (what `--encoding` accepts). */
export const ENCODINGS = ['utf-8', 'gb18030'] as const;
export type Encoding = (typeof ENCODINGS)[number];

/**
 * Names accepted for each encoding. GBK and GB2312 are read as GB18030, the national standard that contains both (as
 * the WHATWG Encoding Standard reads them): every GBK file reads the same, and a name outside GBK (𠮷) written by a
 * GB18030 system reads right. Node's own "gbk" decoder is not used: it turns some invalid bytes (0x80 0xFF, a lone
 * 0xFF) into private-use characters instead of failing. Big5, Shift_JIS and EUC-KR are refused for the same reason.
 */
const NAMES: Record<string, Encoding> = { utf8: 'utf-8', gb18030: 'gb18030', gbk: 'gb18030', gb2312: 'gb18030', cp936: 'gb18030' };

/** The encoding a user's name for it means (`UTF-8`, `utf8`, `GBK`, ...), or undefined when it is not offered. */
export function encodingNamed(name: string): Encoding | undefined {
  return NAMES[name.toLowerCase().replace(/[-_]/g, '')];
}

/**
 * The longest line a feed may have, in bytes (1 MiB): far above any row within the field limits, low enough that a
 * runaway field (20 MB without a line break) is refused after reading 1 MiB of it.
 */
export const MAX_LINE_BYTES = 1 << 20;

/** A problem with the bytes of a file, at a 1-based line. */
export class DecodeError extends Error {
  constructor(readonly line: number, readonly reason: string) {
    super(`line ${line}: ${reason}`);
    // Stryker disable next-line StringLiteral: equivalent: the name shows in a stack trace only; callers tell errors apart by class
    this.name = 'DecodeError';
  }
}

const LF = 0x0a, CR = 0x0d;

/** Offset just after the last line break of `buf` whose end is certain (a final `\r` may be half of `\r\n`), or 0. */
function lastBreakEnd(buf: Buffer): number {
  const lf = buf.lastIndexOf(LF);
  if (lf >= 0) return lf + 1;
  // A buffer of 2 bytes cut after a first \r or kept whole decodes the same (the cut is only delayed by a chunk).
  // Stryker disable next-line EqualityOperator: equivalent: see above
  return buf.length < 2 ? 0 : buf.lastIndexOf(CR, buf.length - 2) + 1;
}

/** The lines of `buf` without their breaks (`\n`, `\r\n` or `\r`). */
function splitLines(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  // Stryker disable next-line EqualityOperator: equivalent: the byte past the end is undefined, no break
  for (let i = 0; i < buf.length; i++) {
    if (buf[i] !== LF && buf[i] !== CR) continue;
    out.push(buf.subarray(start, i));
    if (buf[i] === CR && buf[i + 1] === LF) i++;
    start = i + 1;
  }
  out.push(buf.subarray(start));
  return out;
}

function countLf(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/**
 * Decodes a byte stream strictly into strings of whole lines (the last may lack its break), breaks normalised to `\n`
 * and a leading byte-order mark dropped. Both offered encodings are ASCII-compatible (a `\n` or `\r` byte is always a line break), so the stream is
 * cut at line breaks and a line never straddles two decodes.
 */
export class StrictLineDecoder extends Transform {
  private readonly decoder: TextDecoder;
  private carry: Buffer = Buffer.alloc(0);
  /** Line number of the first line in `carry`. */
  private line = 1;
  private started = false;

  constructor(private readonly encoding: Encoding) {
    super({ readableObjectMode: true });
    this.decoder = new TextDecoder(encoding, { fatal: true, ignoreBOM: true });
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: an empty carry concatenated gives the chunk's bytes (the check saves a copy)
    const buf = this.carry.length > 0 ? Buffer.concat([this.carry, chunk]) : chunk;
    const cut = lastBreakEnd(buf);
    const whole = buf.subarray(0, cut);
    this.carry = buf.subarray(cut);
    try {
      if (whole.length > 0) this.decodeLines(whole);
      if (this.carry.length > MAX_LINE_BYTES) {
        throw new DecodeError(this.line, `line longer than ${MAX_LINE_BYTES} bytes (a field far beyond any limit?); not read further`);
      }
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  override _flush(done: TransformCallback): void {
    try {
      // Stryker disable next-line ConditionalExpression,EqualityOperator: equivalent: no bytes decode to no text, which is not pushed
      if (this.carry.length > 0) this.decodeLines(this.carry);
      done();
    } catch (e) {
      done(e as Error);
    }
  }

  /** Decodes whole lines (or the file's last line), pushes them as text and advances the line count. */
  private decodeLines(bytes: Buffer): void {
    let text: string;
    try {
      text = this.decoder.decode(bytes);
    } catch {
      throw new DecodeError(this.line + this.badLineIndex(bytes), this.encoding === 'utf-8'
        ? 'not valid UTF-8 text (for GBK or GB18030 files pass --encoding gb18030)'
        : `not valid ${this.encoding.toUpperCase()} text (a byte that does not decode; is the file in another encoding?)`);
    }
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    // Stryker disable next-line ConditionalExpression,StringLiteral: equivalent: the replacement finds no \r in a text without one (the check saves a pass)
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    this.line += countLf(text);
    if (text.length > 0) this.push(text);
  }

  /** Index of the first line of `bytes` that does not decode (found again line by line, only when decoding failed). */
  private badLineIndex(bytes: Buffer): number {
    // Stryker disable next-line BooleanLiteral: equivalent: whether a byte-order mark is kept or dropped, the same line fails to decode
    const fresh = new TextDecoder(this.encoding, { fatal: true, ignoreBOM: true });
    const lines = splitLines(bytes);
    // Stryker disable next-line EqualityOperator: equivalent: the bytes failed to decode, so one of their lines does (a break byte is never inside a character in these encodings) before the end
    for (let i = 0; i < lines.length; i++) {
      try { fresh.decode(lines[i]); } catch { return i; }
    }
    return 0;
  }
}
