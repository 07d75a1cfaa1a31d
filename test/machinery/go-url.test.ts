/**
 * URLs parsed as Go's net/url.Parse parses them (the facts are Go's documented behaviour and its error texts), where
 * WHATWG's URL parser, Node's, would answer otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { goEscapedPath, goHostPort, goQuery, hasBadPathEscape, parseGoRequestURI, parseGoURL, pathUnescape } from '../../runtime/machinery/go-url.ts';
import { goQuote } from '../../runtime/machinery/gofmt.ts';

/** The error text of parsing with `parse`, or undefined when it parses. */
const refusal = (parse: (raw: string) => unknown) => (raw: string) => {
  try {
    parse(raw);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
};

describe("Go's url.Parse", () => {
  it('keeps an empty host after three slashes, and takes a bare host/path as a path', () => {
    const none = { rawQuery: '', fragment: '', opaque: '', rawPath: '' };
    assert.deepEqual(parseGoURL('https:///validate'), { ...none, scheme: 'https', host: '', path: '/validate' });
    assert.deepEqual(parseGoURL('hooks.example.com/validate'), { ...none, scheme: '', host: '', path: 'hooks.example.com/validate' });
    assert.deepEqual(parseGoURL('https:hooks.example.com'), { ...none, scheme: 'https', host: '', opaque: 'hooks.example.com', path: '' });
  });

  it('accepts any digits as a port, lower-cases the scheme only, and splits user, query and fragment', () => {
    const none = { rawQuery: '', fragment: '', opaque: '', rawPath: '' };
    assert.deepEqual(parseGoURL('HTTPS://Hooks.Example.com:99999/x'), { ...none, scheme: 'https', host: 'Hooks.Example.com:99999', path: '/x' });
    assert.deepEqual(parseGoURL('https://u:p%40ss@h.example.com/x?a=b#f%20g'), { ...none, scheme: 'https', host: 'h.example.com', user: 'u:p%40ss', rawQuery: 'a=b', fragment: 'f g', path: '/x' });
    assert.deepEqual(parseGoURL('https://h.example.com/?#'), { ...none, scheme: 'https', host: 'h.example.com', path: '/' });
  });

  it("refuses what Go refuses, in Go's words", () => {
    const refused = refusal(parseGoURL);
    assert.equal(refused('https://a b/'), 'parse "https://a b/": invalid character " " in host name');
    assert.equal(refused('https://h:8a/'), 'parse "https://h:8a/": invalid port ":8a" after host');
    assert.equal(refused('https://h/%zz'), 'parse "https://h/%zz": invalid URL escape "%zz"');
    assert.equal(refused(':nothing'), 'parse ":nothing": missing protocol scheme');
    assert.equal(refused('a:b/c'.replace('a:', '1a:')), 'parse "1a:b/c": first path segment in URL cannot contain colon');
    assert.equal(refused('https://h/\n'), 'parse "https://h/\\n": net/url: invalid control character in URL');
  });
});

describe("Go's url.ParseRequestURI and the URL's accessors", () => {
  const refused = refusal(parseGoRequestURI);
  it('takes an absolute URL or path; a rootless text after a scheme is opaque', () => {
    assert.deepEqual(parseGoRequestURI('https:://kubernetes.io/'), { scheme: 'https', host: '', rawQuery: '', fragment: '', opaque: '://kubernetes.io/', path: '', rawPath: '' });
    assert.equal(refused('kubernetes.io/docs'), 'parse "kubernetes.io/docs": invalid URI for request');
    assert.equal(refused(''), 'parse "": empty url');
    // Via a request, `//x` is a path, not a host.
    assert.equal(parseGoRequestURI('//x/y').host, '');
    assert.equal(refused('/#%zz'), 'parse "/#%zz": invalid URL escape "%zz"');
  });
  it('splits host and port, escapes the path as EscapedPath does, reads the query as ParseQuery', () => {
    assert.deepEqual(goHostPort(parseGoURL('https://[::1]:8443/')), { hostname: '::1', port: '8443' });
    assert.deepEqual(goHostPort(parseGoURL('https://h:/')), { hostname: 'h', port: '' });
    assert.equal(goEscapedPath(parseGoURL('https://h/a%2Fb')), '/a%2Fb');
    assert.equal(goEscapedPath(parseGoURL('https://h/a b')), '/a%20b');
    assert.equal(goEscapedPath(parseGoURL('https://h/a%20b')), '/a%20b');
    assert.equal(goEscapedPath(parseGoURL('https://h/é')), '/%C3%A9');
    assert.deepEqual(goQuery(parseGoURL('/p?x=1&y=a+b&x=2&z=%zz&w;v=1')), new Map([['x', ['1', '2']], ['y', ['a b']]]));
  });
});

describe("Go's url.PathUnescape, as its server fills URL.Path", () => {
  it('decodes escapes that are no UTF-8 to their bytes, each invalid byte on its own as utf8.DecodeRune reads it', () => {
    // Quoted, as a 403 or 404 shows them: strconv.Quote writes each such byte as \xNN.
    const cases: [string, string][] = [
      ['/foo%ff', String.raw`"/foo\xff"`],
      ['/a%e6%97%a5%FF%20b', String.raw`"/a日\xff b"`],
      ['/x%ed%a0%80', String.raw`"/x\xed\xa0\x80"`], // an encoded surrogate
      ['/x%c0%af', String.raw`"/x\xc0\xaf"`], // an overlong slash
      ['/x%f4%90%80%80', String.raw`"/x\xf4\x90\x80\x80"`], // past U+10FFFF
      ['/x%f0%9f%98%80%c3', String.raw`"/x😀\xc3"`], // a sequence cut short
      ['/a%2Fb%C3%A9', '"/a/bé"'],
    ];
    for (const [path, quoted] of cases) assert.equal(goQuote(pathUnescape(path)), quoted, path);
  });

  it('finds the bad escape Go refuses in a target, in its path only', () => {
    for (const target of ['/foo%zz', '/foo%', '/a%2', '/a%2?x=1']) assert.equal(hasBadPathEscape(target), true, target);
    for (const target of ['/foo', '/a%20b', '/a?x=%zz', '/a%ff?%']) assert.equal(hasBadPathEscape(target), false, target);
  });
});
