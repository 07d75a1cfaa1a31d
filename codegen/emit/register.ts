/**
 * The registration module of a served group version: one KindRegistration per kind (names, scope, verbs,
 * subresources, printer columns, patch metadata) wired to its generated defaulter, its compiled schema and the
 * hand-written hooks. The runtime installs REST storage and discovery from these alone.
 */
import type { AnalysedGroupVersion, AnalysedModel } from '../analyse.ts';
import { columnDescription, fieldTypeAt, isComputedColumn, printerName, rowHookOf, selectableFieldFn } from '../analyse.ts';
import type { StructModel, TypeRef } from '../model.ts';
import { gvDir, structKey } from '../model.ts';
import { deprecationWarning, openapiName, structOpenapiName } from '../naming.ts';
import { header, lookup, type EmittedFile } from './context.ts';
import { loadTemplate } from './templates.ts';
import { convertsThroughHub } from './conversion.ts';

const template = loadTemplate('register.ts.hbs');

interface PatchMeta {
  strategy?: string;
  mergeKey?: string;
  listType?: string;
}

/** Walks struct fields (through arrays and maps) collecting facts per dotted path; stops at recursion. */
function walkFields(model: AnalysedModel, root: StructModel, visit: (path: string, f: StructModel['fields'][number]) => void): void {
  const go = (s: StructModel, prefix: string, stack: Set<string>) => {
    for (const f of s.fields) {
      const path = prefix ? `${prefix}.${f.name}` : f.name;
      visit(path, f);
      let t: TypeRef = f.type;
      while (t.kind === 'array' || t.kind === 'map') t = t.kind === 'array' ? t.items : t.values;
      if (t.kind === 'struct') {
        const key = structKey(t.group, t.version, t.name);
        if (!stack.has(key)) go(lookup(model, t), path, new Set(stack).add(key));
      }
    }
  };
  go(root, '', new Set([structKey(root.group, root.version, root.name)]));
}

function kindEntry(model: AnalysedModel, gv: AnalysedGroupVersion, k: StructModel, hasDefaults: boolean, validateHooks: Set<string>, converts: boolean, protobuf: boolean) {
  const tags = k.kind!;
  const immutable: string[] = [];
  const rawJson: string[] = [];
  const patchMeta: Record<string, PatchMeta> = {};
  walkFields(model, k, (path, f) => {
    if (f.tags.immutable) immutable.push(path);
    // A RawExtension holds bytes upstream: the runtime keeps the JSON text of such a field as the client wrote it.
    // Top-level fields only (ControllerRevision.data); none of apis/ nests one.
    if (f.type.kind === 'any' && f.type.named?.name === 'RawExtension' && !path.includes('.')) rawJson.push(path);
    const meta: PatchMeta = {};
    if (f.tags.patchStrategy) meta.strategy = f.tags.patchStrategy;
    if (f.tags.patchMergeKey) meta.mergeKey = f.tags.patchMergeKey;
    if (f.tags.listType && f.type.kind === 'array') meta.listType = f.tags.listType;
    if (Object.keys(meta).length) patchMeta[path] = meta;
  });
  const printColumns = `[${tags.printColumns
    .map((c) => {
      const fields = JSON.stringify({ name: c.name, type: c.type, jsonPath: c.jsonPath, description: columnDescription(model, k, c), priority: c.priority });
      return isComputedColumn(c.jsonPath) ? `${fields.slice(0, -1)},"cell":printers.${printerName(k.name, c.jsonPath)}}` : fields;
    })
    .join(',')}]`;
  const hook = validateHooks.has(`validate_${k.name}`) ? `validate_${k.name}` : undefined;
  return {
    name: k.name,
    hook,
    fields: [
      `group: ${JSON.stringify(gv.group)}`,
      `version: ${JSON.stringify(gv.version)}`,
      `kind: ${JSON.stringify(k.name)}`,
      `listKind: ${JSON.stringify(`${k.name}List`)}`,
      `resource: ${JSON.stringify(tags.resource)}`,
      `singular: ${JSON.stringify(tags.singular)}`,
      `scope: ${JSON.stringify(tags.scope)}`,
      `shortNames: ${JSON.stringify(tags.shortNames)}`,
      `categories: ${JSON.stringify(tags.categories)}`,
      `verbs: ${tags.verbs ? JSON.stringify(tags.verbs) : 'allVerbs'}`,
      // A custom subresource names its body's OpenAPI schema, for the paths of the documents.
      `subresources: ${JSON.stringify(tags.subresources.custom ? { ...tags.subresources, custom: tags.subresources.custom.map((c) => ({ ...c, openapiName: openapiName(c.group, c.version, c.kind) })) } : tags.subresources)}`,
      `nameFormat: ${JSON.stringify(tags.nameFormat)}`,
      `printColumns: ${printColumns}`,
      ...(tags.noAgeColumn ? ['noAgeColumn: true'] : []),
      ...gv.hooks.printers.flatMap(({ name }) => {
        const hook = rowHookOf(name);
        return hook?.kind === k.name ? [`${hook.field}: printers.${name}`] : [];
      }),
      ...(tags.generation ? [`generation: '${tags.generation}'`] : []),
      ...(tags.metadataOnUpdate ? [`metadataOnUpdate: '${tags.metadataOnUpdate}'`] : []),
      ...(tags.statusKeepsMetadata ? [`statusKeepsMetadata: ${JSON.stringify(tags.statusKeepsMetadata)}`] : []),
      `openapiName: ${JSON.stringify(structOpenapiName(k))}`,
      `immutableFields: ${JSON.stringify(immutable)}`,
      ...(rawJson.length ? [`rawJsonFields: ${JSON.stringify(rawJson)}`] : []),
      `patchMeta: ${JSON.stringify(patchMeta)}`,
      `builtIn: true`,
      `protobuf: ${protobuf}`,
      ...(tags.deprecated !== undefined ? [`deprecated: ${JSON.stringify(deprecationWarning(gv.group, gv.version, k.name, tags.deprecated))}`] : []),
      ...(tags.selectableFields.length ? [`selectableFields: ${selectableFields(model, k)}`] : []),
      ...(Object.keys(tags.fieldLabelAliases).length ? [`fieldLabelAliases: ${JSON.stringify(tags.fieldLabelAliases)}`] : []),
      ...(tags.fieldSelectorError ? [`fieldSelectorError: ${JSON.stringify(tags.fieldSelectorError)}`] : []),
      `schema: schemas.${k.name}`,
      `toHub: ${converts ? `conversion.toHub_${k.name}` : 'identity'}`,
      `fromHub: ${converts ? `conversion.fromHub_${k.name}` : 'identity'}`,
      `default: ${hasDefaults ? `defaults.default_${k.name}` : 'noDefaults'}`,
      // The hook's errors go to the schema validator, which lets them stand in for its own at the same field.
      // The hook is told the strategy's ValidationOptions, or the shared frozen default (no allocation per call).
      hook ? `validate: (obj, old, opts = defaultValidationOptions) => ${k.name}Schema(obj, ${k.name}Hook(obj, old, opts))` : `validate: (obj) => [...${k.name}Schema(obj)]`,
      ...(validateHooks.has(`validateUpdate_${k.name}`) ? [`validateUpdate: hooks.validateUpdate_${k.name}`] : []),
      ...(gv.hooks.conversion.some((h) => h.name === `decodeError_${k.name}`) ? [`decodeError: conversionHooks.decodeError_${k.name}`] : []),
    ],
  };
}

