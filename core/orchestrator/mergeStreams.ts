/**
 * Runs several async iterables at once and yields their items as they come.
 * Returning early (a consumer's break) closes every source.
 */
export async function* mergeStreams<T>(sources: AsyncIterable<T>[]): AsyncGenerator<T> {
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const pending = new Map<number, Promise<{ index: number; result: IteratorResult<T> }>>();
  const pull = (index: number) => {
    const iterator = iterators[index] as AsyncIterator<T>;
    pending.set(
      index,
      iterator.next().then((result) => ({ index, result })),
    );
  };
  iterators.forEach((_, index) => pull(index));
  try {
    while (pending.size > 0) {
      const { index, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(index);
        continue;
      }
      pull(index);
      yield result.value;
    }
  } finally {
    // The consumer left: a source's pending item (often a cancellation) has nobody to go to.
    for (const item of pending.values()) item.catch(() => {});
    await Promise.allSettled([...pending.keys()].map((index) => iterators[index]?.return?.()));
  }
}
