/**
 * Migration 5: risk-area reasons any language can say. A grading keeps its reason as a code and its numbers beside the
 * English sentence, so the Chinese page says it in Chinese. Earlier gradings keep their sentence (code null).
 */
import { c, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 5,
  name: 'risk-area reasons as codes',
  tables: [],
  alter: [{ table: 'risk_areas', addColumns: [c('reason_code', 'text'), c('reason_args', 'json')] }],
  indexes: [],
};
