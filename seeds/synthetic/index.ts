/**
 * A synthetic, national-size portfolio for load tests and benchmarks: plans with section trees and assigned tasks,
 * about 200 agencies with successions, and any number of projects with locations, status histories and funding.
 * Every code starts with `SYN-` so it never mixes with the real data, and everything is drawn from a seeded PRNG:
 * the same seed and size give the same rows on any fresh database.
 *
 * The parts live in seeds/synthetic/: random.ts (the seeded streams), dates.ts, money.ts, vocabulary.ts (word lists
 * and weights), agencies.ts, plans.ts, projects.ts with project-names.ts and status-history.ts, sources.ts, write.ts
 * (the inserts) and portfolio.ts (counting, deleting and generating the whole). This file (seeds/synthetic) is what
 * others import.
 */

export {
  countSyntheticRows,
  deleteSyntheticPortfolio,
  generateSyntheticPortfolio,
  SYNTHETIC_PREFIX,
  SyntheticDataError,
  type SyntheticOptions,
  type SyntheticReport,
} from './portfolio';
export { mulberry32, type Rng } from './random';
export { SYNTHETIC_SOURCE_URL } from './sources';
