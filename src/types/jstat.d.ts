/** The part of jStat (npm `jstat`, MIT, no types of its own) that Cordon uses: the gamma distribution. */
declare module 'jstat' {
  interface GammaDistribution {
    /** P(X <= x) for a gamma distribution of this shape and scale. */
    cdf(x: number, shape: number, scale: number): number;
    /** The p-quantile of a gamma distribution of this shape and scale. */
    inv(p: number, shape: number, scale: number): number;
  }
  const jStat: { gamma: GammaDistribution };
  export default jStat;
}
