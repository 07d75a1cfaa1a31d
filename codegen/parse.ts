/**
 * Reads apis/ with ts-morph into the model. Only syntax is read (type nodes, JSDoc tags), so a type keeps the name
 * it was written with (`int32`, `Quantity`) rather than what TypeScript resolves it to (`number`, `string`).
 */
import { Node, Project, SyntaxKind, ts, type InterfaceDeclaration, type JSDoc, type SourceFile, type TypeAliasDeclaration, type TypeNode } from 'ts-morph';
import { relative, sep } from 'node:path';
import { Diagnostics } from './errors.ts';
import type { ApiModel, FieldModel, FreeFormTypeModel, GroupModel, GroupVersionModel, Loc, StructModel, TypeRef, WellKnownName } from './model.ts';
import { structKey } from './model.ts';
import { parseFieldTags, parseGroupTags, parseKindTags, parseStructType, type RawTag } from './tags.ts';

/** Files in a version folder that hold hand-written hooks rather than types. */
const hookFiles = { 'defaults.ts': 'defaults', 'validation.ts': 'validation', 'conversion.ts': 'conversion', 'printers.ts': 'printers', 'fields.ts': 'fields' } as const;
const hookPrefixes: Record<keyof GroupVersionModel['hooks'], readonly string[]> = {
  defaults: ['setDefaults_'],
  // validate_<Kind> checks every write; validateUpdate_<Kind> what only an update checks, before validate_<Kind>.
  validation: ['validate_', 'validateUpdate_'],
  // convert_<T>_to_hub/_from_hub change version; decodeError_<Kind> is what the conversion refuses in a body.
  conversion: ['convert_', 'decodeError_'],
  // print_<Kind>_<column> computes a column; order_<Kind> orders a list's rows; conditions_<Kind> gives a row's
  // conditions.
  printers: ['print_', 'order_', 'conditions_'],
  fields: ['field_'],
};

/** Go's names of the version's types where they are not the declarations' (codegen/gotypes.ts). */
const goTypesFile = 'gotypes.ts';

const integerAliases: Record<string, 'int32' | 'int64'> = { int32: 'int32', int64: 'int64' };
const wellKnownAliases = new Set<WellKnownName>(['Time', 'MicroTime', 'Quantity', 'IntOrString']);
/** Standard JSDoc tags, allowed on the type aliases that declare a type of their own (value and free-form types). */
const standardAliasTags = ['example', 'see', 'remarks', 'deprecated'];

interface Context {
  root: string;
  diag: Diagnostics;
  /** Structs already read, so an embedded base read through `extends` is read (and checked) once. */
  structs: Map<InterfaceDeclaration, StructModel>;
}

