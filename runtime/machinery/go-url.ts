/**
 * The parts of a URL as Go's net/url.Parse sees them, for validation whose messages quote them (webhook client
 * configs). WHATWG's URL, which Node has, parses differently where it matters there: it skips extra slashes after
 * `https:`, refuses a URL without a scheme or with a port above 65535, and lower-cases hosts; Go keeps an empty
 * host, takes a bare `host/path` as a path, accepts any digits as a port, and words its refusals its own way
 * (`parse "https://a b/": invalid character " " in host name`).
 */
import { goQuote } from './gofmt.ts';

export interface GoURL {
  /** Lower-cased, as Go stores it; empty when the text has none. */
  scheme: string;
  /** The host and port, unescaped; empty for a path-only or opaque URL. */
  host: string;
  /** Userinfo as Go's Userinfo.String() writes it back (`user` or `user:password`, escaped); undefined without one. */
  user?: string;
  /** After `?`, as sent (empty for none or a lone `?`). */
  rawQuery: string;
  /** After `#`, unescaped. */
  fragment: string;
  /** What follows `scheme:` when it does not start with a slash (`mailto:x`, `https:://x`); then there is no path. */
  opaque: string;
  /** Unescaped. */
  path: string;
  /** The path as written, when escaping `path` would not give it back (Go's RawPath); else empty. */
  rawPath: string;
}

/** Go's *url.Error text for a URL that does not parse. */
export class GoURLError extends Error {}

const isHex = (c: string) => /^[0-9a-fA-F]$/.test(c);

/** Go's shouldEscape for the modes used here: which bytes may stand unescaped. */
type EscapeMode = 'host' | 'userPassword' | 'path' | 'other';

function shouldEscape(c: string, mode: EscapeMode): boolean {
  if (/^[A-Za-z0-9]$/.test(c)) return false;
  if (mode === 'host') return !"!$&'()*+,;=:[]<>\"-_.~".includes(c);
  if ('-_.~'.includes(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) return mode === 'userPassword' ? '/?@'.includes(c) : mode === 'path' ? c === '?' : false;
  return true;
}

/** Go's unescape: `%XX` decoded, with its errors; in a host a byte Go would escape is an error too. */
function unescape(s: string, mode: EscapeMode): string {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '%') {
      if (i + 2 >= s.length || !isHex(s[i + 1]) || !isHex(s[i + 2])) throw new Error(`invalid URL escape ${goQuote(s.slice(i, i + 3))}`);
      i += 2;
    } else if (mode === 'host' && s.charCodeAt(i) < 0x80 && shouldEscape(s[i], 'host')) {
      throw new Error(`invalid character ${goQuote(s[i])} in host name`);
    }
  }
  return decodeURIComponentLoose(s);
}

/**
 * Go's url.PathUnescape, as its HTTP server fills URL.Path: every `%XX` decoded, an escaped slash too. A bad escape
 * is GoURLError (Go's server refuses such a request line before any handler).
 */
export function pathUnescape(s: string): string {
  // Only from the first escape on: decodeURIComponent's cost grows with the text it is given, and an escape is
  // mostly in a path's last segment.
  const from = s.indexOf('%');
  if (from === -1) return s;
  const rest = s.slice(from);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rest);
  } catch {
    // decodeURIComponent refuses both a bad escape, which Go refuses too, and escapes that are no UTF-8, which Go
    // decodes to their bytes: those bytes are held as rawByteChar holds them, the rest decoded.
    const bad = badEscape.exec(rest);
    if (bad) throw new GoURLError(`invalid URL escape ${goQuote(rest.slice(bad.index, bad.index + 3))}`);
    decoded = rest.replace(/(%[0-9a-fA-F]{2})+/g, decodeBytesLoose);
  }
  return s.slice(0, from) + decoded;
}

/**
 * The character a string holds a byte in that is no UTF-8 in Go's eyes (a path's `%ff`): U+DC80 to U+DCFF, lone
 * low surrogates no well-formed text carries, as Python's surrogateescape holds them. goQuote writes them back as
 * the `\xff` Go's %q writes for such a byte.
 */
export const rawByteChar = (byte: number): string => String.fromCharCode(0xdc00 | byte);

/** A run of escapes decoded as Go's utf8.DecodeRune reads the bytes: each byte of an invalid sequence on its own. */
function decodeBytesLoose(run: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < run.length; i += 3) bytes.push(parseInt(run.slice(i + 1, i + 3), 16));
  let out = '';
  for (let i = 0; i < bytes.length; ) {
    const width = utf8Width(bytes, i);
    if (width === 0) out += rawByteChar(bytes[i++]);
    else {
      out += Buffer.from(bytes.slice(i, i + width)).toString('utf8');
      i += width;
    }
  }
  return out;
}

