/**
 * The types module of a served group version: every type its apis/ folder declares re-exported (the kinds and the
 * structs they use, so clients build objects with the server's own types), plus a `<Kind>List` per kind.
 */
import type { AnalysedGroupVersion } from '../analyse.ts';
import { gvDir } from '../model.ts';
import { header, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';

const template = loadTemplate('types.ts.hbs');

/** From generated/<group>/<version>/ back to the repository root. */
const toRoot = '../../../';

/** `import type { A, B } from '...'`, one name per line when that would run past 120 characters. */
export function importTypes(names: string[], from: string): string {
  const sorted = [...names].sort();
  const line = `import type { ${sorted.join(', ')} } from '${from}';`;
  return line.length <= 120 ? line : `import type {\n${sorted.map((n) => `  ${n},\n`).join('')}} from '${from}';`;
}

export function listTypeName(kind: string): string {
  return `${kind}List`;
}

export function emitTypes(gv: AnalysedGroupVersion): EmittedFile {
  const byFile = new Map<string, string[]>();
  const types = [...gv.structs, ...gv.freeFormTypes];
  for (const s of types) {
    const file = s.loc.file.replace(/\\/g, '/');
    byFile.set(file, [...(byFile.get(file) ?? []), s.name]);
  }
  const declared = new Set(types.map((s) => s.name));
  // A list type hand-declared in apis/ wins over the generated one (it is re-exported instead).
  const lists = gv.kinds.filter((k) => !declared.has(listTypeName(k.name))).map((k) => ({ name: listTypeName(k.name), kind: k.name }));
  return {
    path: `${gvDir(gv.group, gv.version)}/types.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      groupVersion: gv.group ? `${gv.group}/${gv.version}` : `core/${gv.version}`,
      imports: [
        ...(lists.length ? [importTypes(['ListMeta'], `${toRoot}apis/meta/v1/types.ts`)] : []),
        ...[...byFile].sort(([a], [b]) => a.localeCompare(b)).map(([file, names]) => importTypes(names, `${toRoot}${file}`)),
      ],
      exports: [...declared].sort(),
      lists,
    }),
  };
}
