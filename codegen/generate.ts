/**
 * The generator as a pure pipeline: parse apis/ -> analyse -> emit files. Returns the files (or the errors);
 * only main.ts touches the disk.
 */
import { analyse, typeOnlyGroups } from './analyse.ts';
import type { CodegenError } from './errors.ts';
import { emitDefaults, structsNeedingDefaults } from './emit/defaults.ts';
import { emitIndex } from './emit/index.ts';
import { emitConversion } from './emit/conversion.ts';
import { emitCrd, planCrds } from './emit/crds.ts';
import { emitProtobuf, protobufStructs } from './emit/protobuf.ts';
import { emitOpenapi } from './emit/openapi.ts';
import { emitGoTypes, emitGoTypesIndex } from './emit/gotypes.ts';
import { checkGoTypeFacts } from './gotypes.ts';
import { emitRegister } from './emit/register.ts';
import { emitSchemas } from './emit/schemas.ts';
import { emitShapes } from './emit/shapes.ts';
import { emitTypes } from './emit/types.ts';
import { emitClientset, emitGroupVersionClient } from './emit/client.ts';
import type { EmittedFile } from './emit/context.ts';
import { parseApis } from './parse.ts';

export type GenerateResult = { ok: true; files: EmittedFile[] } | { ok: false; errors: CodegenError[] };

export function generate(root: string): GenerateResult {
  const { model, diag } = parseApis(root);
  const analysed = analyse(model, diag);
  if (diag.failed) return { ok: false, errors: diag.errors };
  const encodable = protobufStructs(analysed, diag);
  const crds = planCrds(analysed, diag);
  checkGoTypeFacts(analysed, diag);
  if (diag.failed) return { ok: false, errors: diag.errors };
  const needsDefaults = structsNeedingDefaults(analysed);
  const protobufDirs = new Set<string>();
  const shapeDirs = new Set<string>();
  const files: EmittedFile[] = [];
  const withDefaults = new Set<string>();
  for (const gv of analysed.groupVersions) {
    files.push(emitSchemas(analysed, gv));
    const defaults = emitDefaults(analysed, gv, needsDefaults);
    if (defaults) {
      files.push(defaults);
      withDefaults.add(gv.dir);
    }
    if (typeOnlyGroups.has(gv.group)) files.push(emitOpenapi(analysed, gv, []));
    const protobuf = emitProtobuf(analysed, gv, encodable, gv.structs.filter((s) => s.kind && !s.kind.subresourceKind));
    if (protobuf) {
      files.push(protobuf);
      protobufDirs.add(gv.dir);
    }
    const shapes = emitShapes(analysed, gv);
    if (shapes) {
      files.push(shapes);
      shapeDirs.add(gv.dir);
    }
  }
  for (const gv of analysed.served) {
    files.push(emitOpenapi(analysed, gv, [...gv.kinds, ...gv.subresourceKinds]));
    const conversion = emitConversion(analysed, gv);
    if (conversion) files.push(conversion);
    files.push(emitRegister(analysed, gv, needsDefaults, withDefaults.has(gv.dir), encodable));
    files.push(emitTypes(gv), emitGroupVersionClient(analysed, gv));
  }
  files.push(...analysed.groupVersions.map((gv) => emitGoTypes(analysed, gv)), emitGoTypesIndex(analysed));
  files.push(emitIndex(analysed, protobufDirs, shapeDirs));
  files.push(emitClientset(analysed));
  files.push(...crds.map(emitCrd));
  return { ok: true, files: files.sort((a, b) => a.path.localeCompare(b.path)) };
}
