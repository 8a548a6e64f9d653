/**
 * Newest-first pages by a time field. Several documents can share one instant (a call stamps all it
 * writes with its own `now`), so a page never ends inside such a group: it stops before it, and the
 * next page (`at < nextBefore`) starts with the whole group.
 */
export function cutPage<T>(docsPlusOne: T[], size: number, at: (d: T) => Date): { page: T[]; nextBefore: Date | null } {
  if (docsPlusOne.length <= size) return { page: docsPlusOne, nextBefore: null };
  const boundary = at(docsPlusOne[size]).getTime();
  const kept = docsPlusOne.slice(0, size).filter((d) => at(d).getTime() !== boundary);
  // A whole page of one instant cannot be split; only a call writing more than `size` at once would do that.
  const page = kept.length ? kept : docsPlusOne.slice(0, size);
  return { page, nextBefore: at(page[page.length - 1]) };
}