export function parseApis(root: string, apisDir = 'apis'): { model: ApiModel; diag: Diagnostics } {
  const project = new Project({
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowImportingTsExtensions: true, noEmit: true },
  });
  project.addSourceFilesAtPaths(`${root}/${apisDir}/**/*.ts`);
  const ctx: Context = { root, diag: new Diagnostics(), structs: new Map() };
  const byDir = new Map<string, SourceFile[]>();
  const groups = new Map<string, GroupModel>();
  for (const sf of project.getSourceFiles()) {
    const rel = relative(`${root}/${apisDir}`, sf.getFilePath()).split(sep);
    if (rel.length === 2 && rel[1] === 'doc.ts') {
      const group = readGroupDoc(ctx, sf, rel[0] === 'core' ? '' : rel[0]);
      groups.set(group.group, group);
      continue;
    }
    if (rel.length !== 3) {
      ctx.diag.error(loc(ctx, sf), 'files in apis/ belong in apis/<group>/<version>/ (or are the group\'s apis/<group>/doc.ts)');
      continue;
    }
    const dir = `${rel[0]}/${rel[1]}`;
    byDir.set(dir, [...(byDir.get(dir) ?? []), sf]);
  }

  const groupVersions: GroupVersionModel[] = [];
  const structs = new Map<string, StructModel>();
  for (const dir of [...byDir.keys()].sort()) {
    const [groupDir, version] = dir.split('/');
    if (!/^v\d+((alpha|beta)\d+)?$/.test(version)) {
      ctx.diag.error(loc(ctx, byDir.get(dir)![0]), `"${version}" is not a Kubernetes version name (v1, v1beta1, v2alpha1, ...)`);
      continue;
    }
    const group = groupDir === 'core' ? '' : groupDir;
    const gv: GroupVersionModel = { group, version, dir, structs: [], freeFormTypes: [], hooks: { defaults: [], validation: [], conversion: [], printers: [], fields: [] }, deprecated: false };
    for (const sf of byDir.get(dir)!.sort((a, b) => a.getFilePath().localeCompare(b.getFilePath()))) {
      const base = sf.getBaseName() as keyof typeof hookFiles;
      if (base in hookFiles) {
        readHooks(ctx, sf, hookFiles[base], gv);
        continue;
      }
      if (sf.getBaseName() === goTypesFile) {
        gv.goTypes = readGoTypeFacts(ctx, sf);
        continue;
      }
      for (const decl of sf.getInterfaces()) {
        if (!decl.isExported()) continue;
        const struct = readStruct(ctx, decl, group, version);
        gv.structs.push(struct);
        structs.set(structKey(group, version, struct.name), struct);
      }
      for (const decl of sf.getTypeAliases()) {
        if (decl.isExported() && isFreeFormAlias(decl)) gv.freeFormTypes.push(readFreeFormType(ctx, decl));
        if (!decl.isExported() || !isValueAlias(decl) || groupDir === 'meta') continue;
        const struct = readValueType(ctx, decl, group, version);
        gv.structs.push(struct);
        structs.set(structKey(group, version, struct.name), struct);
      }
    }
    groupVersions.push(gv);
  }
  return { model: { groupVersions, structs, groups }, diag: ctx.diag };
}

/**
 * `apis/<group>/doc.ts`, Go's package doc.go for a whole group: the file's leading JSDoc block, whose tags apply to
 * every version of the group. The block stands alone (no declaration follows it), so it is read from the comment
 * text rather than from a node's JSDoc.
 */
function readGroupDoc(ctx: Context, sf: SourceFile, group: string): GroupModel {
  const text = sf.getFullText();
  const fileLoc = { file: relative(ctx.root, sf.getFilePath()), line: 1 };
  const block = (ts.getLeadingCommentRanges(text, 0) ?? []).find((r) => text.startsWith('/**', r.pos));
  if (!block) {
    ctx.diag.error(fileLoc, 'doc.ts of a group holds one JSDoc block (/** ... */) with the group\'s tags');
    return { group, loc: fileLoc };
  }
  const firstLine = text.slice(0, block.pos).split('\n').length;
  const tags: RawTag[] = [];
  text
    .slice(block.pos + 3, block.end - 2)
    .split('\n')
    .forEach((line, i) => {
      const m = /^\s*\*?\s*@(\w+)\s*(.*?)\s*$/.exec(line);
      if (m) tags.push({ name: m[1], text: m[2], loc: { file: fileLoc.file, line: firstLine + i } });
    });
  return { group, loc: fileLoc, ...parseGroupTags(tags, ctx.diag) };
}

function loc(ctx: Context, node: Node): Loc {
  return { file: relative(ctx.root, node.getSourceFile().getFilePath()), line: node.getStartLineNumber() };
}

function readHooks(ctx: Context, sf: SourceFile, kind: keyof typeof hookPrefixes, gv: GroupVersionModel): void {
  const prefixes = hookPrefixes[kind];
  for (const fn of sf.getFunctions()) {
    if (!fn.isExported()) continue;
    const name = fn.getName() ?? '';
    if (!prefixes.some((p) => name.startsWith(p))) {
      ctx.diag.error(loc(ctx, fn), `exported function ${name} in ${sf.getBaseName()} must be named ${prefixes.map((p) => `${p}<Type>`).join(' or ')}`);
      continue;
    }
    gv.hooks[kind].push({ name, loc: loc(ctx, fn) });
  }
}

