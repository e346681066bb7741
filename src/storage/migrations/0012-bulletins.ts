/**
 * Migration 12: daily bulletins kept. One row per day that has ended (China Standard Time, `YYYY-MM-DD`): its figures
 * (JSON), the Chinese and English texts, and when it was generated; kept once and never changed (a second keep of the
 * same day is skipped by the unique day).
 */
import { id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 12,
  name: 'bulletins',
  tables: [
    {
      name: 'bulletins',
      columns: [id, req('day', 'text'), req('figures', 'json'), req('text_zh', 'text'), req('text_en', 'text'), req('generated_at', 'time')],
      unique: [['day']],
    },
  ],
  indexes: [],
};
