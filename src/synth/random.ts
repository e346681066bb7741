/** A small seeded PRNG (sfc32) with the draws the generators need; same seed, same sequence, on every machine. */

export class Random {
  private a: number; private b: number; private c: number; private d: number;

  constructor(seed: number) {
    this.a = 0x9e3779b9; this.b = 0x243f6a88; this.c = 0xb7e15162; this.d = seed >>> 0;
    for (let i = 0; i < 15; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.a >>>= 0; this.b >>>= 0; this.c >>>= 0; this.d >>>= 0;
    let t = (this.a + this.b) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.d = (this.d + 1) | 0;
    t = (t + this.d) | 0;
    this.c = (this.c + t) | 0;
    return (t >>> 0) / 4294967296;
  }

  /** Whole number in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Index drawn with the given weights. */
  weighted(weights: readonly number[]): number {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = this.next() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}

/** A standard normal draw (Box-Muller). */
export function normal(rnd: Random): number {
  const u = 1 - rnd.next(), v = rnd.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A gamma draw with the given mean and standard deviation (Marsaglia-Tsang). */
export function gamma(rnd: Random, mean: number, sd: number): number {
  const shape = (mean / sd) ** 2, scale = (sd * sd) / mean;
  const k = shape < 1 ? shape + 1 : shape;
  const d = k - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do { x = normal(rnd); v = 1 + c * x; } while (v <= 0);
    v = v * v * v;
    const u = rnd.next();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
      const g = d * v * scale;
      return shape < 1 ? g * Math.pow(rnd.next(), 1 / shape) : g;
    }
  }
}

/** A Poisson draw (Knuth; small means). */
export function poisson(rnd: Random, mean: number): number {
  const l = Math.exp(-mean);
  let k = 0, p = 1;
  do { k++; p *= rnd.next(); } while (p > l);
  return k - 1;
}
