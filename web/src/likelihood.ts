/** Reading the chain inference's scores on the case page. */

/** Relative likelihoods of a case's candidate sources from their log-likelihood scores: exp(score), normalised to sum 1. */
export function relativeLikelihoods(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const top = Math.max(...scores);
  const w = scores.map((x) => Math.exp(x - top));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}
