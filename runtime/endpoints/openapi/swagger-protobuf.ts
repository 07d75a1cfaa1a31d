/**
 * A Swagger 2.0 document in gnostic's protobuf form (`openapi.v2.Document`), the representation of `/openapi/v2`
 * that client-go's discovery client asks for and the only one kubectl reads: it validates a `v1 List` (`kubectl get
 * -o json | kubectl replace -f -`) against these schemas. The message and field numbers are gnostic's
 * (openapiv2/OpenAPIv2.proto); values that are arbitrary JSON (`default`, `enum`, `example`, `x-` extensions) travel
 * as YAML text in an `Any`, which is how readers such as kube-openapi's proto models expect them.
 */
import protobuf from 'protobufjs/minimal.js';
import { stringify } from 'yaml';

type Writer = protobuf.Writer;
type Json = Record<string, unknown>;

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

/** Media types kube-openapi answers with protobuf (the first is the older spelling kubectl still sends). */
export const swaggerProtobufTypes = ['application/com.github.proto-openapi.spec.v2@v1.0+protobuf', 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf'];
/** The Content-Type of a protobuf answer, whichever spelling was asked for. */
export const swaggerProtobufContentType = swaggerProtobufTypes[1];

export function encodeSwaggerProtobuf(doc: Json): Uint8Array {
  const w = protobuf.Writer.create();
  document(w, doc);
  return w.finish();
}

// ---------------------------------------------------------------------------------------------------------------
// Field writers: each skips what is absent, as proto3 leaves out default values.

function str(w: Writer, field: number, v: unknown): void {
  if (typeof v === 'string' && v !== '') w.uint32((field << 3) | LEN).string(v);
}

function strs(w: Writer, field: number, v: unknown): void {
  if (Array.isArray(v)) for (const s of v) w.uint32((field << 3) | LEN).string(String(s));
}

function bool(w: Writer, field: number, v: unknown): void {
  if (v === true) w.uint32((field << 3) | VARINT).bool(true);
}

function double(w: Writer, field: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((field << 3) | FIXED64).double(v);
}

function int64(w: Writer, field: number, v: unknown): void {
  if (typeof v === 'number' && v !== 0) w.uint32((field << 3) | VARINT).int64(v);
}

/** A nested message, written only when `v` is present. */
function message<T>(w: Writer, field: number, v: T | undefined, write: (w: Writer, v: T) => void): void {
  if (v === undefined || v === null) return;
  w.uint32((field << 3) | LEN).fork();
  write(w, v);
  w.ldelim();
}

/** `Any { yaml = 2 }`: an arbitrary JSON value as YAML text. */
function any(w: Writer, value: unknown): void {
  str(w, 2, stringify(value));
}

/** Ordered (name, value) pairs: gnostic's form of a JSON object with free keys. */
function named<T>(w: Writer, field: number, entries: Iterable<[string, T]>, write: (w: Writer, v: T) => void): void {
  for (const [name, value] of entries) {
    message(w, field, value, (w, v) => {
      str(w, 1, name);
      message(w, 2, v, write);
    });
  }
}

/** The `x-` keys of an object, each an `Any`. */
function extensions(w: Writer, field: number, obj: Json): void {
  named(w, field, Object.entries(obj).filter(([k]) => k.startsWith('x-')), any);
}

const object = (v: unknown): Json | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : undefined);

// ---------------------------------------------------------------------------------------------------------------
// Messages.

function document(w: Writer, d: Json): void {
  str(w, 1, d.swagger);
  message(w, 2, object(d.info), info);
  str(w, 3, d.host);
  str(w, 4, d.basePath);
  strs(w, 5, d.schemes);
  strs(w, 6, d.consumes);
  strs(w, 7, d.produces);
  message(w, 8, object(d.paths), paths);
  message(w, 9, object(d.definitions), (w, defs) => named(w, 1, Object.entries(defs) as [string, Json][], schema));
  if (Array.isArray(d.security)) for (const r of d.security) message(w, 12, object(r), securityRequirement);
  message(w, 13, object(d.securityDefinitions), (w, defs) => named(w, 1, Object.entries(defs) as [string, Json][], securityDefinition));
  extensions(w, 16, d);
}

function info(w: Writer, i: Json): void {
  str(w, 1, i.title);
  str(w, 2, i.version);
  str(w, 3, i.description);
  extensions(w, 7, i);
}

