/**
 * The tag contract of apis/ (shared/design/markers.md): which JSDoc tags exist, what their text means, and on
 * which types they may stand. Each tag is one table entry, so adding a tag is adding a line here.
 */
import type { Diagnostics } from './errors.ts';
import type { FieldTags, GroupModel, KindTags, Loc, SelectableFieldModel, TypeRef } from './model.ts';

export interface RawTag {
  name: string;
  text: string;
  loc: Loc;
}

/** Standard JSDoc tags that carry no meaning for the generator but are allowed anywhere. */
const neutralTags = new Set(['example', 'see', 'remarks']);

type Applies = 'number' | 'string' | 'array' | 'map' | 'any' | 'struct';

interface FieldTagSpec {
  /** Which field types the tag is allowed on (absent: every type). */
  on?: Applies[];
  parse(text: string, tags: FieldTags): string | void;
}

function numberArg(name: keyof FieldTags) {
  return (text: string, tags: FieldTags) => {
    const n = Number(text);
    if (text === '' || !Number.isFinite(n)) return `expects a number, got "${text}"`;
    (tags as Record<string, unknown>)[name] = n;
  };
}

/** `@exclusiveMinimum 0` (the bound itself) or a bare `@exclusiveMinimum` (makes `@minimum` exclusive). */
function exclusiveBound(bound: 'minimum' | 'maximum', exclusive: 'exclusiveMinimum' | 'exclusiveMaximum') {
  return (text: string, tags: FieldTags) => {
    if (text !== '' && text !== 'true') {
      const n = Number(text);
      if (!Number.isFinite(n)) return `expects a number or nothing, got "${text}"`;
      tags[bound] = n;
    }
    tags[exclusive] = true;
  };
}

function flag(name: keyof FieldTags) {
  return (text: string, tags: FieldTags) => {
    if (text !== '' && text !== 'true') return `takes no value, got "${text}"`;
    (tags as Record<string, unknown>)[name] = true;
  };
}

/** `@mapType` / `@structType`: both are `x-kubernetes-map-type` in OpenAPI, as upstream's two markers are. */
function elementRelationship(text: string, tags: FieldTags): string | void {
  if (text !== 'atomic' && text !== 'granular') return `must be atomic or granular, got "${text}"`;
  tags.mapType = text;
}

/** `@structType` on an interface: how server-side apply treats every field of that type. */
export function parseStructType(raw: RawTag[], diag: Diagnostics): 'atomic' | 'granular' | undefined {
  let out: 'atomic' | 'granular' | undefined;
  for (const t of raw) {
    if (t.text !== 'atomic' && t.text !== 'granular') diag.error(t.loc, `@structType must be atomic or granular, got "${t.text}"`);
    else out = t.text;
  }
  return out;
}

