/**
 * The path and query of a request's URL as WHATWG URL reads them (`pathname`, `searchParams`), without making a URL
 * object per request. The URL a request carries is already in URL's normal form: @hono/node-server passes a target
 * of plain characters without dot segments on as it is and sends anything else through `new URL(...).href`, and a
 * Request's url is an href. So the pathname is the text from the first slash after the authority up to the query or
 * fragment, kept percent-encoded as URL keeps it, and the query's decoding (percent escapes, `+`, repeated keys) is
 * URLSearchParams' own.
 */

import { getPath } from 'hono/utils/url';
import { decodedPath } from '../endpoints/request-info.ts';

/** Shared by every request without a query: nobody writes to a request's query. */
const emptyQuery = new URLSearchParams();

export interface RequestTarget {
  path: string;
  query: URLSearchParams;
}

/** `href` must be absolute (scheme and authority), as a request's URL is. */
export function requestTarget(href: string): RequestTarget {
  const authority = href.indexOf('//');
  const start = href.indexOf('/', authority === -1 ? 0 : authority + 2);
  if (start === -1) return { path: '/', query: emptyQuery };
  const hash = href.indexOf('#', start);
  let q = href.indexOf('?', start);
  // A '?' inside the fragment starts no query.
  if (hash !== -1 && q > hash) q = -1;
  const end = q !== -1 ? q : hash !== -1 ? hash : href.length;
  const path = href.slice(start, end);
  if (q === -1) return { path, query: emptyQuery };
  const search = hash === -1 ? href.slice(q + 1) : href.slice(q + 1, hash);
  return { path, query: search === '' ? emptyQuery : new URLSearchParams(search) };
}

/**
 * The path the app routes by: Go's URL.Path (escapes decoded, an escaped slash too), which upstream's muxes route
 * by, so that a route and the RequestInfo its filters read agree (`/healthz%2Fping` is the `ping` check). Hono's own
 * reading (decodeURI, which keeps reserved escapes such as %2F and %25) stands where it leaves no escape, and for a
 * path Go would refuse, which the request-info filter answers 400 whatever the route.
 */
export function routingPath(request: Request): string {
  const path = getPath(request);
  if (!path.includes('%')) return path;
  return decodedPath(requestTarget(request.url).path) ?? path;
}
