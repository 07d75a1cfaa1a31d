/** Shared by the smd tests: one type converter over every generated definition, built once. */
import { groupVersions, sharedDefinitions } from '../../generated/index.ts';
import { newTypeConverter, type TypeConverter, type TypeRef } from '../../runtime/fieldmanager/smd/index.ts';

let converter: TypeConverter | undefined;

export function builtinConverter(): TypeConverter {
  if (!converter) {
    const defs = { ...sharedDefinitions.openapiV3 };
    for (const gv of groupVersions) Object.assign(defs, gv.openapiV3);
    converter = newTypeConverter(defs);
  }
  return converter;
}

export function kindType(group: string, version: string, kind: string): TypeRef {
  const t = builtinConverter().typeForKind(group, version, kind);
  if (!t) throw new Error(`no type for ${group}/${version} ${kind}`);
  return t;
}
