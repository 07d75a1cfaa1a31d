/**
 * `metadata.managedFields` on the wire and in memory: the entries' codec (upstream's DecodeManagedFields /
 * encodeManagedFields), the manager identifier that keys them, their order, and the checks of their shape.
 * Field sets stay opaque here: a SetCodec from the structured-merge-diff layer turns `fieldsV1` into sets.
 */
import { invalid, notSupported, required, type FieldError } from '../machinery/field-errors.ts';
import { goTimeText, rfc3339, timeParseError } from '../machinery/godecode/gotime.ts';
import { sortShort } from '../machinery/order.ts';
import { validateFieldManager } from './manager-name.ts';

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: Record<string, unknown>;
  subresource?: string;
}

/** One manager's fields: the set, the API version they were written in, and whether by apply. */
export interface VersionedSet<S> {
  set: S;
  apiVersion: string;
  applied: boolean;
}

/** Every manager's fields by manager identifier, and when each last changed something. */
export interface Managed<S> {
  fields: Map<string, VersionedSet<S>>;
  times: Map<string, string | undefined>;
}

/** How field sets are read from and written to `fieldsV1`. */
export interface SetCodec<S> {
  decode(fieldsV1: Record<string, unknown>): S;
  encode(set: S): Record<string, unknown>;
}

export function emptyManaged<S>(): Managed<S> {
  return { fields: new Map(), times: new Map() };
}

export const applyOperation = 'Apply';
export const updateOperation = 'Update';

/**
 * The key of an entry: its manager, operation, API version (left out for appliers, so an applier is one manager
 * whatever version it applies in) and subresource, as the JSON upstream builds (field order of ManagedFieldsEntry).
 */
export function managerIdentifier(e: { manager?: string; operation?: string; apiVersion?: string; subresource?: string }): string {
  // Written as text (the bytes JSON.stringify gives the object), with no object to build and walk per entry.
  let id = '';
  if (e.manager) id += ',"manager":' + JSON.stringify(e.manager);
  if (e.operation) id += ',"operation":' + JSON.stringify(e.operation);
  if (e.apiVersion && e.operation !== applyOperation) id += ',"apiVersion":' + JSON.stringify(e.apiVersion);
  if (e.subresource) id += ',"subresource":' + JSON.stringify(e.subresource);
  return id === '' ? '{}' : '{' + id.slice(1) + '}';
}

/**
 * Identifiers already parsed: the same few managers write an object again and again, and every write turns each
 * of its entries' identifiers back into fields. Bounded: emptied when full.
 */
const parsedIdentifiers = new Map<string, Readonly<ManagedFieldsEntry>>();
const maxParsedIdentifiers = 1024;

/** The parts of an identifier (manager, operation, apiVersion, subresource); shared, so not to be changed. */
export function parseIdentifier(id: string): Readonly<ManagedFieldsEntry> {
  let parts = parsedIdentifiers.get(id);
  if (parts === undefined) {
    parts = Object.freeze(identifierParts(id));
    if (parsedIdentifiers.size >= maxParsedIdentifiers) parsedIdentifiers.clear();
    parsedIdentifiers.set(id, parts);
  }
  return parts;
}

function identifierParts(id: string): ManagedFieldsEntry {
  try {
    const v = JSON.parse(id);
    return v && typeof v === 'object' ? v : { manager: id };
  } catch {
    return { manager: id };
  }
}

/** `managedFields: []` or `[{}]`: the client asks to clear every entry (upstream's isResetManagedFields). */
export function isResetManagedFields(value: unknown): boolean {
  if (!Array.isArray(value)) return false;
  if (value.length === 0) return true;
  return value.length === 1 && value[0] !== null && typeof value[0] === 'object' && Object.keys(value[0]).length === 0;
}

/**
 * Entries as sets; throws (with upstream's wording) on an entry the field manager cannot use. Callers decide
 * whether that fails the request (apply) or falls back to the stored entries (update).
 */
export function decodeManagedFields<S>(entries: readonly ManagedFieldsEntry[], codec: SetCodec<S>): Managed<S> {
  const managed = emptyManaged<S>();
  entries.forEach((e, i) => {
    if (e.operation !== applyOperation && e.operation !== updateOperation) throw new Error('operation must be `Apply` or `Update`');
    if (!e.apiVersion) throw new Error('apiVersion must not be empty');
    if (!e.fieldsType) throw new Error(`missing fieldsType in managed fields entry ${i}`);
    if (e.fieldsType !== 'FieldsV1') throw new Error(`invalid fieldsType ${JSON.stringify(e.fieldsType)} in managed fields entry ${i}`);
    const id = managerIdentifier(e);
    let set: S;
    try {
      set = codec.decode(e.fieldsV1 ?? {});
    } catch (err) {
      throw new Error(`error decoding versioned set from ${JSON.stringify(e)}: error decoding set: ${(err as Error).message}`);
    }
    managed.fields.set(id, { set, apiVersion: e.apiVersion, applied: e.operation === applyOperation });
    managed.times.set(id, entryTime(e.time));
  });
  return managed;
}

