/**
 * The JavaScript fast path for Go patterns (runtime/machinery/go-regexp-fast.ts): which patterns take it (the CRD
 * shapes) and which stay on re2 (those a backtracking engine could take super-linear time on), and that on the
 * fast-path patterns it answers as re2 (Go's semantics) does over many generated texts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RE2JS } from '@bufbuild/re2';
import { fastGoRegExp } from '../../runtime/machinery/go-regexp-fast.ts';

// Shapes real CRDs use: DNS labels and subdomains, quantities, durations, enumerations, paths, semver-ish versions.
const fast: [string, string[]][] = [
  ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', ['my-app-1', 'a']],
  ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$', ['example.com', 'a-b.c-d.e']],
  ['^(\\d+)(m|Mi|Gi)?$', ['100Mi', '5']],
  ['^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti)?$', ['1.5Gi', '10']],
  ['^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$', ['1h30m', '2.5s100ms']],
  ['^(([0-9]+(\\.[0-9]+)?)(h|m|s|ms|us|ns))+$', ['1m1ms', '3us']],
  ['^(Always|Never|IfNotPresent)$', ['Always', 'IfNotPresent']],
  ['^v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.]+)?$', ['v1.2.3', 'v10.0.1-rc.1']],
  ['^[^/]+/[^/]+$', ['apps/v1', 'a😀/b']],
  ['^.*$', ['anything', 'a\rb']],
  ['^\\S+$', ['no-space', 'ab\u2028']],
  ['^[A-Z_][A-Z0-9_]*$', ['MY_VAR_1', '_X']],
  ['^[a-z]{2,5}-\\d{1,3}$', ['abc-12', 'ab-1']],
  ['^https?://[^\\s]+$', ['https://example.com/x', 'http://a']],
  ['^(ab+)+$', ['abbab', 'ab']],
  ['^\\$\\w+', ['$HOME', '$a b']],
  ['^[\\d\\s]*$', ['1 2\t3', '']],
  // Long ones from real CRDs, past the old caps of 24 positions and counts of 16.
  ['^([0-9]{1,5}(h|m|s|ms)){1,4}$', ['1h30m', '500ms', '1h2m3s4ms']], // Gateway API Duration
  ['^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$', ['example.com/MyName', 'tier']], // Gateway API label key
  ['^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$', ['my_value', '', '12345']], // label value
  ['^([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]{0,61}[a-zA-Z0-9])?$', ['k8s.io/app', 'name']], // qualified name
  ['^[0-9A-Fa-f]{8}(?:-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}$', ['0123abcd-4567-89ab-cdef-0123456789AB']], // Azure subscription id
  ['^[^/@]+/[^/@]+/\\.github/workflows/[^/@]+@(refs/heads/.+|refs/tags/.+|[0-9a-f]{40})$', ['o/r/.github/workflows/ci.yml@refs/heads/main']],
  ['^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$', ['2026-12-07T15:04:05Z', '2026-12-07T15:04:05.123+01:00']], // RFC 3339
  [
    '^(0|[1-9]\\d*)\\.(0|[1-9]\\d*)\\.(0|[1-9]\\d*)(?:-((?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\\.(?:0|[1-9]\\d*|\\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\\+([0-9a-zA-Z-]+(?:\\.[0-9a-zA-Z-]+)*))?$',
    ['1.2.3', '1.0.0-alpha.1+build.5', '10.20.30-rc.1'],
  ], // semver.org
  ['^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$', ['a.b-c.d', 'example.com']], // DNS-1123 subdomain
  ['^(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?$', ['30s', '1y2w3d4h5m6s7ms']], // Prometheus operator Duration
  ['^[a-zA-Z0-9._%+-]+@[a-zA-Z0-9.-]+\\.[a-zA-Z]{2,}$', ['a.b@example.com', 'x+y@a.io']],
];

// Nested or adjacent overlapping repeats, ambiguous empty readings, and what the gate does not read.
const slow = [
  '^(a+)+$', '^(a+)*$', '^(a|aa)*$', '^(a|a)*$', '^\\d+\\d+$', '^[a-z]*[a-z]*x$', '^(b?|c?)d*$', '^(a*)*$',
  '^(.*a){3}$', '^.*foo.*$', '^(a|b)*(a|b)*$', '^(\\w+\\s?)+$',
  // finitely but too ambiguous (2^12 readings of a^12, 31 of a^30), and past the position cap once unrolled
  '^(a|a){12}$', '^[a-z]{0,30}[a-z]{0,30}$', '^(a{0,100}){0,100}$',
  // unanchored, anchored alternatives, flags, classes and escapes the gate leaves to re2
  'abc', '^a|b$', '(?i)^abc$', '^\\pL+$', '^[[:alpha:]]+$', '^\\bfoo$', '^(?P<n>a)$', '^a{,3}$', '^é+$',
];

describe('Go patterns on the JavaScript fast path', () => {
  for (const [p] of fast) it(`takes ${p}`, () => assert.ok(fastGoRegExp(p), p));
  for (const p of slow) it(`leaves ${p} to re2`, () => assert.equal(fastGoRegExp(p), undefined, p));

  it('answers as re2 does on generated texts, for every fast-path pattern', () => {
    // A seeded generator (xorshift), so a failure repeats; the alphabet takes each pattern's own characters and the
    // ones Go and JavaScript read differently (\n, \r, \v, U+2028, non-ASCII letters and digits, astral runes).
    let seed = 0x2545f491;
    const rand = (n: number) => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    const extra = ['\n', '\r', '\v', '\t', ' ', '\u2028', 'é', 'K', '٣', '😀', '.', '-', '/', '_', '0', '9', 'a', 'z', 'A', 'Z'];
    // Each text is an example that matches, or a random text, changed at a few random places.
    const mutate = (text: string, alphabet: string[]): string => {
      const chars = [...text];
      for (let n = rand(4); n > 0; n--) {
        const at = rand(chars.length + 1);
        const op = rand(3);
        if (op === 0) chars.splice(at, 0, alphabet[rand(alphabet.length)]);
        else if (op === 1) chars.splice(at, 1);
        else chars[at] = alphabet[rand(alphabet.length)];
      }
      return chars.join('');
    };
    let compared = 0;
    let matched = 0;
    for (const [p, examples] of fast) {
      const js = fastGoRegExp(p)!;
      const re2 = RE2JS.compile(p);
      const alphabet = [...new Set([...p.replace(/[\\^$()[\]{}|*+?]/g, ''), ...extra])];
      for (let k = 0; k < 3000; k++) {
        let text = k % 2 === 0 ? examples[rand(examples.length)] : '';
        if (k % 2 === 1) for (let i = rand(12); i > 0; i--) text += alphabet[rand(alphabet.length)];
        if (k % 5 !== 0) text = mutate(text, alphabet);
        const want = re2.test(text);
        assert.equal(js.test(text), want, `${p} on ${JSON.stringify(text)}`);
        compared++;
        if (want) matched++;
      }
    }
    assert.equal(compared, fast.length * 3000);
    // Both answers occur often enough for the comparison to mean something.
    assert.ok(matched > compared / 10 && matched < compared * 0.9, `${matched} of ${compared} matched`);
  });
});
