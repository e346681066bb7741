/**
 * The page's words: every risk-area reason the grading can give is said in Chinese without English, and in English,
 * with its numbers; both languages have the same words.
 */
import { describe, expect, it } from 'vitest';
import { RISK_REASON_CODES, riskReasonText, type RiskReasonArgs } from '../../src/domain/rules/riskAreas.ts';
import { CODE_ENDS } from '../../src/domain/rules/healthCode.ts';
import { WORDS } from '../../web/src/i18n.ts';

const ARGS: RiskReasonArgs = { windowDays: 14, cumulative: 11, highAbove: 10, recent: 3, clusterMin: 2, cases: 4, highDays: 7, afterDays: 3, mediumDays: 7 };

describe('the page\'s words', () => {
  it('says every risk reason code in Chinese (no Latin letters, no missing number), and leaves English to the server\'s sentence', () => {
    for (const code of RISK_REASON_CODES) {
      const zh = WORDS['zh-CN'].riskReason(code, ARGS);
      expect(zh, code).toBeTypeOf('string');
      expect(zh!.match(/[A-Za-z]/), `${code}: ${zh}`).toBeNull();
      expect(zh, code).not.toContain('undefined');
      // Every number the server's sentence holds is said in Chinese too.
      for (const n of riskReasonText(code, ARGS).match(/\d+/g) ?? []) expect(zh, `${code} zh lacks ${n}`).toContain(n);
      expect(WORDS.en.riskReason(code, ARGS), code).toBeNull();
    }
    expect(WORDS['zh-CN'].riskReason('text', {})).toBeNull();
  });

  it('says what ends every reason in Chinese without English and with its numbers, and in English', () => {
    const args = { days: 14, tests: 2, hoursApart: 24, withinDays: 3, hours: 4 };
    for (const code of CODE_ENDS) {
      const zh = WORDS['zh-CN'].resident.ends(code, args);
      expect(zh, code).not.toBe('');
      expect(zh.match(/[A-Za-z]/), `${code}: ${zh}`).toBeNull();
      expect(zh, code).not.toContain('undefined');
      expect(WORDS.en.resident.ends(code, args), code).not.toBe('');
    }
    expect(WORDS['zh-CN'].resident.ends('companion_tests', args)).toBe('3天内完成2次核酸检测（间隔至少24小时）且均为阴性');
  });

  it('has the same keys in both languages', () => {
    expect(Object.keys(WORDS.en).sort()).toEqual(Object.keys(WORDS['zh-CN']).sort());
  });
});