function paths(w: Writer, p: Json): void {
  extensions(w, 1, p);
  named(w, 2, Object.entries(p).filter(([k]) => k.startsWith('/')) as [string, Json][], pathItem);
}

const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

function pathItem(w: Writer, item: Json): void {
  str(w, 1, item.$ref);
  methods.forEach((m, i) => message(w, i + 2, object(item[m]), operation));
  parameters(w, 9, item.parameters);
  extensions(w, 10, item);
}

function operation(w: Writer, op: Json): void {
  strs(w, 1, op.tags);
  str(w, 2, op.summary);
  str(w, 3, op.description);
  str(w, 5, op.operationId);
  strs(w, 6, op.produces);
  strs(w, 7, op.consumes);
  parameters(w, 8, op.parameters);
  message(w, 9, object(op.responses), responses);
  strs(w, 10, op.schemes);
  bool(w, 11, op.deprecated);
  extensions(w, 13, op);
}

/** `ParametersItem`: a `$ref` (json_reference = 2) or a parameter (1), itself a body (1) or a non-body (2) one. */
function parameters(w: Writer, field: number, list: unknown): void {
  if (!Array.isArray(list)) return;
  for (const p of list as Json[]) {
    message(w, field, p, (w, p) => {
      if (typeof p.$ref === 'string') return message(w, 2, p, jsonReference);
      message(w, 1, p, (w, p) => (p.in === 'body' ? message(w, 1, p, bodyParameter) : message(w, 2, p, nonBodyParameter)));
    });
  }
}

function jsonReference(w: Writer, r: Json): void {
  str(w, 1, r.$ref);
  str(w, 2, r.description);
}

function bodyParameter(w: Writer, p: Json): void {
  str(w, 1, p.description);
  str(w, 2, p.name);
  str(w, 3, p.in);
  bool(w, 4, p.required);
  message(w, 5, object(p.schema), schema);
  extensions(w, 6, p);
}

/** Which `NonBodyParameter` branch a location takes, and its sub-schema's layout. */
const nonBodyBranches: Record<string, { field: number; allowEmptyValue: boolean }> = {
  header: { field: 1, allowEmptyValue: false },
  formData: { field: 2, allowEmptyValue: true },
  query: { field: 3, allowEmptyValue: true },
  path: { field: 4, allowEmptyValue: false },
};

function nonBodyParameter(w: Writer, p: Json): void {
  const branch = nonBodyBranches[String(p.in)];
  if (!branch) return;
  message(w, branch.field, p, (w, p) => {
    bool(w, 1, p.required);
    str(w, 2, p.in);
    str(w, 3, p.description);
    str(w, 4, p.name);
    // Query and formData sub-schemas carry allow_empty_value at 5, shifting every later field by one.
    const o = branch.allowEmptyValue ? 1 : 0;
    if (branch.allowEmptyValue) bool(w, 5, p.allowEmptyValue);
    str(w, 5 + o, p.type);
    str(w, 6 + o, p.format);
    message(w, 7 + o, object(p.items), primitivesItems);
    str(w, 8 + o, p.collectionFormat);
    if (p.default !== undefined) message(w, 9 + o, p.default, any);
    validations(w, 10 + o, p);
    extensions(w, 22 + o, p);
  });
}

/** The run of validation fields shared by parameters, headers and primitive items (maximum .. multipleOf). */
function validations(w: Writer, first: number, v: Json): void {
  double(w, first, v.maximum);
  bool(w, first + 1, v.exclusiveMaximum);
  double(w, first + 2, v.minimum);
  bool(w, first + 3, v.exclusiveMinimum);
  int64(w, first + 4, v.maxLength);
  int64(w, first + 5, v.minLength);
  str(w, first + 6, v.pattern);
  int64(w, first + 7, v.maxItems);
  int64(w, first + 8, v.minItems);
  bool(w, first + 9, v.uniqueItems);
  if (Array.isArray(v.enum)) for (const e of v.enum) message(w, first + 10, e, any);
  double(w, first + 11, v.multipleOf);
}

function primitivesItems(w: Writer, p: Json): void {
  str(w, 1, p.type);
  str(w, 2, p.format);
  message(w, 3, object(p.items), primitivesItems);
  str(w, 4, p.collectionFormat);
  if (p.default !== undefined) message(w, 5, p.default, any);
  validations(w, 6, p);
  extensions(w, 18, p);
}

