/**
 * Go's names for the declared types, as Go's reflection prints them (`int32`, `[]v1.Container`,
 * `map[string]string`, `v1.ObjectMeta`, `resource.Quantity`): kube-apiserver's JSON decoder names them in its errors
 * (`json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32`). Most names follow
 * from the declarations; the rest (named types such as `v1.Protocol`, `types.UID`, `v1.ResourceList`, and Go struct
 * names that differ from ours) are facts recorded in `apis/<group>/<version>/gotypes.ts`
 * (`scripts/go-type-facts.ts` writes them from upstream's types).
 */
import type { Diagnostics } from './errors.ts';
import type { ApiModel, FieldModel, TypeRef } from './model.ts';
import { structKey } from './model.ts';

/** The facts of one group version: Go's type of `<Struct>.<field>` (and `.elem` levels), Go's name of a struct. */
export interface GoTypeFacts {
  fields: Record<string, string>;
  structs: Record<string, string>;
}

export const noGoTypeFacts: GoTypeFacts = { fields: {}, structs: {} };

/** Go's package name of a group version (the last element of its import path: `k8s.io/api/apps/v1` is `v1`). */
export function goPackageName(_group: string, version: string): string {
  return version;
}

/** The Go struct name of a declared struct (its own name unless the facts say otherwise). */
export function goStructName(model: ApiModel, ref: { group: string; version: string; name: string }): string {
  const gv = model.groupVersions.find((g) => g.group === ref.group && g.version === ref.version);
  return gv?.goTypes?.structs[ref.name] ?? ref.name;
}

const wellKnown: Record<string, string> = { Time: 'v1.Time', MicroTime: 'v1.MicroTime', Quantity: 'resource.Quantity', IntOrString: 'intstr.IntOrString' };

/**
 * The Go type a value of `ref` decodes into, as reflection prints it, derived from the declaration alone.
 * `bytes`: the field is `@format byte` (Go's []byte, printed `[]uint8`; on a map, its values).
 */
export function derivedGoType(model: ApiModel, ref: TypeRef, bytes = false): string {
  switch (ref.kind) {
    case 'string':
      return bytes ? '[]uint8' : 'string';
    case 'integer':
      return ref.format;
    case 'number':
      return 'float64';
    case 'boolean':
      return 'bool';
    case 'array':
      return `[]${derivedGoType(model, ref.items, bytes)}`;
    case 'map':
      return `map[string]${derivedGoType(model, ref.values, bytes)}`;
    case 'struct':
      return `${goPackageName(ref.group, ref.version)}.${goStructName(model, ref)}`;
    case 'wellKnown':
      return wellKnown[ref.name];
    case 'any':
      return 'interface {}';
  }
}

/** Go's type of a field and of its elements, level by level: `[field, elem, elem.elem, ...]` as far as `ref` nests. */
export function fieldGoTypes(model: ApiModel, struct: { group: string; version: string; name: string }, field: FieldModel): string[] {
  const gv = model.groupVersions.find((g) => g.group === struct.group && g.version === struct.version);
  const facts = gv?.goTypes?.fields ?? {};
  // An embedded field is its own struct's, whose facts are kept under that struct's name.
  const owner = field.embeddedFrom ? model.structs.get(field.embeddedFrom) : undefined;
  const ownerFacts = owner ? (model.groupVersions.find((g) => g.group === owner.group && g.version === owner.version)?.goTypes?.fields ?? {}) : facts;
  const base = `${owner?.name ?? struct.name}.${field.name}`;
  const bytes = field.tags.format === 'byte';
  const out: string[] = [];
  let ref: TypeRef | undefined = field.type;
  let key = base;
  while (ref) {
    out.push(ownerFacts[key] ?? derivedGoType(model, ref, bytes));
    ref = ref.kind === 'array' ? ref.items : ref.kind === 'map' ? ref.values : undefined;
    key += '.elem';
  }
  return out;
}

export function structModelKey(s: { group: string; version: string; name: string }): string {
  return structKey(s.group, s.version, s.name);
}

/** Every fact names a declared struct (and field) of its group version. */
export function checkGoTypeFacts(model: ApiModel, diag: Diagnostics): void {
  for (const gv of model.groupVersions) {
    if (!gv.goTypes) continue;
    const at = { file: `apis/${gv.dir}/gotypes.ts`, line: 1 };
    const structs = new Map(gv.structs.map((s) => [s.name, s]));
    for (const key of Object.keys(gv.goTypes.fields)) {
      const [struct, field] = key.split('.');
      if (!structs.get(struct)?.fields.some((f) => f.name === field)) diag.error(at, `goTypes names ${struct}.${field}, which apis/${gv.dir} does not declare`);
    }
    for (const name of Object.keys(gv.goTypes.structs)) if (!structs.has(name)) diag.error(at, `goStructNames names ${name}, which apis/${gv.dir} does not declare`);
  }
}