const fieldTagSpecs: Record<string, FieldTagSpec> = {
  default: {
    parse(text, tags) {
      try {
        tags.default = JSON.parse(text);
      } catch {
        return `expects a JSON value, got "${text}" (strings need quotes: @default "Opaque")`;
      }
    },
  },
  minimum: { on: ['number'], parse: numberArg('minimum') },
  maximum: { on: ['number'], parse: numberArg('maximum') },
  exclusiveMinimum: { on: ['number'], parse: exclusiveBound('minimum', 'exclusiveMinimum') },
  exclusiveMaximum: { on: ['number'], parse: exclusiveBound('maximum', 'exclusiveMaximum') },
  minLength: { on: ['string'], parse: numberArg('minLength') },
  maxLength: { on: ['string'], parse: numberArg('maxLength') },
  pattern: {
    on: ['string'],
    parse(text, tags) {
      try {
        new RegExp(text, 'u');
      } catch (e) {
        return `is not a valid regular expression: ${(e as Error).message}`;
      }
      tags.pattern = text;
    },
  },
  // On a map of strings the format applies to the values (Secret.data: base64 bytes).
  format: {
    on: ['string', 'map'],
    parse(text, tags) {
      if (!text) return 'expects a format name';
      tags.format = text;
    },
  },
  minItems: { on: ['array'], parse: numberArg('minItems') },
  maxItems: { on: ['array'], parse: numberArg('maxItems') },
  uniqueItems: { on: ['array'], parse: flag('uniqueItems') },
  minProperties: { on: ['map'], parse: numberArg('minProperties') },
  maxProperties: { on: ['map'], parse: numberArg('maxProperties') },
  listType: {
    // On a string only as Go's []byte (`@format byte`, atomic): upstream marks those `+listType=atomic` too.
    on: ['array', 'string'],
    parse(text, tags) {
      if (text !== 'atomic' && text !== 'set' && text !== 'map') return `must be atomic, set or map, got "${text}"`;
      tags.listType = text;
    },
  },
  listMapKey: {
    on: ['array'],
    parse(text, tags) {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(text)) return `expects a field name, got "${text}"`;
      tags.listMapKeys = [...(tags.listMapKeys ?? []), text];
    },
  },
  mapType: { on: ['map'], parse: elementRelationship },
  structType: { on: ['struct'], parse: elementRelationship },
  patchStrategy: {
    parse(text, tags) {
      const parts = text.split(',');
      if (!text || parts.some((p) => !['merge', 'replace', 'retainKeys'].includes(p))) {
        return `must be merge, replace or retainKeys (comma-separated), got "${text}"`;
      }
      tags.patchStrategy = text;
    },
  },
  patchMergeKey: {
    on: ['array'],
    parse(text, tags) {
      if (!text) return 'expects a field name';
      tags.patchMergeKey = text;
    },
  },
  preserveUnknownFields: { on: ['map', 'any'], parse: flag('preserveUnknownFields') },
  immutable: { parse: flag('immutable') },
  protobuf: {
    parse(text, tags) {
      const n = Number(text);
      if (!Number.isInteger(n) || n < 1 || n > 536870911) return `expects a positive field number, got "${text}"`;
      tags.protobuf = n;
    },
  },
  // Go's wire shape (scripts/go-shapes.ts derives both from upstream's types): see FieldTags.
  alwaysWritten: { parse: flag('alwaysWritten') },
  pointer: { parse: flag('pointer') },
  openEnum: { on: ['string', 'array'], parse: flag('openEnum') },
  deprecated: {
    parse(_text, tags) {
      tags.deprecated = true;
    },
  },
  embeddedResource: { on: ['struct', 'any'], parse: flag('embeddedResource') },
};

/** What a field's type counts as when checking where a tag may stand. */
function typeClass(t: TypeRef): Applies | 'other' {
  switch (t.kind) {
    case 'integer':
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'wellKnown':
      return t.name === 'IntOrString' ? 'other' : 'string';
    case 'array':
      return 'array';
    case 'map':
      return 'map';
    case 'any':
      return 'any';
    case 'struct':
      return 'struct';
    default:
      return 'other';
  }
}

