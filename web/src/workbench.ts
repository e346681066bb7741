/** What the case page computes and offers, apart from drawing it: candidate sources' likelihoods, the interview's choices. */

/** Relative likelihoods of a case's candidate sources from their log-likelihood scores: exp(score), normalised to sum 1. */
export function relativeLikelihoods(scores: readonly number[]): number[] {
  if (scores.length === 0) return [];
  const top = Math.max(...scores);
  const w = scores.map((x) => Math.exp(x - top));
  const sum = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / sum);
}

/** The signs and clinical types the API takes (src/domain/rules/interview.ts; test/web/workbench.test.ts keeps them equal). */
export const SIGNS = ['fever', 'dry_cough', 'fatigue', 'smell_or_taste_loss', 'nasal_congestion', 'runny_nose', 'sore_throat', 'conjunctivitis', 'muscle_ache', 'diarrhoea', 'shortness_of_breath'] as const;
export const CLINICAL_TYPES = ['asymptomatic', 'mild', 'moderate', 'severe', 'critical'] as const;
