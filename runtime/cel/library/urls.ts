/**
 * The Kubernetes `urls` library (upstream's library/urls.go): `url(s)`, `isURL(s)`, and on a URL `getScheme()`,
 * `getHost()`, `getHostname()`, `getPort()`, `getEscapedPath()`, `getQuery()`. A URL is what Go's
 * url.ParseRequestURI accepts (an absolute URL or an absolute path; `https:://x` too, as an opaque URL with no host
 * or path), read as Go's url.Parse reads it (runtime/machinery/go-url.ts); WHATWG's URL parser, which Node has,
 * accepts and refuses other texts.
 */
import { celMap, type CelFunc } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';
import { goEscapedPath, goHostPort, goQuery, GoURLError, parseGoRequestURI, parseGoURL, type GoURL } from '../../machinery/go-url.ts';

class URLValue extends OpaqueValue {
  readonly typeName = 'kubernetes.URL';
  constructor(
    readonly raw: string,
    readonly url: GoURL,
  ) {
    super();
  }
  protected identity(): string {
    return this.raw;
  }
}

export function parseURL(s: string): URLValue {
  try {
    parseGoRequestURI(s);
    // Parsed again as url.Parse, as upstream does: ParseRequestURI keeps a fragment in the path or query.
    return new URLValue(s, parseGoURL(s));
  } catch (e) {
    if (e instanceof GoURLError) throw new Error(`URL parse error during conversion from string: ${e.message}`);
    throw e;
  }
}

const U = 'kubernetes.URL';

export const urls: CelFunc[] = [
  global('url', ['string'], U, parseURL),
  global('isURL', ['string'], 'bool', (s: string) => {
    try {
      parseGoRequestURI(s);
      return true;
    } catch {
      return false;
    }
  }),
  method('getScheme', U, [], 'string', (u: URLValue) => u.url.scheme),
  method('getHost', U, [], 'string', (u: URLValue) => u.url.host),
  method('getHostname', U, [], 'string', (u: URLValue) => goHostPort(u.url).hostname),
  method('getPort', U, [], 'string', (u: URLValue) => goHostPort(u.url).port),
  method('getEscapedPath', U, [], 'string', (u: URLValue) => goEscapedPath(u.url)),
  method('getQuery', U, [], 'map', (u: URLValue) => celMap(goQuery(u.url) as Map<string, never>)),
];
