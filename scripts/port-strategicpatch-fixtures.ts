/**
 * Writes test/patch/fixtures/strategic-merge-cases.json from the test tables of upstream's
 * k8s.io/apimachinery/pkg/util/strategicpatch (a git mirror; default /work/.mirror/kubernetes+apimachinery/repo
 * at v0.32.1). Only the inputs and expected results of patch *application* are kept: the object, the patch, and
 * the object (or error) it must produce. Run again to refresh; the JSON is what the tests read.
 *
 *   npx tsx scripts/port-strategicpatch-fixtures.ts [mirror-git-dir] [tag]
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const repo = process.argv[2] ?? '/work/.mirror/kubernetes+apimachinery/repo';
const tag = process.argv[3] ?? 'v0.32.1';
const src = execFileSync('git', ['-C', repo, 'show', `${tag}:pkg/util/strategicpatch/patch_test.go`], { encoding: 'utf8', maxBuffer: 1 << 26 });

// sigs.k8s.io/yaml reads YAML 1.1 (yes/no are booleans), as the Go tests did.
const yaml = (text: string) => parse(text, { version: '1.1' }) ?? null;

/** The text between `var <name> = []byte(\`` and the closing backtick. */
function byteVar(name: string): string {
  const start = src.indexOf(`var ${name} = []byte(\``);
  if (start < 0) throw new Error(`no ${name} in patch_test.go`);
  const from = src.indexOf('`', start) + 1;
  return src.slice(from, src.indexOf('`', from));
}

/** The Go literal of `var <name> = []StrategicMergePatchRawTestCase{ ... }` split into its cases. */
function rawCases(name: string) {
  const start = src.indexOf(`var ${name} = []StrategicMergePatchRawTestCase{`);
  if (start < 0) throw new Error(`no ${name} in patch_test.go`);
  const end = src.indexOf('\n}\n', start);
  const body = src.slice(start, end);
  return body
    .split(/\n\t\{\n\t\tDescription: /)
    .slice(1)
    .map((chunk) => {
      const description = JSON.parse(/^("(?:[^"\\]|\\.)*")/.exec(chunk)![1]);
      const c: Record<string, unknown> = { description };
      for (const m of chunk.matchAll(/\t(Original|Modified|Current|TwoWay|ThreeWay|Result|TwoWayResult): \[\]byte\(`([^`]*)`\)/g)) {
        c[m[1][0].toLowerCase() + m[1].slice(1)] = yaml(m[2]);
      }
      const err = /ExpectedError: ("(?:[^"\\]|\\.)*")/.exec(chunk);
      if (err) c.expectedError = JSON.parse(err[1]);
      return c;
    });
}

/** `TestUnknownField`'s table: applying its expected patches to its objects. */
function unknownFieldCases() {
  const start = src.indexOf('func TestUnknownField(');
  const body = src.slice(start, src.indexOf('\n\tmergeItemOpenapiSchema', start));
  return body
    .split(/\n\t\t"/)
    .slice(1)
    .map((chunk) => {
      const description = chunk.slice(0, chunk.indexOf('"'));
      const field = (name: string) => {
        const m = new RegExp(`\\t${name}:\\s+\`([^\`]*)\``).exec(chunk);
        return m ? JSON.parse(m[1]) : undefined;
      };
      return {
        description,
        original: field('Original'),
        current: field('Current'),
        twoWay: field('ExpectedTwoWay'),
        twoWayResult: field('ExpectedTwoWayResult'),
        threeWay: field('ExpectedThreeWay'),
        result: field('ExpectedThreeWayResult'),
      };
    })
    .filter((c) => c.twoWay !== undefined);
}

const out = {
  source: `k8s.io/apimachinery ${tag} pkg/util/strategicpatch/patch_test.go`,
  /** Cases whose lists upstream compares after sorting merging lists by merge key. */
  sorted: [...(yaml(byteVar('customStrategicMergePatchTestCaseData')).testCases as unknown[]), ...(yaml(byteVar('createStrategicMergePatchTestCaseData')).testCases as unknown[])],
  /** Cases compared exactly, list order included. */
  exact: [...rawCases('customStrategicMergePatchRawTestCases'), ...rawCases('strategicMergePatchRawTestCases'), ...rawCases('replaceRawExtensionPatchTestCases')],
  /** Cases with fields the schema does not declare. */
  unknownFields: unknownFieldCases(),
};
writeFileSync('test/patch/fixtures/strategic-merge-cases.json', `${JSON.stringify(out, null, 1)}\n`);
console.log(`sorted: ${out.sorted.length}, exact: ${out.exact.length}, unknownFields: ${out.unknownFields.length}`);
