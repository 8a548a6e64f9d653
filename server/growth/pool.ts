/** Bounded concurrency: a page of issues goes out a few at a time, not one by one nor all at once. */

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. After
 * a failure no new call starts; the first error is thrown once the calls in flight have settled, so
 * nothing keeps running behind the caller's back.
 */
export async function mapPool<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failure: { error: unknown } | null = null;
  const worker = async (): Promise<void> => {
    while (next < items.length && !failure) {
      const i = next++;
      try {
        results[i] = await fn(items[i], i);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failure) throw (failure as { error: unknown }).error;
  return results;
}
