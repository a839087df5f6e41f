// A seeded PRNG (mulberry32), so a chaos run that fails can be replayed with the same cuts.
export type Random = () => number;

export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed of this run: FAULT_SEED when given, else a fresh one. */
export function runSeed(): number {
  const given = Number(process.env.FAULT_SEED);
  const seed = Number.isInteger(given) && given > 0 ? given : Math.floor(Math.random() * 2 ** 31) + 1;
  // Printed now too: a run that fails never reaches its figures line.
  console.log(`[faults] seed ${seed} (FAULT_SEED=${seed} replays it)`);
  return seed;
}
