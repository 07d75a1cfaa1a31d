/**
 * The patch metadata of the types upstream's strategic merge patch tests use (`MergeItem` and friends), as a
 * PatchSchema that, like upstream's struct lookup, refuses fields its types do not have.
 */
import * as status from '../../runtime/machinery/status.ts';
import type { FieldPatchMeta, PatchSchema } from '../../runtime/machinery/strategicpatch/schema.ts';

type TypeRef = { struct: string } | { map: true } | { scalar: string } | { list: TypeRef } | { raw: true };
interface Field {
  type: TypeRef;
  strategy?: string;
  mergeKey?: string;
}

const scalar = (name: string): TypeRef => ({ scalar: name });
const list = (of: TypeRef): TypeRef => ({ list: of });
const mergeItem: TypeRef = { struct: 'MergeItem' };

const types: Record<string, Record<string, Field>> = {
  MergeItem: {
    name: { type: scalar('string') },
    value: { type: scalar('string') },
    other: { type: scalar('string') },
    mergingList: { type: list(mergeItem), strategy: 'merge', mergeKey: 'name' },
    nonMergingList: { type: list(mergeItem) },
    mergingIntList: { type: list(scalar('int')), strategy: 'merge' },
    nonMergingIntList: { type: list(scalar('int')) },
    // A pointer to a struct: its slice lookup yields the struct itself, as upstream's does.
    mergeItemPtr: { type: mergeItem, strategy: 'merge', mergeKey: 'name' },
    simpleMap: { type: { map: true } },
    replacingItem: { type: { raw: true }, strategy: 'replace' },
    retainKeysMap: { type: { struct: 'RetainKeysMergeItem' }, strategy: 'retainKeys' },
    retainKeysMergingList: { type: list(mergeItem), strategy: 'merge,retainKeys', mergeKey: 'name' },
  },
  RetainKeysMergeItem: {
    name: { type: scalar('string') },
    value: { type: scalar('string') },
    other: { type: scalar('string') },
    simpleMap: { type: { map: true } },
    mergingIntList: { type: list(scalar('int')), strategy: 'merge' },
    mergingList: { type: list(mergeItem), strategy: 'merge', mergeKey: 'name' },
    nonMergingList: { type: list(mergeItem) },
  },
  RawExtension: {},
};

function kindName(t: TypeRef): string {
  if ('struct' in t || 'raw' in t) return 'struct';
  if ('map' in t) return 'map';
  if ('list' in t) return 'slice';
  return t.scalar;
}

class TypeSchema implements PatchSchema {
  constructor(private readonly type: TypeRef) {}

  get name(): string {
    return kindName(this.type);
  }

  field(key: string, isList: boolean): { meta: FieldPatchMeta; schema: PatchSchema } {
    const t = this.type;
    if (!('struct' in t) && !('raw' in t)) {
      throw status.failure(500, undefined, `merging an object in json but data type is not struct, instead is: ${kindName(t)}`);
    }
    const structName = 'struct' in t ? t.struct : 'RawExtension';
    const f = types[structName][key];
    if (!f) throw status.failure(500, undefined, `unable to find api field in struct ${structName} for the json field "${key}"`);
    const meta = { strategies: (f.strategy ?? '').split(','), mergeKey: f.mergeKey ?? '' };
    if (!isList) return { meta, schema: new TypeSchema(f.type) };
    if ('list' in f.type) return { meta, schema: new TypeSchema(f.type.list) };
    if ('struct' in f.type) return { meta, schema: new TypeSchema(f.type) };
    throw status.failure(500, undefined, `expected slice or array type, but got: struct`);
  }
}

export const mergeItemSchema: PatchSchema = new TypeSchema(mergeItem);