/** Go's zero value of a selectable field's type, as upstream's GetAttrs formats an unset field. */
const goZero: Record<string, string> = { string: '', integer: '0', boolean: 'false' };

function selectableFields(model: AnalysedModel, k: StructModel): string {
  return `[${k.kind!.selectableFields
    .map((f) => {
      if (f.fn) return `{ label: ${JSON.stringify(f.label)}, value: fields.${selectableFieldFn(k.name, f.fn)} }`;
      const zero = goZero[fieldTypeAt(model, k, f.jsonPath!)?.kind ?? 'string'] ?? '';
      return `{ label: ${JSON.stringify(f.label)}, path: ${JSON.stringify(f.jsonPath!.slice(1))}, zero: ${JSON.stringify(zero)} }`;
    })
    .join(', ')}]`;
}

export function emitRegister(model: AnalysedModel, gv: AnalysedGroupVersion, needsDefaults: Set<string>, hasDefaultsFile: boolean, encodable: Set<string>): EmittedFile {
  const validateHooks = new Set(gv.hooks.validation.map((h) => h.name));
  const all = [...gv.kinds, ...gv.subresourceKinds];
  const converting = new Set(all.filter((k) => convertsThroughHub(model, gv, k.name)));
  const entry = (k: StructModel) =>
    kindEntry(model, gv, k, needsDefaults.has(structKey(k.group, k.version, k.name)), validateHooks, converting.has(k), encodable.has(structKey(k.group, k.version, k.name)));
  const kinds = gv.kinds.map(entry);
  const subresourceKinds = gv.subresourceKinds.map(entry);
  const converts = converting.size > 0;
  const usesIdentity = converting.size < all.length;
  return {
    path: `${gvDir(gv.group, gv.version)}/register.ts`,
    content: template({
      header: header(`apis/${gv.dir}`),
      hasDefaultsFile,
      converts,
      usesIdentity,
      hasHooks: validateHooks.size > 0,
      hooksImport: `../../../apis/${gv.dir}/validation.ts`,
      conversionHooksImport: gv.hooks.conversion.some((h) => h.name.startsWith('decodeError_')) ? `../../../apis/${gv.dir}/conversion.ts` : '',
      printersImport: gv.hooks.printers.length ? `../../../apis/${gv.dir}/printers.ts` : '',
      fieldsImport: gv.hooks.fields.length ? `../../../apis/${gv.dir}/fields.ts` : '',
      usesAllVerbs: [...gv.kinds, ...gv.subresourceKinds].some((k) => !k.kind!.verbs),
      usesNoDefaults: [...gv.kinds, ...gv.subresourceKinds].some((k) => !needsDefaults.has(structKey(k.group, k.version, k.name))),
      kinds,
      subresourceKinds,
      allKinds: [...kinds, ...subresourceKinds],
      group: JSON.stringify(gv.group),
      version: JSON.stringify(gv.version),
      storageVersion: JSON.stringify(gv.storageVersion),
      versionPriority: JSON.stringify(gv.versionPriority),
      deprecated: gv.deprecated,
    }),
  };
}
