/** The top-level index: every served group version's registration, in a stable order. */
import type { AnalysedModel } from '../analyse.ts';
import { typeOnlyGroups } from '../analyse.ts';
import { gvDir } from '../model.ts';
import { gvIdentifier } from '../naming.ts';
import { header, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('index.ts.hbs');

export function emitIndex(model: AnalysedModel, protobufDirs: Set<string>, shapeDirs = new Set<string>()): EmittedFile {
  const entries = model.served.map((gv) => ({ id: gvIdentifier(gv), from: `./${gvDir(gv.group, gv.version)}/register.ts` }));
  const protobuf = model.groupVersions
    .filter((gv) => protobufDirs.has(gv.dir))
    .map((gv) => ({ id: gvIdentifier(gv), from: `./${gvDir(gv.group, gv.version)}/protobuf.ts` }));
  const shapes = model.groupVersions
    .filter((gv) => shapeDirs.has(gv.dir))
    .map((gv) => ({ id: gvIdentifier(gv), from: `./${gvDir(gv.group, gv.version)}/shapes.ts` }));
  const shared = model.groupVersions
    .filter((gv) => typeOnlyGroups.has(gv.group))
    .map((gv) => ({ id: gvIdentifier(gv), from: `./${gvDir(gv.group, gv.version)}/openapi.ts` }));
  return { path: 'index.ts', content: template({ header: header('apis/'), entries, protobuf, shapes, shared }) };
}
