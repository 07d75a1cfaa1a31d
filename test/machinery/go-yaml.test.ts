/**
 * YAML answers as kube-apiserver writes them: sigs.k8s.io/yaml v1.4.0's JSONToYAML (go-yaml v2 reads the JSON into
 * untyped Go values, then marshals them). Expectations from go-yaml v2's own encode tests (goyaml.v2/encode_test.go
 * in sigs.k8s.io/yaml v1.4.0: marshalTests, TestSortedOutput), written here as the JSON that yields those values,
 * and from its emitter's rules (emitterc.go: folding past column 80, block scalars' chomping indicators).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { jsonToYaml } from '../../runtime/machinery/go-yaml/index.ts';

const yaml = (v: unknown) => jsonToYaml(JSON.stringify(v));

describe('YAML answers as go-yaml v2 writes them', () => {
  it('writes scalars as go-yaml v2 does (its encode tests)', () => {
    const cases: [unknown, string][] = [
      [{}, '{}\n'],
      [{ v: 'hi' }, 'v: hi\n'],
      [{ v: 'true' }, 'v: "true"\n'],
      [{ v: 'false' }, 'v: "false"\n'],
      [{ v: true }, 'v: true\n'],
      [{ v: 10 }, 'v: 10\n'],
      [{ v: -10 }, 'v: -10\n'],
      [{ v: 4294967296 }, 'v: 4294967296\n'],
      [{ v: '10' }, 'v: "10"\n'],
      [{ v: 0.1 }, 'v: 0.1\n'],
      [{ v: -0.1 }, 'v: -0.1\n'],
      [{ v: null }, 'v: null\n'],
      [{ v: '' }, 'v: ""\n'],
      [{ v: ['A', 'B'] }, 'v:\n- A\n- B\n'],
      [{ v: ['A', 'B\nC'] }, 'v:\n- A\n- |-\n  B\n  C\n'],
      [{ v: ['A', 1, { B: [2, 3] }] }, 'v:\n- A\n- 1\n- B:\n  - 2\n  - 3\n'],
      [{ a: { b: 'c' } }, 'a:\n  b: c\n'],
      [{ a: '-' }, "a: '-'\n"],
      [{ a: '<foo>' }, 'a: <foo>\n'],
      [{ a: '1:1' }, 'a: "1:1"\n'],
      [{ a: '\u0000' }, 'a: "\\0"\n'],
      [{ a: '你好' }, 'a: 你好\n'],
      [{ a: '2015-02-24T18:19:39Z' }, 'a: "2015-02-24T18:19:39Z"\n'],
      [{ a: 'b: c' }, "a: 'b: c'\n"],
      [{ a: 'Hello #comment' }, "a: 'Hello #comment'\n"],
      [{ a: '你好 #comment' }, "a: '你好 #comment'\n"],
    ];
    for (const [value, want] of cases) assert.equal(yaml(value), want, JSON.stringify(value));
  });

  it('sorts string keys as go-yaml v2 does: digit runs by value, non-letters before letters (TestSortedOutput)', () => {
    const order = ['', '.1', '.2', '.a', '1', '2', 'a!10', 'a/0001', 'a/002', 'a/3', 'a/10', 'a/11', 'a/0012', 'a/100', 'a~10', 'ab/1', 'b/1', 'b/01', 'b/2', 'b/02', 'b/3', 'b/03', 'b1', 'b01', 'b3', 'c2.10', 'c10.2', 'd1', 'd7', 'd7abc', 'd12', 'd12a'];
    const shuffled = [...order].reverse();
    const out = yaml(Object.fromEntries(shuffled.map((k) => [k, 1])));
    const keys = out.trimEnd().split('\n').map((l) => l.slice(0, l.lastIndexOf(':')).replace(/^"(.*)"$/, '$1'));
    assert.deepEqual(keys, order);
  });

  it('gives each number the Go type its JSON text reads as: int64, then uint64, then float64 (%g, shortest)', () => {
    const json = '{"a":9223372036854775807,"b":-9223372036854775808,"c":18446744073709551615,"d":18446744073709551616,"e":1.0,"f":1e21,"g":0.00001,"h":123456.5,"i":1234567.5,"j":1e400}';
    assert.equal(jsonToYaml(json), [
      'a: 9223372036854775807', 'b: -9223372036854775808', 'c: 18446744073709551615', 'd: 1.8446744073709552e+19',
      'e: 1', 'f: 1e+21', 'g: 1e-05', 'h: 123456.5', 'i: 1.2345675e+06', 'j: 1e400', '',
    ].join('\n'));
  });

  it('quotes strings that go-yaml would read back as something else, and only those', () => {
    const out = yaml({ a: 'yes', b: 'on', c: 'y', d: '~', e: '1e3', f: '0x1F', g: '1_000', h: '2024-01-02', i: '10:30', j: '.5', k: 'no way', l: '1.2.3', m: '+', n: '2024-13-01' });
    assert.equal(out, 'a: "yes"\nb: "on"\nc: "y"\nd: "~"\ne: "1e3"\nf: "0x1F"\ng: "1_000"\nh: "2024-01-02"\ni: "10:30"\nj: ".5"\nk: no way\nl: 1.2.3\nm: +\n"n": 2024-13-01\n');
  });

  it('single-quotes what may not be plain, double-quotes what may not be single-quoted', () => {
    const out = yaml({ a: ' lead', b: 'trail ', c: '*star', d: "it's", e: "'q'", f: 'tab\there', g: '😀', h: '- item', i: '--- doc' });
    assert.equal(out, `a: ' lead'\nb: 'trail '\nc: '*star'\nd: it's\ne: '''q'''\nf: "tab\\there"\ng: "\\U0001F600"\nh: '- item'\ni: '--- doc'\n`);
  });

  it('writes multi-line strings as literal blocks with their chomping indicator', () => {
    assert.equal(yaml({ a: 'x\ny\n' }), 'a: |\n  x\n  y\n');
    assert.equal(yaml({ a: 'x\ny' }), 'a: |-\n  x\n  y\n');
    assert.equal(yaml({ a: 'x\n\n' }), 'a: |+\n  x\n\n');
    assert.equal(yaml({ a: ' x\n' }), 'a: |2\n   x\n');
    // A space before a line break rules out a block scalar: double quotes, with the break escaped.
    assert.equal(yaml({ a: 'x \ny' }), 'a: "x \\ny"\n');
  });

  it('folds long plain and quoted strings at the first space past column 80', () => {
    const words = 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';
    assert.equal(yaml({ metadata: { annotations: { long: words } } }),
      'metadata:\n  annotations:\n    long: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod\n      tempor incididunt ut labore et dolore magna aliqua.\n');
    assert.equal(yaml({ q: `${words} #x` }),
      "q: 'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor\n  incididunt ut labore et dolore magna aliqua. #x'\n");
  });

  it('lines a mapping\'s sequence up with its keys and writes empty collections in flow style', () => {
    assert.equal(yaml({ items: [{ a: [], b: {} }, [1, [2]]] }), 'items:\n- a: []\n  b: {}\n- - 1\n  - - 2\n');
  });

  it('writes keys longer than 128 bytes as complex keys', () => {
    const key = 'k'.repeat(129);
    assert.equal(yaml({ [key]: 'v' }), `? ${key}\n: v\n`);
  });
});
