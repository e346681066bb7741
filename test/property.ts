/**
 * Property tests run with a fixed seed (fast-check prints it with any counterexample, so a failure reproduces) and a
 * number of runs scaled by CORDON_TEST_PROPERTY_SCALE: 1 in `npm test`, less under mutation testing (each mutant runs
 * the properties again), more in `npm run test:property` (a longer search).
 */
export const PROPERTY_SEED = 20261203;

const scale = Number(process.env.CORDON_TEST_PROPERTY_SCALE ?? '1');

/** The fast-check parameters for a property meant to run `runs` times in the normal suite. */
export function propertyRuns(runs: number): { seed: number; numRuns: number } {
  return { seed: PROPERTY_SEED, numRuns: Math.max(5, Math.round(runs * (Number.isFinite(scale) && scale > 0 ? scale : 1))) };
}