export function parseFieldTags(raw: RawTag[], type: TypeRef, diag: Diagnostics): FieldTags {
  const tags: FieldTags = {};
  for (const tag of raw) {
    if (neutralTags.has(tag.name)) continue;
    const spec = fieldTagSpecs[tag.name];
    if (!spec) {
      diag.error(tag.loc, `unknown tag @${tag.name} on a field (see shared/design/markers.md for the tags a field may carry)`);
      continue;
    }
    const cls = typeClass(type);
    if (spec.on && !spec.on.includes(cls as Applies)) {
      diag.error(tag.loc, `@${tag.name} does not apply to a field of type ${describe(type)} (it applies to ${spec.on.join(', ')})`);
      continue;
    }
    const problem = spec.parse(tag.text, tags);
    if (problem) diag.error(tag.loc, `@${tag.name} ${problem}`);
  }
  if (tags.pointer && (type.kind === 'array' || type.kind === 'map')) {
    diag.error(raw.find((t) => t.name === 'pointer')!.loc, `@pointer does not apply to a ${type.kind === 'array' ? 'list' : 'map'}: Go's slices and maps are nil without one`);
  }
  if (tags.listType && typeClass(type) === 'string' && (tags.listType !== 'atomic' || tags.format !== 'byte')) {
    diag.error(raw.find((t) => t.name === 'listType')!.loc, '@listType on a string applies only to bytes: `@listType atomic` with `@format byte`');
  }
  const scalar = type.kind === 'array' ? type.items : type;
  if (tags.openEnum && !(scalar.kind === 'string' && scalar.enum)) {
    diag.error(raw.find((t) => t.name === 'openEnum')!.loc, "@openEnum applies only to a union of string literals (or a list of one): write the known values as the field's type");
  }
  if (tags.listMapKeys && tags.listType !== 'map') {
    diag.error(raw.find((t) => t.name === 'listMapKey')!.loc, '@listMapKey needs @listType map');
  }
  if (tags.listType === 'map' && !tags.listMapKeys?.length) {
    diag.error(raw.find((t) => t.name === 'listType')!.loc, '@listType map needs at least one @listMapKey');
  }
  return tags;
}

function describe(t: TypeRef): string {
  switch (t.kind) {
    case 'struct':
      return t.name;
    case 'wellKnown':
      return t.name;
    case 'integer':
      return t.format;
    default:
      return t.kind;
  }
}

/** The tags of a group's `doc.ts` (they apply to every version of the group). */
export function parseGroupTags(raw: RawTag[], diag: Diagnostics): Pick<GroupModel, 'crd'> {
  const out: Pick<GroupModel, 'crd'> = {};
  for (const tag of raw) {
    if (neutralTags.has(tag.name)) continue;
    if (tag.name === 'crd') {
      if (tag.text !== '') diag.error(tag.loc, `@crd takes no value, got "${tag.text}"`);
      else out.crd = tag.loc;
    } else diag.error(tag.loc, `unknown tag @${tag.name} on a group (a group's doc.ts may carry @crd; see shared/design/markers.md)`);
  }
  return out;
}

const pluralPattern = /^[a-z][a-z0-9]*$/;

/**
 * Reads the tags of a kind. Returns undefined when the struct is not a kind (no @resource); a kind-only tag on
 * such a struct is an error.
 */
