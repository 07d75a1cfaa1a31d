/**
 * URLs parsed as Go's net/url.Parse parses them (the facts are Go's documented behaviour and its error texts), where
 * WHATWG's URL parser, Node's, would answer otherwise.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGoURL } from '../../runtime/machinery/go-url.ts';

describe("Go's url.Parse", () => {
  it('keeps an empty host after three slashes, and takes a bare host/path as a path', () => {
    assert.deepEqual(parseGoURL('https:///validate'), { scheme: 'https', host: '', rawQuery: '', fragment: '' });
    assert.deepEqual(parseGoURL('hooks.example.com/validate'), { scheme: '', host: '', rawQuery: '', fragment: '' });
    assert.deepEqual(parseGoURL('https:hooks.example.com'), { scheme: 'https', host: '', rawQuery: '', fragment: '' });
  });

  it('accepts any digits as a port, lower-cases the scheme only, and splits user, query and fragment', () => {
    assert.deepEqual(parseGoURL('HTTPS://Hooks.Example.com:99999/x'), { scheme: 'https', host: 'Hooks.Example.com:99999', rawQuery: '', fragment: '' });
    assert.deepEqual(parseGoURL('https://u:p%40ss@h.example.com/x?a=b#f%20g'), { scheme: 'https', host: 'h.example.com', user: 'u:p%40ss', rawQuery: 'a=b', fragment: 'f g' });
    assert.deepEqual(parseGoURL('https://h.example.com/?#'), { scheme: 'https', host: 'h.example.com', rawQuery: '', fragment: '' });
  });

  it("refuses what Go refuses, in Go's words", () => {
    const refused = (raw: string) => {
      try {
        parseGoURL(raw);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      }
    };
    assert.equal(refused('https://a b/'), 'parse "https://a b/": invalid character " " in host name');
    assert.equal(refused('https://h:8a/'), 'parse "https://h:8a/": invalid port ":8a" after host');
    assert.equal(refused('https://h/%zz'), 'parse "https://h/%zz": invalid URL escape "%zz"');
    assert.equal(refused(':nothing'), 'parse ":nothing": missing protocol scheme');
    assert.equal(refused('a:b/c'.replace('a:', '1a:')), 'parse "1a:b/c": first path segment in URL cannot contain colon');
    assert.equal(refused('https://h/\n'), 'parse "https://h/\\n": net/url: invalid control character in URL');
  });
});
