/** The domain model of the whole mission, as zod schemas with inferred types. */
export * from './common.ts';
export * from './regions.ts';
export * from './people.ts';
export * from './places.ts';
export * from './cases.ts';
export * from './health.ts';
export * from './control.ts';
export * from './command.ts';
export * from '../vocab.ts';