/** The length of the well-formed UTF-8 sequence at `i` (Go's: no overlong forms, surrogates or runes past U+10FFFF), 0 if none. */
function utf8Width(b: number[], i: number): number {
  const c = b[i];
  if (c < 0x80) return 1;
  const cont = (j: number, lo = 0x80, hi = 0xbf) => j < b.length && b[j] >= lo && b[j] <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(i + 1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const [lo, hi] = c === 0xe0 ? [0xa0, 0xbf] : c === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(i + 1, lo, hi) && cont(i + 2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const [lo, hi] = c === 0xf0 ? [0x90, 0xbf] : c === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(i + 1, lo, hi) && cont(i + 2) && cont(i + 3) ? 4 : 0;
  }
  return 0;
}

/** A `%` not followed by two hex digits. */
const badEscape = /%(?![0-9a-fA-F]{2})/;

/**
 * Whether the path of a request target (up to its query) has an escape Go's url.ParseRequestURI refuses, as its
 * servers check every request before any handler: `/foo%zz`, a lone `%`.
 */
export function hasBadPathEscape(target: string): boolean {
  const from = target.indexOf('%');
  if (from === -1) return false;
  const query = target.indexOf('?');
  return badEscape.test(query === -1 ? target.slice(from) : target.slice(from, query));
}

function decodeURIComponentLoose(s: string): string {
  return s.replace(/(%[0-9a-fA-F]{2})+/g, (m) => {
    try {
      return decodeURIComponent(m);
    } catch {
      return m;
    }
  });
}

function escape(s: string, mode: 'userPassword' | 'path'): string {
  let out = '';
  for (const ch of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(ch);
    out += ch < 0x80 && !shouldEscape(c, mode) ? c : `%${ch.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Go's getScheme: letters first, then letters, digits, `+`, `-`, `.` up to a colon. */
function splitScheme(raw: string): [string, string] {
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+.-]/.test(c)) {
      if (i === 0) return ['', raw];
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new Error('missing protocol scheme');
      return [raw.slice(0, i), raw.slice(i + 1)];
    }
    return ['', raw];
  }
  return ['', raw];
}

const validOptionalPort = (p: string) => p === '' || /^:[0-9]*$/.test(p);

function parseHost(host: string): string {
  if (host.startsWith('[')) {
    const i = host.lastIndexOf(']');
    if (i < 0) throw new Error("missing ']' in host");
    const colonPort = host.slice(i + 1);
    if (!validOptionalPort(colonPort)) throw new Error(`invalid port ${goQuote(colonPort)} after host`);
  } else {
    const i = host.lastIndexOf(':');
    if (i >= 0 && !validOptionalPort(host.slice(i))) throw new Error(`invalid port ${goQuote(host.slice(i))} after host`);
  }
  return unescape(host, 'host');
}

const validUserinfo = (s: string) => /^[A-Za-z0-9\-._:~!$&'()*+,;=%@]*$/.test(s);

function parseAuthority(authority: string): { user?: string; host: string } {
  const at = authority.lastIndexOf('@');
  const host = parseHost(at < 0 ? authority : authority.slice(at + 1));
  if (at < 0) return { host };
  const userinfo = authority.slice(0, at);
  if (!validUserinfo(userinfo)) throw new Error('net/url: invalid userinfo');
  const colon = userinfo.indexOf(':');
  if (colon < 0) return { host, user: escape(unescape(userinfo, 'userPassword'), 'userPassword') };
  const username = unescape(userinfo.slice(0, colon), 'userPassword');
  const password = unescape(userinfo.slice(colon + 1), 'userPassword');
  return { host, user: `${escape(username, 'userPassword')}:${escape(password, 'userPassword')}` };
}

/**
 * Go's url.ParseRequestURI: the whole text is a request target (no fragment), an absolute URL or an absolute path;
 * throws a GoURLError with Go's message when it fails (`parse "x": invalid URI for request`).
 */
export function parseGoRequestURI(rawURL: string): GoURL {
  try {
    return parseWithoutFragment(rawURL, true);
  } catch (e) {
    throw new GoURLError(`parse ${goQuote(rawURL)}: ${(e as Error).message}`);
  }
}

/** Go's url.Parse (not via a request); throws a GoURLError with Go's message when it fails. */
export function parseGoURL(rawURL: string): GoURL {
  const hash = rawURL.indexOf('#');
  const u = hash < 0 ? rawURL : rawURL.slice(0, hash);
  const frag = hash < 0 ? '' : rawURL.slice(hash + 1);
  const fail = (text: string, e: unknown): never => {
    throw new GoURLError(`parse ${goQuote(text)}: ${(e as Error).message}`);
  };
  let url: GoURL;
  try {
    url = parseWithoutFragment(u);
  } catch (e) {
    return fail(u, e);
  }
  try {
    url.fragment = frag ? unescape(frag, 'other') : '';
  } catch (e) {
    return fail(rawURL, e);
  }
  return url;
}

function parseWithoutFragment(raw: string, viaRequest = false): GoURL {
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(raw)) throw new Error('net/url: invalid control character in URL');
  if (raw === '' && viaRequest) throw new Error('empty url');
  const url: GoURL = { scheme: '', host: '', rawQuery: '', fragment: '', opaque: '', path: '', rawPath: '' };
  if (raw === '*') return (url.path = '*'), url;
  const [scheme, afterScheme] = splitScheme(raw);
  url.scheme = scheme.toLowerCase();
  let rest = afterScheme;
  if (rest.endsWith('?') && rest.split('?').length === 2) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) {
      url.rawQuery = rest.slice(q + 1);
      rest = rest.slice(0, q);
    }
  }
  if (!rest.startsWith('/')) {
    // A rootless path after a scheme is opaque: no host.
    if (url.scheme) return (url.opaque = rest), url;
    if (viaRequest) throw new Error('invalid URI for request');
    if (rest.split('/')[0].includes(':')) throw new Error('first path segment in URL cannot contain colon');
  }
  if ((url.scheme || (!viaRequest && !rest.startsWith('///'))) && rest.startsWith('//')) {
    let authority = rest.slice(2);
    const slash = authority.indexOf('/');
    rest = slash < 0 ? '' : authority.slice(slash);
    if (slash >= 0) authority = authority.slice(0, slash);
    const { user, host } = parseAuthority(authority);
    url.host = host;
    if (user !== undefined) url.user = user;
  }
  url.path = unescape(rest, 'path');
  url.rawPath = escape(url.path, 'path') === rest ? '' : rest;
  return url;
}

/** Go's validEncoded for a path: whether the text needs no escaping beyond what it has. */
function validEncodedPath(s: string): boolean {
  for (const ch of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(ch);
    if ("!$&'()*+,;=:@[]%".includes(c)) continue;
    if (ch >= 0x80 || shouldEscape(c, 'path')) return false;
  }
  return true;
}

/** Go's URL.EscapedPath: the path as written when it is a valid escaping of the path, else the path escaped. */
export function goEscapedPath(u: GoURL): string {
  if (u.rawPath && validEncodedPath(u.rawPath)) {
    try {
      if (unescape(u.rawPath, 'path') === u.path) return u.rawPath;
    } catch {
      // not a valid escaping: escape the path below
    }
  }
  return u.path === '*' ? '*' : escape(u.path, 'path');
}

/** Go's splitHostPort: the host without a valid `:port` and without the brackets of an IPv6 literal, and the port. */
export function goHostPort(u: GoURL): { hostname: string; port: string } {
  let hostname = u.host;
  let port = '';
  const colon = hostname.lastIndexOf(':');
  if (colon >= 0 && validOptionalPort(hostname.slice(colon))) [hostname, port] = [hostname.slice(0, colon), hostname.slice(colon + 1)];
  if (hostname.startsWith('[') && hostname.endsWith(']')) hostname = hostname.slice(1, -1);
  return { hostname, port };
}

/**
 * Go's URL.Query (url.ParseQuery, errors ignored): `&`-separated `key=value` pairs, `+` a space, `%XX` decoded; a
 * pair with `;` or a bad escape is left out.
 */
export function goQuery(u: GoURL): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const pair of u.rawQuery.split('&')) {
    if (pair === '' || pair.includes(';')) continue;
    const eq = pair.indexOf('=');
    let key: string, value: string;
    try {
      key = unescape((eq < 0 ? pair : pair.slice(0, eq)).replace(/\+/g, ' '), 'other');
      value = unescape(eq < 0 ? '' : pair.slice(eq + 1).replace(/\+/g, ' '), 'other');
    } catch {
      continue;
    }
    out.set(key, [...(out.get(key) ?? []), value]);
  }
  return out;
}