export function parseKindTags(name: string, raw: RawTag[], structLoc: Loc, diag: Diagnostics): KindTags | undefined {
  const resourceTag = raw.find((t) => t.name === 'resource');
  const bodyTag = raw.find((t) => t.name === 'subresourceKind');
  if (bodyTag && !resourceTag) return parseSubresourceKindTags(name, raw, diag);
  const kindTagNames = new Set(['subresourceKind', 'resource', 'singular', 'scope', 'shortNames', 'categories', 'subresource', 'printColumn', 'storageVersion', 'verbs', 'nameFormat', 'selectableField', 'noAgeColumn', 'generation', 'metadataOnUpdate', 'statusKeepsMetadata', 'fieldLabelAlias', 'fieldSelectorError']);
  if (!resourceTag) {
    for (const t of raw) {
      if (kindTagNames.has(t.name)) diag.error(t.loc, `@${t.name} is only allowed on a kind (an interface with @resource)`);
      else if (t.name !== 'deprecated' && !neutralTags.has(t.name)) diag.error(t.loc, `unknown tag @${t.name} on type ${name} (see shared/design/markers.md)`);
    }
    return undefined;
  }
  const kind: KindTags = {
    resource: '',
    singular: name.toLowerCase(),
    scope: 'Namespaced',
    shortNames: [],
    categories: [],
    subresources: {},
    printColumns: [],
    storageVersion: false,
    nameFormat: 'dns1123-subdomain',
    selectableFields: [],
    fieldLabelAliases: {},
  };
  const list = (text: string) => text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const tag of raw) {
    const { text, loc } = tag;
    switch (tag.name) {
      case 'resource':
        if (!pluralPattern.test(text)) diag.error(loc, `@resource expects a lower-case plural name, got "${text}"`);
        kind.resource = text;
        break;
      case 'singular':
        if (!pluralPattern.test(text)) diag.error(loc, `@singular expects a lower-case name, got "${text}"`);
        kind.singular = text;
        break;
      case 'scope':
        if (text !== 'Namespaced' && text !== 'Cluster') diag.error(loc, `@scope must be Namespaced or Cluster, got "${text}"`);
        else kind.scope = text;
        break;
      case 'shortNames':
        kind.shortNames = list(text);
        break;
      case 'categories':
        kind.categories = list(text);
        break;
      case 'subresource': {
        const [sub, ...args] = text.split(/\s+/);
        if (sub === 'status' && args.length === 0) kind.subresources.status = true;
        else if (sub === 'scale' && (args.length === 2 || args.length === 3)) {
          kind.subresources.scale = { specReplicasPath: args[0], statusReplicasPath: args[1], labelSelectorPath: args[2] };
        } else if (args.length === 3 && /^[a-z0-9.-]*\/?v\d+\w*$/.test(args[0]) && /^[A-Z]\w*$/.test(args[1])) {
          const slash = args[0].lastIndexOf('/');
          const verbs = list(args[2]);
          const bad = verbs.filter((v) => !['create', 'delete', 'get', 'update', 'patch'].includes(v));
          if (bad.length) diag.error(loc, `@subresource ${sub} has unsupported verbs ${bad.join(', ')} (known: create, delete, get, update, patch)`);
          (kind.subresources.custom ??= []).push({ name: sub, group: slash < 0 ? '' : args[0].slice(0, slash), version: args[0].slice(slash + 1), kind: args[1], verbs });
        } else {
          diag.error(loc, `@subresource expects "status", "scale <specReplicasPath> <statusReplicasPath> [labelSelectorPath]" or "<name> <apiVersion> <Kind> <verbs>", got "${text}"`);
        }
        break;
      }
      case 'printColumn': {
        // The description is free text to the end of the tag (it may wrap onto the next lines of the comment).
        const m = /^(\S+|"[^"]+")\s+(string|integer|number|boolean|date)\s+(\S+)(?:\s+(\d+)(?=\s|$))?(?:\s+(\S[\s\S]*))?$/.exec(text);
        if (!m) {
          diag.error(loc, `@printColumn expects "<name> <string|integer|number|boolean|date> <jsonPath> [priority] [description]", got "${text}"`);
          break;
        }
        const description = m[5]?.replace(/\s+/g, ' ').trim();
        kind.printColumns.push({ name: m[1].replace(/^"|"$/g, ''), type: m[2], jsonPath: m[3], priority: m[4] ? Number(m[4]) : 0, ...(description ? { description } : {}) });
        break;
      }
      case 'storageVersion':
        kind.storageVersion = true;
        break;
      case 'noAgeColumn':
        if (text) diag.error(loc, `@noAgeColumn takes no argument, got "${text}"`);
        kind.noAgeColumn = true;
        break;
      case 'generation':
        if (text !== 'tracked' && text !== 'none') diag.error(loc, `@generation must be tracked or none, got "${text}"`);
        else kind.generation = text;
        break;
      case 'metadataOnUpdate':
        if (text !== 'full' && text !== 'update' && text !== 'none') diag.error(loc, `@metadataOnUpdate must be full, update or none, got "${text}"`);
        else kind.metadataOnUpdate = text;
        break;
      case 'statusKeepsMetadata': {
        const fields = text === 'none' ? [] : text.split(',').map((f) => f.trim());
        const bad = fields.filter((f) => !['labels', 'annotations', 'finalizers', 'ownerReferences'].includes(f));
        if (text === '' || bad.length) diag.error(loc, `@statusKeepsMetadata takes none or labels, annotations, finalizers, ownerReferences (comma-separated), got "${text}"`);
        else kind.statusKeepsMetadata = fields;
        break;
      }
      case 'verbs': {
        const verbs = list(text);
        const known = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];
        const bad = verbs.filter((v) => !known.includes(v));
        if (bad.length) diag.error(loc, `@verbs has unknown verbs ${bad.join(', ')} (known: ${known.join(', ')})`);
        kind.verbs = verbs;
        break;
      }
      case 'nameFormat':
        if (text !== 'dns1123-subdomain' && text !== 'dns1123-label' && text !== 'dns1035-label' && text !== 'path-segment') {
          diag.error(loc, `@nameFormat must be dns1123-subdomain, dns1123-label, dns1035-label or path-segment, got "${text}"`);
        } else kind.nameFormat = text;
        break;
      case 'deprecated':
        kind.deprecated = text;
        break;
      case 'selectableField': {
        const field = parseSelectableField(text);
        if (!field) diag.error(loc, `@selectableField expects a simple JSON path such as .spec.color, or "<label> <.path|fn()>", got "${text}"`);
        else if (field.label.startsWith('metadata.')) diag.error(loc, `@selectableField ${text}: metadata.name and metadata.namespace are always selectable, other metadata never`);
        else if (kind.selectableFields.some((f) => f.label === field.label)) diag.error(loc, `@selectableField ${field.label} is given twice`);
        else kind.selectableFields.push(field);
        break;
      }
      case 'fieldLabelAlias': {
        const m = /^(\S+)\s+(\S+)$/.exec(text);
        if (!m) diag.error(loc, `@fieldLabelAlias expects "<old label> <label>", got "${text}"`);
        else kind.fieldLabelAliases[m[1]] = m[2];
        break;
      }
      case 'fieldSelectorError':
        if (!/%[sq]/.test(text)) diag.error(loc, `@fieldSelectorError needs %s or %q where the label goes, got "${text}"`);
        else kind.fieldSelectorError = text;
        break;
      default:
        if (!neutralTags.has(tag.name)) diag.error(loc, `unknown tag @${tag.name} on kind ${name} (see shared/design/markers.md)`);
    }
  }
  if (!kind.resource) diag.error(structLoc, `@resource on ${name} needs the plural resource name`);
  return kind;
}

