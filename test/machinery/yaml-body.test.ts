import { test } from 'node:test';
import assert from 'node:assert/strict';
import { maxYamlDepth, parseYamlBody, yamlDepthExceeds, YamlBodyError } from '../../runtime/machinery/yaml-body.ts';

test('nesting is counted from flow collections, indentation and sequence entries', () => {
  const flow = (d: number) => `x: ${'['.repeat(d)}${']'.repeat(d)}`;
  assert.equal(yamlDepthExceeds(flow(400), maxYamlDepth), false);
  assert.equal(yamlDepthExceeds(flow(600), maxYamlDepth), true);
  let block = '';
  for (let i = 0; i < 600; i++) block += `${' '.repeat(i)}a:\n`;
  assert.equal(yamlDepthExceeds(block, maxYamlDepth), true);
  assert.equal(yamlDepthExceeds(`${'- '.repeat(600)}x`, maxYamlDepth), true);
  // Brackets inside quoted strings and comments do not nest; a quote inside a plain value opens nothing.
  assert.equal(yamlDepthExceeds(`a: "${'['.repeat(600)}"\nb: '${'{'.repeat(600)}'\n# ${'['.repeat(600)}\n`, maxYamlDepth), false);
  assert.equal(yamlDepthExceeds(`a: it's ${'['.repeat(600)}`, maxYamlDepth), true);
});

test('a body nested too deep is refused before the parser sees it, with Go\'s words', () => {
  assert.throws(() => parseYamlBody(`x: ${'['.repeat(20000)}${']'.repeat(20000)}`), (e: Error) => e instanceof YamlBodyError && e.message === `yaml: exceeded max depth of ${maxYamlDepth}`);
  assert.deepEqual(parseYamlBody(`x: ${'['.repeat(300)}${']'.repeat(300)}`).value, { x: JSON.parse(`${'['.repeat(300)}${']'.repeat(300)}`) });
});

test('repeated keys are refused by default, or reported by line with the last value kept', () => {
  const text = 'a: 1\nb:\n  c: 2\n  c: 3\n"a": 4\n';
  assert.throws(() => parseYamlBody(text), YamlBodyError);
  assert.deepEqual(parseYamlBody(text, { reportDuplicates: true }), {
    value: { a: 4, b: { c: 3 } },
    duplicates: ['line 4: key "c" already set in map', 'line 5: key "a" already set in map'],
  });
  assert.deepEqual(parseYamlBody('a: yes', { version: '1.1' }).value, { a: true });
});

test('a repeated key is named at the line of its value, after the repeats inside that value', () => {
  // Go's decoder reports a repeated key once its value is decoded, at the line the value node starts: a block
  // map starts at its first key.
  const text = 'data:\n  a: 1\ndata:\n  b: 2\n  b: 3\nc: [1]\n';
  assert.deepEqual(parseYamlBody(text, { reportDuplicates: true }).duplicates, ['line 5: key "b" already set in map', 'line 4: key "data" already set in map']);
});
