/**
 * The Kubernetes `urls` library (upstream's library/urls.go): `url(s)`, `isURL(s)`, and on a URL `getScheme()`,
 * `getHost()`, `getHostname()`, `getPort()`, `getEscapedPath()`, `getQuery()`. Accepts absolute URLs and absolute
 * paths, as Go's url.ParseRequestURI does.
 */
import { celMap, type CelFunc } from '@bufbuild/cel';
import { global, method } from './func.ts';
import { OpaqueValue } from './opaque.ts';

class URLValue extends OpaqueValue {
  readonly typeName = 'kubernetes.URL';
  constructor(
    readonly raw: string,
    readonly url: URL,
    readonly pathOnly: boolean,
  ) {
    super();
  }
  protected identity(): string {
    return this.raw;
  }
}

export function parseURL(s: string): URLValue {
  if (s.startsWith('/')) return new URLValue(s, new URL(s, 'http://placeholder'), true);
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(s)) throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
  try {
    return new URLValue(s, new URL(s), false);
  } catch {
    throw new Error(`URL parse error during conversion from string: parse "${s}": invalid URI for request`);
  }
}

const U = 'kubernetes.URL';

export const urls: CelFunc[] = [
  global('url', ['string'], U, parseURL),
  global('isURL', ['string'], 'bool', (s: string) => {
    try {
      parseURL(s);
      return true;
    } catch {
      return false;
    }
  }),
  method('getScheme', U, [], 'string', (u: URLValue) => (u.pathOnly ? '' : u.url.protocol.replace(/:$/, ''))),
  method('getHost', U, [], 'string', (u: URLValue) => (u.pathOnly ? '' : u.url.host)),
  method('getHostname', U, [], 'string', (u: URLValue) => (u.pathOnly ? '' : u.url.hostname.replace(/^\[(.*)\]$/, '$1'))),
  method('getPort', U, [], 'string', (u: URLValue) => (u.pathOnly ? '' : u.url.port)),
  method('getEscapedPath', U, [], 'string', (u: URLValue) => u.url.pathname),
  method('getQuery', U, [], 'map', (u: URLValue) => {
    const m = new Map<string, string[]>();
    for (const [k, v] of u.url.searchParams) m.set(k, [...(m.get(k) ?? []), v]);
    return celMap(m as Map<string, never>);
  }),
];
