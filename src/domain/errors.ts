/**
 * Domain errors: what a use case throws when a request cannot be carried out, with a kind (not found, conflict,
 * invalid, forbidden, unavailable) and a stable code. The API maps kinds to HTTP statuses in one place
 * (`api/errors.ts`); the CLI prints the message. Codes are listed in docs/errors.md.
 */

export const ERROR_KINDS = ['not_found', 'conflict', 'invalid', 'unknown_reference', 'forbidden', 'unavailable'] as const;
export type ErrorKind = (typeof ERROR_KINDS)[number];

/** A field-level problem: which field, and why. */
export interface FieldIssue {
  field: string;
  reason: string;
}

export class DomainError extends Error {
  constructor(readonly kind: ErrorKind, readonly code: string, message: string, readonly details?: FieldIssue[] | Record<string, unknown>) {
    super(message);
    this.name = 'DomainError';
  }
}
