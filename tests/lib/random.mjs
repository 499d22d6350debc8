// Seeded randomness for load and crash tests: the seed comes from an environment variable when
// set (to replay a run) or is drawn fresh, and is printed either way, so a failing run can be
// repeated with the same choices.
//
//   const rng = seededRandom('SOAK_SEED');   // prints "SOAK_SEED=123456789"
//   rng.int(10)          // 0..9
//   rng.pick(['a', 'b']) // one element
//   rng.chance(0.25)     // true one time in four
//   rng.fork()           // an independent stream (one per simulated user)
import { randomInt } from 'node:crypto';

// mulberry32: tiny, fast and good enough to spread choices; not for anything secret.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generator(seed) {
  const next = mulberry32(seed);
  const rng = {
    seed,
    next,
    int: (n) => Math.floor(next() * n),
    between: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    fork: () => generator(Math.floor(next() * 4294967296)),
  };
  return rng;
}

/** A generator seeded from `$envName` (a whole number) or from a fresh random seed. */
export function seededRandom(envName) {
  const given = process.env[envName];
  if (given !== undefined && !/^\d+$/.test(given)) throw new Error(`${envName} must be a whole number, not ${given}`);
  const seed = given !== undefined ? Number(given) % 4294967296 : randomInt(2 ** 32 - 1);
  console.log(`${envName}=${seed}${given !== undefined ? ' (given)' : ''}`);
  return generator(seed);
}