function responses(w: Writer, r: Json): void {
  named(
    w,
    1,
    Object.entries(r).filter(([k]) => !k.startsWith('x-')) as [string, Json][],
    (w, v) => (typeof v.$ref === 'string' ? message(w, 2, v, jsonReference) : message(w, 1, v, response)),
  );
  extensions(w, 2, r);
}

function response(w: Writer, r: Json): void {
  str(w, 1, r.description);
  message(w, 2, object(r.schema), (w, s) => message(w, 1, s, schema));
  extensions(w, 5, r);
}

function schema(w: Writer, s: Json): void {
  str(w, 1, s.$ref);
  str(w, 2, s.format);
  str(w, 3, s.title);
  str(w, 4, s.description);
  if (s.default !== undefined) message(w, 5, s.default, any);
  double(w, 6, s.multipleOf);
  double(w, 7, s.maximum);
  bool(w, 8, s.exclusiveMaximum);
  double(w, 9, s.minimum);
  bool(w, 10, s.exclusiveMinimum);
  int64(w, 11, s.maxLength);
  int64(w, 12, s.minLength);
  str(w, 13, s.pattern);
  int64(w, 14, s.maxItems);
  int64(w, 15, s.minItems);
  bool(w, 16, s.uniqueItems);
  int64(w, 17, s.maxProperties);
  int64(w, 18, s.minProperties);
  strs(w, 19, s.required);
  if (Array.isArray(s.enum)) for (const e of s.enum) message(w, 20, e, any);
  if (typeof s.additionalProperties === 'boolean') message(w, 21, s.additionalProperties, (w, b) => w.uint32((2 << 3) | VARINT).bool(b));
  else message(w, 21, object(s.additionalProperties), (w, a) => message(w, 1, a, schema));
  if (s.type !== undefined) message(w, 22, s.type, (w, t) => strs(w, 1, Array.isArray(t) ? t : [t]));
  if (s.items !== undefined) message(w, 23, s.items, (w, items) => (Array.isArray(items) ? items : [items]).forEach((i) => message(w, 1, object(i), schema)));
  if (Array.isArray(s.allOf)) for (const a of s.allOf) message(w, 24, object(a), schema);
  message(w, 25, object(s.properties), (w, props) => named(w, 1, Object.entries(props) as [string, Json][], schema));
  str(w, 26, s.discriminator);
  bool(w, 27, s.readOnly);
  if (s.example !== undefined) message(w, 30, s.example, any);
  extensions(w, 31, s);
}

/** `SecurityDefinitionsItem`: only the API-key branch (2) is ever declared here (bearer tokens). */
function securityDefinition(w: Writer, d: Json): void {
  if (d.type !== 'apiKey') return;
  message(w, 2, d, (w, d) => {
    str(w, 1, d.type);
    str(w, 2, d.name);
    str(w, 3, d.in);
    str(w, 4, d.description);
    extensions(w, 5, d);
  });
}

function securityRequirement(w: Writer, r: Json): void {
  named(w, 1, Object.entries(r) as [string, unknown[]][], (w, scopes) => strs(w, 1, scopes));
}

/**
 * Which form of `/openapi/v2` an Accept header gets, as kube-openapi picks it: the clauses by quality (more specific
 * first among equals), the first that names JSON or one of the protobuf types wins; undefined means 406.
 */
export function negotiateSwagger(accept: string | undefined): 'json' | 'protobuf' | undefined {
  const clauses = (accept?.trim() ? accept : '*/*')
    .split(',')
    .map((part, i) => {
      const [range, ...params] = part.trim().toLowerCase().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const [type = '', subtype = ''] = range.trim().split('/');
      return { type, subtype, q: q ? Number(q.slice(2)) : 1, wildcards: Number(type === '*') + Number(subtype === '*'), i };
    })
    .filter((c) => c.type && c.q > 0)
    .sort((a, b) => b.q - a.q || a.wildcards - b.wildcards || a.i - b.i);
  const offers: Array<[string, 'json' | 'protobuf']> = [['application/json', 'json'], ...swaggerProtobufTypes.map((t): [string, 'protobuf'] => [t, 'protobuf'])];
  for (const c of clauses) {
    for (const [offer, form] of offers) {
      const [type, subtype] = offer.split('/');
      if ((c.type === type || c.type === '*') && (c.subtype === subtype || c.subtype === '*')) return form;
    }
  }
  return undefined;
}
