/**
 * The alpha JSON annotations upstream decodes with Go's standard encoding/json before validating them: a node's
 * taints (`[]core.Taint`) and preferAvoidPods (`v1.AvoidPods`), a pod's tolerations (`[]core.Toleration`). The
 * internal core types carry no json tags, so their keys are the Go field names, and encoding/json matches a key to a
 * field in any case ("key", "KEY" and "Key" all set Taint.Key); a value of the wrong JSON type is the decoder's
 * type error (`json: cannot unmarshal number into Go struct field Taint.Key of type string`), which upstream reports
 * as the annotation's Invalid error. What decodes comes back with upstream's JSON field names, nulls dropped (Go
 * leaves the zero value), for the validators that follow.
 */
import { compileGoType, goJsonDecodeErrorOf, type GoNode, type NumberLiterals } from '../../../runtime/machinery/godecode/json.ts';
import { parseWithLiterals } from '../../../runtime/machinery/godecode/literals.ts';
import type { GoStructTable, GoTypeDesc } from '../../../runtime/machinery/godecode/types.ts';
import { decodeGoJson, GoJsonSyntaxError } from '../../../runtime/machinery/gojson.ts';

/** The Go types the three annotations decode into (pkg/apis/core types.go, k8s.io/api core/v1 AvoidPods). */
const annotationTypes: GoStructTable = {
  'core/Taint': { name: 'Taint', fields: { Key: ['s', 'string'], Value: ['s', 'string'], Effect: ['s', 'core.TaintEffect'], TimeAdded: ['t', 'v1.Time'] } },
  'core/Toleration': {
    name: 'Toleration',
    fields: { Key: ['s', 'string'], Operator: ['s', 'core.TolerationOperator'], Value: ['s', 'string'], Effect: ['s', 'core.TaintEffect'], TolerationSeconds: ['i64', 'int64'] },
  },
  'v1/AvoidPods': { name: 'AvoidPods', fields: { preferAvoidPods: ['[]', '[]v1.PreferAvoidPodsEntry', ['struct', 'v1.PreferAvoidPodsEntry', 'v1/PreferAvoidPodsEntry']] } },
  'v1/PreferAvoidPodsEntry': {
    name: 'PreferAvoidPodsEntry',
    fields: { podSignature: ['struct', 'v1.PodSignature', 'v1/PodSignature'], evictionTime: ['t', 'v1.Time'], reason: ['s', 'string'], message: ['s', 'string'] },
  },
  'v1/PodSignature': { name: 'PodSignature', fields: { podController: ['struct', 'v1.OwnerReference', 'meta/OwnerReference'] } },
  'meta/OwnerReference': {
    name: 'OwnerReference',
    fields: { apiVersion: ['s', 'string'], kind: ['s', 'string'], name: ['s', 'string'], uid: ['s', 'types.UID'], controller: ['b', 'bool'], blockOwnerDeletion: ['b', 'bool'] },
  },
};

const roots = {
  taints: ['[]', '[]core.Taint', ['struct', 'core.Taint', 'core/Taint']],
  tolerations: ['[]', '[]core.Toleration', ['struct', 'core.Toleration', 'core/Toleration']],
  avoidPods: ['struct', 'v1.AvoidPods', 'v1/AvoidPods'],
} satisfies Record<string, GoTypeDesc>;

const compiled = new Map<keyof typeof roots, GoNode>();

/**
 * `text` decoded as encoding/json decodes it into the annotation's Go type: `{ error }` with Go's words when it does
 * not decode (a syntax error, then the first type error), else the value with upstream's JSON field names.
 */
export function decodeAnnotationJson(text: string, type: keyof typeof roots): { value: unknown } | { error: string } {
  let value: unknown;
  let literals: NumberLiterals | undefined;
  try {
    value = decodeGoJson(text, false).value;
  } catch (e) {
    if (e instanceof GoJsonSyntaxError) return { error: e.message };
    throw e;
  }
  const exact = parseWithLiterals(text);
  if (exact) ({ value, literals } = exact);
  let root = compiled.get(type);
  if (!root) compiled.set(type, (root = compileGoType(annotationTypes, roots[type])));
  foldKeys(root, value, literals);
  const error = goJsonDecodeErrorOf(root, value, literals);
  return error ? { error } : { value: jsonNames(root, value) };
}

/** Renames, in place and in order, each struct key that matches a field only in another case to the field's name. */
function foldKeys(t: GoNode, v: unknown, literals: NumberLiterals | undefined): void {
  if (v === null || typeof v !== 'object') return;
  if (t.shape === '[]' && Array.isArray(v)) {
    for (const item of v) foldKeys(t.elem!, item, literals);
    return;
  }
  if (t.shape !== 'struct' || Array.isArray(v)) return;
  const fields = t.struct!.fields;
  const obj = v as Record<string, unknown>;
  const entries = Object.entries(obj);
  const written = literals?.get(obj);
  for (const [k] of entries) delete obj[k];
  for (const [k, value] of entries) {
    let name = k;
    if (!fields.has(k)) {
      const lower = k.toLowerCase();
      name = [...fields.keys()].find((f) => f.toLowerCase() === lower) ?? k;
    }
    obj[name] = value; // a repeated field keeps its last value, as Go's decoder does
    if (written && name !== k && k in written) written[name] = written[k];
    const ft = fields.get(name);
    if (ft) foldKeys(ft, value, literals);
  }
}

/** The decoded value as upstream's validators read it: fields by their JSON names (lowerCamel), nulls dropped. */
function jsonNames(t: GoNode, v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  // a null element of a slice of structs is the zero struct
  if (t.shape === '[]') return (v as unknown[]).map((item) => (item === null && t.elem!.shape === 'struct' ? {} : jsonNames(t.elem!, item)));
  if (t.shape !== 'struct') return v;
  const out: Record<string, unknown> = {};
  for (const [k, value] of Object.entries(v as Record<string, unknown>)) {
    const ft = t.struct!.fields.get(k);
    if (!ft || value === null) continue;
    out[k[0].toLowerCase() + k.slice(1)] = jsonNames(ft, value);
  }
  return out;
}
