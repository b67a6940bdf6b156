/**
 * Runs `task` over `items` with at most `concurrency` in flight (p-limit); after the first
 * failure no new task starts, and that failure is thrown.
 */
export async function forEachLimited<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
): Promise<void> {
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`concurrency must be a positive integer, got ${concurrency}`);
  }
  // p-limit is ESM-only; a dynamic import keeps this module loadable from CommonJS.
  const { default: pLimit } = await import('p-limit');
  const limit = pLimit(concurrency);
  let failure: { error: unknown } | undefined;
  await Promise.all(
    items.map((item, index) =>
      limit(async () => {
        if (failure !== undefined) {
          return;
        }
        try {
          await task(item, index);
        } catch (error) {
          failure ??= { error };
        }
      }),
    ),
  );
  if (failure !== undefined) {
    throw failure.error;
  }
}
