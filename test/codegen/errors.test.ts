/**
 * A mistake in apis/ fails the generator with the file, the line and what is wrong — never a stack trace, and
 * every mistake of a run at once.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generate } from '../../codegen/generate.ts';
import { apisTree } from './support.ts';

const header = `import type { ObjectMeta, int32 } from '../../meta/v1/types.ts';\n`;

function kind(body: string, kindTags = '@resource gadgets'): string {
  return `${header}
/**
 * A gadget.
 * ${kindTags}
 */
export interface Gadget {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
${body}
}
`;
}

function errorsFor(files: Record<string, string>): string[] {
  const tree = apisTree(files);
  try {
    const result = generate(tree.root);
    assert.equal(result.ok, false, 'the generator should have failed');
    return result.ok ? [] : result.errors.map((e) => e.message);
  } finally {
    tree.cleanup();
  }
}

describe('generator errors', () => {
  it('names an unknown field tag with file and line', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  /**\n   * @sizeLimit 3\n   */\n  size?: int32;') });
    assert.deepEqual(errors, ['apis/example.dev/v1/gadget.ts:12: unknown tag @sizeLimit on a field (see shared/design/markers.md for the tags a field may carry)']);
  });

  it('refuses a tag on a type it does not apply to', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  /**\n   * @minimum 3\n   */\n  name?: string;') });
    assert.equal(errors.length, 1);
    assert.match(errors[0], /^apis\/example\.dev\/v1\/gadget\.ts:12: @minimum does not apply to a field of type string/);
  });

  it('refuses Go shape tags where Go has no such shape', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  /**\n   * @pointer\n   */\n  names?: string[];\n  /**\n   * @alwaysWritten yes\n   */\n  size?: int32;') });
    assert.deepEqual(errors, [
      "apis/example.dev/v1/gadget.ts:12: @pointer does not apply to a list: Go's slices and maps are nil without one",
      'apis/example.dev/v1/gadget.ts:16: @alwaysWritten takes no value, got "yes"',
    ]);
  });

  it('refuses @openEnum on a field whose type lists no values', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind("  /**\n   * @openEnum\n   */\n  phase?: string;\n  /**\n   * @openEnum\n   */\n  usages?: ('a' | 'b')[];") });
    assert.deepEqual(errors, ["apis/example.dev/v1/gadget.ts:12: @openEnum applies only to a union of string literals (or a list of one): write the known values as the field's type"]);
  });

  it('refuses a @default that is not JSON', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  /**\n   * @default Opaque\n   */\n  type?: string;') });
    assert.match(errors[0], /gadget\.ts:12: @default expects a JSON value, got "Opaque"/);
  });

  it('refuses an unknown type', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  spec?: Date;') });
    assert.match(errors[0], /gadget\.ts:11: /);
    assert.match(errors[0], /Date/);
  });

  it('refuses a bad scope and an unknown kind tag', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('', '@resource gadgets\n * @scope Global\n * @colour blue') });
    assert.deepEqual(errors.map((e) => e.replace(/:\d+:/, ':N:')), [
      'apis/example.dev/v1/gadget.ts:N: @scope must be Namespaced or Cluster, got "Global"',
      'apis/example.dev/v1/gadget.ts:N: unknown tag @colour on kind Gadget (see shared/design/markers.md)',
    ]);
  });

  it('refuses a hook that names no type', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind(''),
      'apis/example.dev/v1/defaults.ts': 'export function setDefaults_Gizmo(obj: unknown): void {}\n',
    });
    assert.deepEqual(errors, ['apis/example.dev/v1/defaults.ts:1: setDefaults_Gizmo names no type declared in apis/example.dev/v1']);
  });

  it('refuses a hook with a wrong name', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind(''),
      'apis/example.dev/v1/validation.ts': 'export function check_Gadget(obj: unknown) { return []; }\n',
    });
    assert.deepEqual(errors, ['apis/example.dev/v1/validation.ts:1: exported function check_Gadget in validation.ts must be named validate_<Type> or validateUpdate_<Type>']);
  });

  it('refuses a computed column without its printer, and a printer without its column', () => {
    const missing = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('', '@resource gadgets\n * @printColumn Health string health()') });
    assert.match(missing[0], /gadget\.ts:\d+: @printColumn Health of Gadget is computed by print_Gadget_health, which apis\/example\.dev\/v1\/printers\.ts does not export/);
    const orphan = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind(''),
      'apis/example.dev/v1/printers.ts': 'export function print_Gadget_size(obj: unknown) { return 1; }\n',
    });
    assert.deepEqual(orphan, ['apis/example.dev/v1/printers.ts:1: print_Gadget_size computes no column: give a kind in apis/example.dev/v1 @printColumn <name> <type> size()']);
  });

  it('refuses a repeated protobuf number and a partly numbered struct', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('  /** @protobuf 2 */\n  a?: string;\n  /** @protobuf 2 */\n  b?: string;\n  c?: string;') });
    assert.ok(errors.some((e) => /gadget\.ts:\d+: Gadget\.metadata has no @protobuf number/.test(e)));
    assert.ok(errors.some((e) => /gadget\.ts:\d+: Gadget\.b repeats @protobuf 2 of a/.test(e)));
    assert.ok(errors.some((e) => /Gadget\.c has no @protobuf number/.test(e)));
  });

  it('reports every mistake of a run together', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind('  /** @maxLength x */\n  a?: string;\n  /** @listType bag */\n  b?: string[];'),
    });
    assert.equal(errors.length, 2);
  });

  it('refuses a kind missing from the storage version', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind('', '@resource gadgets\n * @storageVersion'),
      'apis/example.dev/v2/other.ts': `${header}\n/**\n * Other.\n * @resource others\n */\nexport interface Other {\n  apiVersion?: string;\n  kind?: string;\n  metadata?: ObjectMeta;\n}\n`,
    });
    assert.match(errors[0], /apis\/example\.dev\/v2\/other\.ts:\d+: kind Other is served in v2 but not in the storage version v1/);
  });

  it('refuses a value type whose shapes a decoder could not tell apart, and a tag on a value type', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind('  choice?: Choice;').replace(header, `${header}import type { Choice } from './choice.ts';\n`),
      'apis/example.dev/v1/choice.ts': `/**\n * Two objects.\n * @minimum 1\n */\nexport type Choice = Part | Record<string, string>;\n\n/** A part. */\nexport interface Part {\n  name?: string;\n}\n`,
    });
    assert.deepEqual(errors.map((e) => e.replace(/:\d+:/, ':N:')), [
      'apis/example.dev/v1/choice.ts:N: unknown tag @minimum on value type Choice (see shared/design/markers.md)',
      'apis/example.dev/v1/choice.ts:N: value type Choice has 2 shapes that are a JSON object; each shape of a union must be a different JSON type',
    ]);
  });

  it('refuses a subresource body that is not declared, unknown subresource verbs, and a value on @noAgeColumn', () => {
    const errors = errorsFor({
      'apis/example.dev/v1/gadget.ts': kind('', '@resource gadgets\n * @subresource poke example.dev/v1 Missing create\n * @subresource tune example.dev/v1 Gadget get,list\n * @noAgeColumn yes'),
    });
    assert.deepEqual(errors.map((e) => e.replace(/:\d+:/, ':N:')).sort(), [
      'apis/example.dev/v1/gadget.ts:N: @noAgeColumn takes no argument, got "yes"',
      'apis/example.dev/v1/gadget.ts:N: @subresource poke of Gadget names example.dev/v1 Missing, which is neither a @subresourceKind or kind in apis/ nor Gadget itself',
      'apis/example.dev/v1/gadget.ts:N: @subresource tune has unsupported verbs list (known: create, delete, get, update, patch)',
    ]);
  });

  it('refuses a @metadataOnUpdate other than full, update or none', () => {
    const errors = errorsFor({ 'apis/example.dev/v1/gadget.ts': kind('', '@resource gadgets\n * @metadataOnUpdate partial') });
    assert.deepEqual(errors.map((e) => e.replace(/:\d+:/, ':N:')), ['apis/example.dev/v1/gadget.ts:N: @metadataOnUpdate must be full, update or none, got "partial"']);
  });
});
