/** Speed, memory and size targets. A benchmark over its budget fails `npm run bench`. */
export const BUDGETS = {
  /** CPU time of one full polling round over 1,000 tracked operations (scheduler + events). */
  trackerRoundMs: 250,
  /** Heap held by 1,000 tracked operations. */
  trackerHeapMb: 20,
  /** Badge computations per second (pure logic). */
  badgesPerSecond: 50_000,
  /** Image references parsed per second. */
  referencesPerSecond: 100_000,
  /** Walking every page of the 1,500-tag sample repository from the emulator. */
  listAllTagsMs: 5_000,
  /** Badges of the first page (100 tags) through BadgeService, bounded concurrency. */
  firstPageBadgesMs: 8_000,
  /** Bundles. */
  extensionBundleKb: 3_000,
  webviewBundleKb: 600,
} as const;