/** An entry's time as metav1.Time holds it, written back as Go writes it (UTC, whole seconds; none when zero). */
function entryTime(time: string | undefined): string | undefined {
  if (time === undefined) return undefined;
  const text = goTimeText(time, false);
  return text === undefined ? time : (text ?? undefined);
}

function seconds(time: string | undefined): number {
  if (!time) return 0;
  const t = Date.parse(time);
  return Number.isNaN(t) ? 0 : Math.floor(t / 1000);
}

const by = (a: string | undefined, b: string | undefined) => ((a ?? '') < (b ?? '') ? -1 : (a ?? '') > (b ?? '') ? 1 : 0);

/** Upstream's order: Apply before Update, then oldest first, then by manager, API version and subresource. */
export function compareEntries(p: ManagedFieldsEntry, q: ManagedFieldsEntry): number {
  return by(p.operation, q.operation) || seconds(p.time) - seconds(q.time) || by(p.manager, q.manager) || by(p.apiVersion, q.apiVersion) || by(p.subresource, q.subresource);
}

/** The entries of `managed`, sorted; undefined when there are none (the field is then left out). */
export function encodeManagedFields<S>(managed: Managed<S>, codec: SetCodec<S>): ManagedFieldsEntry[] | undefined {
  if (managed.fields.size === 0) return undefined;
  const out: ManagedFieldsEntry[] = [];
  for (const [id, vs] of managed.fields) {
    const parsed = parseIdentifier(id);
    const e: ManagedFieldsEntry = {};
    if (parsed.manager) e.manager = parsed.manager;
    e.operation = vs.applied ? applyOperation : (parsed.operation ?? updateOperation);
    e.apiVersion = vs.apiVersion;
    const time = managed.times.get(id);
    if (time) e.time = time;
    e.fieldsType = 'FieldsV1';
    e.fieldsV1 = codec.encode(vs.set);
    if (parsed.subresource) e.subresource = parsed.subresource;
    out.push(e);
  }
  return sortShort(out, compareEntries);
}

/** The JSON type name Go's decoder reports for a value of the wrong type. */
function jsonType(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'object') return 'object';
  return typeof v === 'boolean' ? 'bool' : typeof v;
}

const entryFieldTypes: Record<string, 'string' | 'object'> = {
  manager: 'string',
  operation: 'string',
  apiVersion: 'string',
  time: 'string',
  fieldsType: 'string',
  fieldsV1: 'object',
  subresource: 'string',
};

/**
 * The JSON-level shape of `metadata.managedFields` (a list of objects whose fields have their types), as Go's
 * decoder checks it: returns upstream's decoding error text, or undefined when the shape is right.
 */
export function managedFieldsShapeError(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const where = 'Go struct field ObjectMeta.metadata.managedFields';
  if (!Array.isArray(value)) return `json: cannot unmarshal ${jsonType(value)} into ${where} of type []v1.ManagedFieldsEntry`;
  for (const e of value) {
    if (e === null) continue;
    if (typeof e !== 'object' || Array.isArray(e)) return `json: cannot unmarshal ${jsonType(e)} into ${where} of type v1.ManagedFieldsEntry`;
    for (const [k, v] of Object.entries(e as Record<string, unknown>)) {
      const want = entryFieldTypes[k];
      if (!want || v === null) continue;
      if (want === 'string' && typeof v !== 'string') return `json: cannot unmarshal ${jsonType(v)} into Go struct field ManagedFieldsEntry.metadata.managedFields.${k} of type string`;
      if (want === 'object' && (typeof v !== 'object' || Array.isArray(v))) return `json: cannot unmarshal ${jsonType(v)} into Go struct field ManagedFieldsEntry.metadata.managedFields.${k} of type v1.FieldsV1`;
      if (k === 'time') {
        const err = timeParseError(rfc3339, v as string);
        if (err) return err;
      }
    }
  }
  return undefined;
}

/** Upstream's ValidateManagedFields (part of ObjectMeta validation): operation, fieldsType, manager, subresource. */
export function validateManagedFields(entries: readonly ManagedFieldsEntry[], path = 'metadata.managedFields'): FieldError[] {
  const errors: FieldError[] = [];
  entries.forEach((e, i) => {
    const at = `${path}[${i}]`;
    if (!e.operation) errors.push(required(`${at}.operation`, 'must not be empty'));
    else if (e.operation !== applyOperation && e.operation !== updateOperation) errors.push(notSupported(`${at}.operation`, e.operation, [applyOperation, updateOperation]));
    if (e.fieldsType && e.fieldsType !== 'FieldsV1') errors.push(invalid(`${at}.fieldsType`, e.fieldsType, 'must be `FieldsV1`'));
    errors.push(...validateFieldManager(e.manager ?? '', `${at}.manager`));
    if ((e.subresource ?? '').length > 256) errors.push({ type: 'FieldValueTooLong', field: `${at}.subresource`, detail: 'may not be more than 256 bytes' });
  });
  return errors;
}