const fieldLabel = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;
const fieldPath = /^(\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** `.spec.color` (label spec.color), `status.successful .status.succeeded`, or `status.podIP podIP()`. */
function parseSelectableField(text: string): SelectableFieldModel | undefined {
  const parts = text.split(/\s+/);
  if (parts.length === 1) return fieldPath.test(parts[0]) ? { label: parts[0].slice(1), jsonPath: parts[0] } : undefined;
  if (parts.length !== 2 || !fieldLabel.test(parts[0])) return undefined;
  if (fieldPath.test(parts[1])) return { label: parts[0], jsonPath: parts[1] };
  const fn = /^(\w+)\(\)$/.exec(parts[1]);
  return fn ? { label: parts[0], fn: fn[1] } : undefined;
}

/** A kind that is only a subresource's body (`@subresourceKind`): no resource, so no other kind tag applies. */
function parseSubresourceKindTags(name: string, raw: RawTag[], diag: Diagnostics): KindTags {
  for (const t of raw) {
    if (t.name !== 'subresourceKind' && t.name !== 'deprecated' && !neutralTags.has(t.name)) {
      diag.error(t.loc, `@${t.name} does not apply to ${name}: a @subresourceKind has no resource of its own`);
    }
  }
  return {
    resource: '',
    singular: '',
    scope: 'Namespaced',
    shortNames: [],
    categories: [],
    subresources: {},
    printColumns: [],
    storageVersion: false,
    nameFormat: 'dns1123-subdomain',
    selectableFields: [],
    fieldLabelAliases: {},
    subresourceKind: true,
  };
}
