/**
 * How many seats a request occupies while it runs, as upstream's work estimator: one for most requests; for a
 * list, one per 100 objects it will go through (from the resource's object count in the watch cache), between 1
 * and 10. Watches take one seat while they start.
 */
import type { RequestInfo } from '../endpoints/request-info.ts';

const objectsPerSeat = 100;
const minimumSeats = 1;
const maximumSeats = 10;

/** The number of objects of a resource, when known. */
export type ObjectCounter = (info: RequestInfo) => number | undefined;

export function estimateSeats(info: RequestInfo, query: URLSearchParams | undefined, count: ObjectCounter): number {
  if (info.verb !== 'list') return minimumSeats;
  const stored = count(info);
  if (stored === undefined) return minimumSeats;
  const limit = Number(query?.get('limit') ?? 0);
  const page = limit > 0 && limit < stored ? limit : stored;
  // A continued page is read from the store: it reads about twice the page; anything else is served from the cache.
  const objects = query?.has('continue') ? 2 * page : stored;
  return Math.min(maximumSeats, Math.max(minimumSeats, Math.ceil(objects / objectsPerSeat)));
}
