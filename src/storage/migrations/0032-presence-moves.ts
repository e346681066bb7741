/**
 * Migration 32: presence imports written in short steps (SQLite; see `storage/sql/presenceMoves.ts`). An import
 * beside a running server writes its checked rows a few thousand per transaction, so that other processes' writes
 * wait for one step, never for the whole file. Each move is a row that
 * its process renews while it works (`expires_at`), and each step the range of presence ids it inserted (`lo`..`hi`:
 * the step held the write lock, so the range holds its rows only). Readers of new presence stop below the lowest
 * range of a move still running, so the tracing index never takes in a record that the move may still take back
 * (a conflict found in a later step, or a process stopped mid-move, whose steps are deleted once its lease ran out).
 */
import { id, req, type Migration } from '../schema.ts';

export const migration: Migration = {
  version: 32,
  name: 'presence moves',
  tables: [
    { name: 'presence_moves', columns: [id, req('holder', 'text'), req('file', 'text'), req('started_at', 'time'), req('expires_at', 'time')] },
    {
      name: 'presence_move_steps',
      columns: [id, req('move_id', 'int', { references: 'presence_moves' }), req('lo', 'int'), req('hi', 'int')],
    },
  ],
  indexes: [{ table: 'presence_move_steps', columns: ['move_id'] }, { table: 'presence_move_steps', columns: ['lo'] }],
};
