/** A domain error carries its kind, code, message and details, and names itself in its string form and stack. */
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.ts';

describe('domain errors', () => {
  it('keeps kind, code, message and details, and is named DomainError in its string form and stack', () => {
    const e = new DomainError('invalid', 'VALIDATION_FAILED', 'the room is full', [{ field: 'room', reason: 'full' }]);
    expect(e).toBeInstanceOf(Error);
    expect([e.kind, e.code, e.message, e.details]).toEqual(['invalid', 'VALIDATION_FAILED', 'the room is full', [{ field: 'room', reason: 'full' }]]);
    expect(e.name).toBe('DomainError');
    expect(String(e)).toBe('DomainError: the room is full');
  });
});