/**
 * `gotypes.ts`: `export const goTypes = { '<Struct>.<field>': '<Go type>', ... }` and
 * `export const goStructNames = { '<Struct>': '<Go name>' }`, object literals of string literals.
 */
function readGoTypeFacts(ctx: Context, sf: SourceFile): { fields: Record<string, string>; structs: Record<string, string> } {
  const read = (name: string): Record<string, string> => {
    const out: Record<string, string> = {};
    const decl = sf.getVariableDeclaration(name);
    if (!decl) return out;
    const init = decl.getInitializer();
    if (!init || !Node.isObjectLiteralExpression(init)) {
      ctx.diag.error(loc(ctx, decl), `${name} in ${goTypesFile} must be an object literal of string literals`);
      return out;
    }
    for (const p of init.getProperties()) {
      const value = Node.isPropertyAssignment(p) ? p.getInitializer() : undefined;
      if (!Node.isPropertyAssignment(p) || !value || !Node.isStringLiteral(value)) {
        ctx.diag.error(loc(ctx, p), `${name} in ${goTypesFile} maps names to string literals`);
        continue;
      }
      out[p.getName().replace(/^['"]|['"]$/g, '')] = value.getLiteralValue();
    }
    return out;
  };
  return { fields: read('goTypes'), structs: read('goStructNames') };
}

function docOf(node: { getJsDocs(): JSDoc[] }): { text: string; tags: RawTag[]; jsdocs: JSDoc[] } {
  const jsdocs = node.getJsDocs();
  const text = jsdocs.map((d) => (d.getDescription() ?? '').trim()).filter(Boolean).join('\n\n');
  return { text: normaliseDoc(text), tags: [], jsdocs };
}

function normaliseDoc(text: string): string {
  return text
    .split('\n')
    .map((l) => l.trim())
    .join('\n')
    .replace(/([^\n])\n(?!\n)/g, '$1 ')
    .trim();
}

function tagsOf(ctx: Context, jsdocs: JSDoc[]): RawTag[] {
  return jsdocs.flatMap((d) =>
    d.getTags().map((t) => ({
      name: t.getTagName(),
      text: (t.getCommentText() ?? '').trim(),
      loc: loc(ctx, t),
    })),
  );
}

function readStruct(ctx: Context, decl: InterfaceDeclaration, group: string, version: string): StructModel {
  const known = ctx.structs.get(decl);
  if (known) return known;
  const doc = docOf(decl);
  const structLoc = loc(ctx, decl);
  const name = decl.getName();
  if (decl.getTypeParameters().length > 0) ctx.diag.error(structLoc, `${name} is generic; types in apis/ cannot have type parameters`);
  const allTags = tagsOf(ctx, doc.jsdocs);
  const embedTags = allTags.filter((t) => t.name === 'protobufEmbed');
  const structType = parseStructType(allTags.filter((t) => t.name === 'structType'), ctx.diag);
  const kind = parseKindTags(name, allTags.filter((t) => t.name !== 'protobufEmbed' && t.name !== 'structType'), structLoc, ctx.diag);
  const fields: FieldModel[] = [];
  const embeds: StructModel['embeds'] = [];
  // Embedded structs (Go's anonymous fields): their fields are this struct's in JSON, a nested message in protobuf.
  for (const clause of decl.getExtends()) {
    let symbol = clause.getExpression().getSymbol();
    if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
    const baseDecl = symbol?.getDeclarations()[0];
    if (!baseDecl || !Node.isInterfaceDeclaration(baseDecl)) {
      ctx.diag.error(loc(ctx, clause), `${name} extends ${clause.getText()}, which is not an interface declared in apis/`);
      continue;
    }
    const [baseGroupDir, baseVersion] = relative(`${ctx.root}/apis`, baseDecl.getSourceFile().getFilePath()).split(sep);
    const base = readStruct(ctx, baseDecl, baseGroupDir === 'core' ? '' : baseGroupDir, baseVersion);
    const tag = embedTags.find((t) => t.text.split(/\s+/)[0] === base.name);
    let protobuf: number | undefined;
    if (tag) {
      protobuf = Number(tag.text.split(/\s+/)[1]);
      if (!Number.isInteger(protobuf) || protobuf < 1) ctx.diag.error(tag.loc, `@protobufEmbed expects "<Type> <field number>", got "${tag.text}"`);
    }
    embeds.push({ name: base.name, group: base.group, version: base.version, protobuf });
    const key = structKey(base.group, base.version, base.name);
    fields.push(...base.fields.map((f) => ({ ...f, embeddedFrom: key })));
  }
  for (const tag of embedTags) {
    if (!embeds.some((e) => e.name === tag.text.split(/\s+/)[0])) ctx.diag.error(tag.loc, `@protobufEmbed names ${tag.text.split(/\s+/)[0]}, which ${name} does not extend`);
  }
  for (const member of decl.getMembers()) {
    if (!Node.isPropertySignature(member)) {
      ctx.diag.error(loc(ctx, member), `${name} may only declare properties (found ${member.getKindName()})`);
      continue;
    }
    const typeNode = member.getTypeNode();
    if (!typeNode) {
      ctx.diag.error(loc(ctx, member), `${name}.${member.getName()} needs a type`);
      continue;
    }
    const type = readType(ctx, typeNode);
    const fdoc = docOf(member);
    const tags = parseFieldTags(tagsOf(ctx, fdoc.jsdocs), type, ctx.diag);
    if (type.kind === 'any' && !type.named && !tags.preserveUnknownFields) {
      ctx.diag.error(loc(ctx, member), `${name}.${member.getName()} is free-form JSON; mark it @preserveUnknownFields or give it a type`);
    }
    fields.push({ name: member.getName().replace(/^['"]|['"]$/g, ''), doc: fdoc.text, optional: member.hasQuestionToken(), type, tags, loc: loc(ctx, member) });
  }
  if (kind) {
    // A subresource's options (PodExecOptions) are TypeMeta alone, as upstream's: no metadata.
    for (const required of kind.subresourceKind ? ['apiVersion', 'kind'] : ['apiVersion', 'kind', 'metadata']) {
      if (!fields.some((f) => f.name === required)) ctx.diag.error(structLoc, `kind ${name} needs a ${required}?: field`);
    }
  }
  const struct: StructModel = { name, group, version, doc: doc.text, fields, loc: structLoc, kind, embeds, ...(structType ? { structType } : {}) };
  ctx.structs.set(decl, struct);
  return struct;
}

const unknownType: TypeRef = { kind: 'any' };

/**
 * Whether a type alias declares a value type of its own (a named OpenAPI definition) rather than a name for an
 * inline type: an alias to `unknown` (arbitrary JSON) or to a union that is not only string literals.
 */
function isValueAlias(decl: TypeAliasDeclaration): boolean {
  const node = decl.getTypeNode();
  if (!node) return false;
  if (node.getKind() === SyntaxKind.UnknownKeyword) return true;
  return Node.isUnionTypeNode(node) && node.getTypeNodes().some((m) => !Node.isLiteralTypeNode(m));
}

/** Whether a type alias declares a free-form type (`Record<string, unknown>`, see FreeFormTypeModel). */
function isFreeFormAlias(decl: TypeAliasDeclaration): boolean {
  const node = decl.getTypeNode();
  if (!node || !Node.isTypeReference(node) || node.getTypeName().getText() !== 'Record') return false;
  const args = node.getTypeArguments();
  return args.length === 2 && args[0].getKind() === SyntaxKind.StringKeyword && args[1].getKind() === SyntaxKind.UnknownKeyword;
}

/** A free-form type: `type RawExtension = Record<string, unknown>`. */
function readFreeFormType(ctx: Context, decl: TypeAliasDeclaration): FreeFormTypeModel {
  const doc = docOf(decl);
  for (const t of tagsOf(ctx, doc.jsdocs)) {
    if (!standardAliasTags.includes(t.name)) ctx.diag.error(t.loc, `unknown tag @${t.name} on free-form type ${decl.getName()} (see shared/design/markers.md)`);
  }
  return { name: decl.getName(), doc: doc.text, loc: loc(ctx, decl) };
}

/** What a shape of a value type is in JSON, to refuse unions whose members a decoder could not tell apart. */
function jsonKind(t: TypeRef): string {
  switch (t.kind) {
    case 'string':
    case 'wellKnown':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'map':
    case 'struct':
    case 'any':
      return 'object';
    default:
      return t.kind;
  }
}

/** A value type: `type JSON = unknown` or `type JSONSchemaPropsOrBool = JSONSchemaProps | boolean`. */
function readValueType(ctx: Context, decl: TypeAliasDeclaration, group: string, version: string): StructModel {
  const doc = docOf(decl);
  const at = loc(ctx, decl);
  const node = decl.getTypeNode()!;
  const members = node.getKind() === SyntaxKind.UnknownKeyword ? [node] : (node as import('ts-morph').UnionTypeNode).getTypeNodes();
  const shapeTexts = members.map((m) => m.getText().replace(/\s+/g, ''));
  const oneOfProtobuf: Array<number | undefined> = shapeTexts.map(() => undefined);
  for (const t of tagsOf(ctx, doc.jsdocs)) {
    if (t.name === 'protobufShape') {
      // `@protobufShape <shape as written> <field number>`: the message field that carries that shape.
      const m = /^(\S+)\s+(\d+)$/.exec(t.text);
      const i = m ? shapeTexts.indexOf(m[1]) : -1;
      if (!m || i < 0) ctx.diag.error(t.loc, `@protobufShape expects "<shape> <field number>" with a shape of ${decl.getName()} (${shapeTexts.join(', ')}), got "${t.text}"`);
      else oneOfProtobuf[i] = Number(m[2]);
      continue;
    }
    if (!standardAliasTags.includes(t.name)) ctx.diag.error(t.loc, `unknown tag @${t.name} on value type ${decl.getName()} (see shared/design/markers.md)`);
  }
  let oneOf: TypeRef[];
  if (node.getKind() === SyntaxKind.UnknownKeyword) oneOf = [unknownType];
  else {
    oneOf = members.map((m) => readType(ctx, m));
    const seen = new Map<string, number>();
    for (const t of oneOf) seen.set(jsonKind(t), (seen.get(jsonKind(t)) ?? 0) + 1);
    for (const [kind, n] of seen) {
      if (n > 1) ctx.diag.error(at, `value type ${decl.getName()} has ${n} shapes that are a JSON ${kind}; each shape of a union must be a different JSON type`);
    }
  }
  const numbered = oneOfProtobuf.some((n) => n !== undefined);
  if (numbered) {
    oneOfProtobuf.forEach((n, i) => n === undefined && ctx.diag.error(at, `${decl.getName()} has no @protobufShape for ${shapeTexts[i]}, though other shapes have one`));
  }
  return { name: decl.getName(), group, version, doc: doc.text, fields: [], loc: at, embeds: [], oneOf, ...(numbered ? { oneOfProtobuf } : {}) };
}

function readType(ctx: Context, node: TypeNode): TypeRef {
  if (Node.isParenthesizedTypeNode(node)) return readType(ctx, node.getTypeNode());
  switch (node.getKind()) {
    case SyntaxKind.StringKeyword:
      return { kind: 'string' };
    case SyntaxKind.NumberKeyword:
      return { kind: 'number' };
    case SyntaxKind.BooleanKeyword:
      return { kind: 'boolean' };
    case SyntaxKind.UnknownKeyword:
      return unknownType;
  }
  if (Node.isArrayTypeNode(node)) return { kind: 'array', items: readType(ctx, node.getElementTypeNode()) };
  if (Node.isUnionTypeNode(node)) return readUnion(ctx, node.getTypeNodes(), node);
  if (Node.isLiteralTypeNode(node)) return readUnion(ctx, [node], node);
  if (Node.isTypeLiteral(node)) {
    const index = node.getIndexSignatures();
    if (index.length === 1 && node.getProperties().length === 0 && index[0].getKeyType().getText() === 'string') {
      return mapOf(ctx, index[0].getReturnTypeNode(), node);
    }
    ctx.diag.error(loc(ctx, node), 'inline object types are not supported; declare an exported interface and refer to it');
    return unknownType;
  }
  if (Node.isTypeReference(node)) {
    const typeName = node.getTypeName().getText();
    const args = node.getTypeArguments();
    if (typeName === 'Record' && args.length === 2 && args[0].getKind() === SyntaxKind.StringKeyword) return mapOf(ctx, args[1], node);
    if (typeName === 'Array' && args.length === 1) return { kind: 'array', items: readType(ctx, args[0]) };
    return readNamedType(ctx, node, typeName);
  }
  ctx.diag.error(loc(ctx, node), `unsupported type "${node.getText()}"`);
  return unknownType;
}

function mapOf(ctx: Context, valueNode: TypeNode | undefined, at: Node): TypeRef {
  if (!valueNode) {
    ctx.diag.error(loc(ctx, at), 'map value type missing');
    return unknownType;
  }
  const values = readType(ctx, valueNode);
  return values.kind === 'any' && !values.named ? unknownType : { kind: 'map', values };
}

function readUnion(ctx: Context, members: TypeNode[], at: Node): TypeRef {
  const values: string[] = [];
  for (const m of members) {
    const lit = Node.isLiteralTypeNode(m) ? m.getLiteral() : undefined;
    if (lit && Node.isStringLiteral(lit)) values.push(lit.getLiteralValue());
    else {
      ctx.diag.error(loc(ctx, at), `unsupported union "${at.getText()}": only unions of string literals (enums) are allowed`);
      return unknownType;
    }
  }
  return { kind: 'string', enum: values };
}

/** Resolves a named type through imports to its declaration in apis/. */
function readNamedType(ctx: Context, node: TypeNode, typeName: string): TypeRef {
  const ref = node.asKindOrThrow(SyntaxKind.TypeReference);
  let symbol = ref.getTypeName().getSymbol();
  if (symbol?.isAlias()) symbol = symbol.getAliasedSymbol();
  const decl = symbol?.getDeclarations()[0];
  if (!decl) {
    ctx.diag.error(loc(ctx, node), `unknown type ${typeName}: import it from apis/ (meta types live in apis/meta/v1)`);
    return unknownType;
  }
  const rel = relative(`${ctx.root}/apis`, decl.getSourceFile().getFilePath()).split(sep);
  const [groupDir, version] = rel;
  const name = symbol!.getName();
  if (groupDir === 'meta' && version === 'v1' && Node.isTypeAliasDeclaration(decl)) {
    if (name in integerAliases) return { kind: 'integer', format: integerAliases[name] };
    if (wellKnownAliases.has(name as WellKnownName)) return { kind: 'wellKnown', name: name as WellKnownName };
  }
  if (Node.isInterfaceDeclaration(decl)) {
    return { kind: 'struct', name, group: groupDir === 'core' ? '' : groupDir, version };
  }
  if (Node.isTypeAliasDeclaration(decl) && decl.isExported() && isFreeFormAlias(decl)) {
    return { kind: 'any', named: { group: groupDir === 'core' ? '' : groupDir, version, name } };
  }
  if (Node.isTypeAliasDeclaration(decl) && isValueAlias(decl) && groupDir !== 'meta') {
    return { kind: 'struct', name, group: groupDir === 'core' ? '' : groupDir, version };
  }
  if (Node.isTypeAliasDeclaration(decl)) {
    const aliased = decl.getTypeNode();
    if (aliased) return readType(ctx, aliased);
  }
  ctx.diag.error(loc(ctx, node), `type ${typeName} must be an interface or a type alias declared in apis/`);
  return unknownType;
}
