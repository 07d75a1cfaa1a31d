/**
 * Protobuf message descriptors from the `@protobuf` field numbers: for each struct whose fields all carry a
 * number (upstream kinds), a table of (field, number, wire type) that the runtime codec walks to encode and
 * decode Kubernetes' protobuf wire format. Kinds also get their List message (metadata = 1, items = 2). Structs
 * without numbers (custom kinds) get no descriptor and stay JSON-only, as upstream.
 */
import type { AnalysedModel } from '../analyse.ts';
import type { Diagnostics } from '../errors.ts';
import type { FieldModel, GroupVersionModel, StructModel, TypeRef } from '../model.ts';
import { gvDir, structKey } from '../model.ts';
import { openapiName, structOpenapiName } from '../naming.ts';
import { header, lookup, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('protobuf.ts.hbs');

/** Fields a kind carries in the envelope's TypeMeta rather than in its message (they have no number). */
const typeMetaFields = new Set(['apiVersion', 'kind']);

/** The fields a struct's message declares itself: not TypeMeta, not those of an embedded struct. */
function messageFields(s: StructModel): FieldModel[] {
  return s.fields.filter((f) => !(typeMetaFields.has(f.name) && f.tags.protobuf === undefined) && !f.embeddedFrom);
}

/**
 * Keys of the structs that have a protobuf form: every field numbered, and every struct they use too.
 * Partly numbered structs are reported, since they are almost always a forgotten tag.
 */
export function protobufStructs(model: AnalysedModel, diag: Diagnostics): Set<string> {
  const numbered = new Set<string>();
  for (const s of model.structs.values()) {
    if (s.oneOf) {
      // A value type has a message when each of its shapes has a field number (@protobufShape).
      if (s.oneOfProtobuf) numbered.add(structKey(s.group, s.version, s.name));
      continue;
    }
    const fields = messageFields(s);
    const withNumber = fields.filter((f) => f.tags.protobuf !== undefined);
    // A struct without fields (CustomResourceSubresourceStatus) is an empty message.
    if (fields.length === 0 && s.embeds.length === 0 && !s.kind) {
      numbered.add(structKey(s.group, s.version, s.name));
      continue;
    }
    if (withNumber.length === 0) continue;
    for (const f of fields) if (f.tags.protobuf === undefined) diag.error(f.loc, `${s.name}.${f.name} has no @protobuf number, though other fields of ${s.name} have one`);
    const seen = new Map<number, string>();
    for (const f of withNumber) {
      const other = seen.get(f.tags.protobuf!);
      if (other) diag.error(f.loc, `${s.name}.${f.name} repeats @protobuf ${f.tags.protobuf} of ${other}`);
      seen.set(f.tags.protobuf!, f.name);
    }
    for (const e of s.embeds) {
      if (e.protobuf === undefined) diag.error(s.loc, `${s.name} embeds ${e.name} but gives it no field number: add @protobufEmbed ${e.name} <n>`);
    }
    numbered.add(structKey(s.group, s.version, s.name));
  }
  // A struct is encodable only if every struct it reaches is.
  let changed = true;
  const inner = (t: TypeRef): TypeRef => (t.kind === 'array' ? inner(t.items) : t.kind === 'map' ? inner(t.values) : t);
  while (changed) {
    changed = false;
    for (const key of [...numbered]) {
      const s = model.structs.get(key)!;
      const unencodable = (type: TypeRef) => {
        const t = inner(type);
        return t.kind === 'struct' && !numbered.has(structKey(t.group, t.version, t.name));
      };
      const broken = messageFields(s).some((f) => unencodable(f.type)) || (s.oneOf ?? []).some(unencodable) || s.embeds.some((e) => !numbered.has(structKey(e.group, e.version, e.name)));
      if (broken) {
        numbered.delete(key);
        changed = true;
      }
    }
  }
  return numbered;
}

/** The descriptor's type of a value: scalars by wire form, structs by message name. */
function valueType(model: AnalysedModel, t: TypeRef, f: FieldModel): string {
  switch (t.kind) {
    case 'string':
      return f.tags.format === 'byte' ? 'bytes' : 'string';
    case 'integer':
      return t.format;
    case 'number':
      return 'double';
    case 'boolean':
      return 'bool';
    case 'struct':
      return structOpenapiName(lookup(model, t));
    case 'wellKnown':
      return { Time: 'time', MicroTime: 'microTime', Quantity: 'quantity', IntOrString: 'intOrString' }[t.name];
    case 'any':
      // RawExtension's bytes are the client's JSON text, kept as it is (machinery/raw-json.ts); others are values.
      return t.named?.name === 'RawExtension' ? 'rawExtension' : 'rawJSON';
    case 'array':
      // Go wraps a list inside a map value in a message of its own (ExtraValue: `repeated string items = 1`).
      if (t.items.kind === 'string') return 'stringList';
      throw new Error(`internal: nested collection in protobuf field ${f.name}`);
    default:
      throw new Error(`internal: nested collection in protobuf field ${f.name}`);
  }
}

function fieldDescriptor(model: AnalysedModel, f: FieldModel): string {
  const t = f.type;
  let entry: Record<string, unknown>;
  if (t.kind === 'array') entry = { name: f.name, number: f.tags.protobuf, type: valueType(model, t.items, f), repeated: true };
  else if (t.kind === 'map') entry = { name: f.name, number: f.tags.protobuf, type: valueType(model, t.values, f), map: true };
  else {
    entry = { name: f.name, number: f.tags.protobuf, type: valueType(model, t, f) };
    const scalar = t.kind === 'string' || t.kind === 'integer' || t.kind === 'number' || t.kind === 'boolean';
    // Go (gogo-protobuf) writes what it does not hold by pointer, zero or not: scalars, and structs held by value.
    const byValue = !f.tags.pointer && (scalar ? f.tags.format !== 'byte' : f.tags.alwaysWritten && t.kind !== 'any');
    if (byValue) entry.always = true;
    // A non-pointer zero read back is the same as unset, unless Go's JSON always writes the field.
    if (scalar && !f.tags.pointer && !f.tags.alwaysWritten) entry.omitZero = true;
  }
  return JSON.stringify(entry);
}

/** What JSON type a value type's shape is, which tells the codec which field carries a value. */
function shapeOf(t: TypeRef): string {
  switch (t.kind) {
    case 'any':
      return 'json';
    case 'struct':
    case 'map':
      return 'object';
    case 'array':
      return 'array';
    case 'boolean':
      return 'boolean';
    case 'integer':
    case 'number':
      return 'number';
    default:
      return 'string';
  }
}

/**
 * A value type's message: one field per shape (`JSONSchemaPropsOrBool { allows = 1; schema = 2 }`), the value in
 * the field of its JSON type; arbitrary JSON (`JSON { raw = 1 }`) as its JSON text.
 */
function valueTypeFields(model: AnalysedModel, s: StructModel): string[] {
  return s
    .oneOf!.map((t, i) => {
      const number = s.oneOfProtobuf![i]!;
      const shape = shapeOf(t);
      const f = { name: '', doc: '', optional: true, type: t, tags: {}, loc: s.loc } as FieldModel;
      const entry =
        shape === 'json'
          ? { name: '', number, type: 'jsonText', shape }
          : t.kind === 'array'
            ? { name: '', number, type: valueType(model, t.items, f), repeated: true, shape }
            : { name: '', number, type: valueType(model, t, f), shape };
      return { number, entry: JSON.stringify(entry) };
    })
    .sort((a, b) => a.number - b.number)
    .map((x) => x.entry);
}

export function emitProtobuf(model: AnalysedModel, gv: GroupVersionModel, encodable: Set<string>, kinds: StructModel[]): EmittedFile | undefined {
  const structs = gv.structs.filter((s) => encodable.has(structKey(s.group, s.version, s.name)));
  if (!structs.length) return undefined;
  const messages = structs.map((s) => {
    if (s.oneOf) return { name: structOpenapiName(s), fields: valueTypeFields(model, s) };
    const fields = [
      ...messageFields(s).map((f) => ({ number: f.tags.protobuf!, entry: fieldDescriptor(model, f) })),
      // An embedded struct is one field holding its own message, built from (and read back into) this object.
      ...s.embeds.map((e) => ({ number: e.protobuf!, entry: JSON.stringify({ name: '', number: e.protobuf, type: openapiName(e.group, e.version, e.name), embedded: true }) })),
    ];
    return { name: structOpenapiName(s), fields: fields.sort((a, b) => a.number - b.number).map((f) => f.entry) };
  });
  for (const k of kinds.filter((k) => encodable.has(structKey(k.group, k.version, k.name)))) {
    messages.push({
      name: openapiName(k.group, k.version, `${k.name}List`),
      fields: [
        JSON.stringify({ name: 'metadata', number: 1, type: openapiName('meta', 'v1', 'ListMeta') }),
        JSON.stringify({ name: 'items', number: 2, type: structOpenapiName(k), repeated: true }),
      ],
    });
  }
  return { path: `${gvDir(gv.group, gv.version)}/protobuf.ts`, content: template({ header: header(`apis/${gv.dir}`), messages }) };
}
