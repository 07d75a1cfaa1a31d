/**
 * The CustomResourceDefinition kind as a user sees it, through kubectl and HTTPS: created with upstream's defaults,
 * named and established by the in-process controllers (`kubectl wait --for=condition=Established`), printed with
 * NAME and CREATED AT, listed by discovery with its short names and category, refused with upstream's 422 messages
 * when invalid (non-structural schemas, bad names, two storage versions, CEL rules that do not compile, bad
 * printer column paths, ...), and NamesAccepted=False with upstream's reasons when its names are taken.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { after, before, describe, it } from 'node:test';
import { eventually, kubectlRunner } from '../support/kubectl.ts';
import { startServer, type TestServer } from '../support/server.ts';

const crdPath = '/apis/apiextensions.k8s.io/v1/customresourcedefinitions';

interface CRDOptions {
  group?: string;
  plural?: string;
  kind?: string;
  shortNames?: string[];
  scope?: string;
}

/** A valid CRD; tests change one thing at a time. */
function crd(o: CRDOptions = {}): any { // eslint-disable-line @typescript-eslint/no-explicit-any
  const group = o.group ?? 'example.com';
  const plural = o.plural ?? 'widgets';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: {
      group,
      scope: o.scope ?? 'Namespaced',
      names: { plural, kind: o.kind ?? 'Widget', ...(o.shortNames ? { shortNames: o.shortNames } : {}) },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: { type: 'object', properties: { size: { type: 'integer' }, color: { type: 'string' } } },
                status: { type: 'object', properties: { ready: { type: 'boolean' } } },
              },
            },
          },
        },
      ],
    },
  };
}

const toYaml = (o: unknown) => JSON.stringify(o); // kubectl reads JSON manifests as YAML

describe('CustomResourceDefinitions', () => {
  let server: TestServer;
  let kubectl: ReturnType<typeof kubectlRunner>;
  const ok = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed (${r.code}):\n${r.stderr}`);
    return r.stdout;
  };
  const fails = async (args: string[], input?: string) => {
    const r = await kubectl.run(args, input);
    assert.notEqual(r.code, 0, `kubectl ${args.join(' ')} should have failed:\n${r.stdout}`);
    return r.stderr;
  };
  const getCRD = async (name: string) => JSON.parse(await ok(['get', 'crd', name, '-o', 'json']));
  const condition = (obj: any, type: string) => obj.status?.conditions?.find((c: { type: string }) => c.type === type); // eslint-disable-line @typescript-eslint/no-explicit-any

  before(async () => {
    server = await startServer();
    kubectl = kubectlRunner(server.kubeconfig);
  });
  after(async () => server?.stop());

  it('kubectl apply creates a CRD with upstream defaults; the controllers accept its names and establish it', async () => {
    const out = await ok(['apply', '-f', '-'], toYaml(crd({ shortNames: ['wd'] })));
    assert.match(out, /customresourcedefinition.apiextensions.k8s.io\/widgets.example.com created/);
    const waited = await ok(['wait', '--for=condition=Established', 'crd/widgets.example.com', '--timeout=30s']);
    assert.match(waited, /condition met/);
    const got = await getCRD('widgets.example.com');
    assert.equal(got.metadata.generation, 1);
    assert.deepEqual(got.spec.conversion, { strategy: 'None' });
    assert.equal(got.spec.names.singular, 'widget');
    assert.equal(got.spec.names.listKind, 'WidgetList');
    assert.deepEqual(got.status.acceptedNames, { plural: 'widgets', singular: 'widget', shortNames: ['wd'], kind: 'Widget', listKind: 'WidgetList' });
    assert.deepEqual(got.status.storedVersions, ['v1']);
    const names = condition(got, 'NamesAccepted');
    assert.equal(names.status, 'True');
    assert.equal(names.reason, 'NoConflicts');
    assert.equal(names.message, 'no conflicts found');
    assert.match(names.lastTransitionTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const established = condition(got, 'Established');
    assert.deepEqual([established.status, established.reason, established.message], ['True', 'InitialNamesAccepted', 'the initial names have been accepted']);
    assert.equal(condition(got, 'NonStructuralSchema'), undefined);
    // Stored where upstream's apiextensions server keeps CRDs (etcdctl users look there).
    const db = new Database(join(server.dataDir, 'kube-ts.db'), { readonly: true });
    try {
      const row = db.prepare('SELECT key FROM latest WHERE key = ?').get('/registry/apiextensions.k8s.io/customresourcedefinitions/widgets.example.com');
      assert.ok(row, 'the CRD is stored under /registry/apiextensions.k8s.io/customresourcedefinitions/');
    } finally {
      db.close();
    }
  });

  it('kubectl get crd prints NAME and CREATED AT (the timestamp itself)', async () => {
    const out = await ok(['get', 'crd', 'widgets.example.com']);
    const [header, row] = out.trim().split('\n');
    assert.deepEqual(header.split(/\s{2,}/), ['NAME', 'CREATED AT']);
    assert.match(row, /^widgets\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // Short names work as upstream's: crd, crds.
    assert.match(await ok(['get', 'crds']), /widgets\.example\.com/);
  });

  it('status written with the object is ignored; spec changes count in generation', async () => {
    const got = await getCRD('widgets.example.com');
    got.status.acceptedNames.kind = 'Hijacked';
    got.spec.versions[0].additionalPrinterColumns = [{ name: 'Size', type: 'integer', jsonPath: '.spec.size' }];
    const res = await server.request('PUT', `${crdPath}/widgets.example.com`, got);
    assert.equal(res.status, 200, res.text);
    assert.equal(res.json.metadata.generation, 2);
    assert.equal(res.json.status.acceptedNames.kind, 'Widget');
    // Without a resourceVersion an update is refused, as upstream (controllers and users race on CRDs).
    delete got.metadata.resourceVersion;
    const blind = await server.request('PUT', `${crdPath}/widgets.example.com`, got);
    assert.equal(blind.status, 422, blind.text);
  });

  it('discovery and kubectl api-resources list customresourcedefinitions with crd, crds and api-extensions', async () => {
    const res = await ok(['api-resources', '--api-group=apiextensions.k8s.io', '--no-headers']);
    assert.match(res, /^customresourcedefinitions\s+crd,crds\s+apiextensions\.k8s\.io\/v1\s+false\s+CustomResourceDefinition\s*$/m);
    const disc = await server.request('GET', '/apis/apiextensions.k8s.io/v1');
    assert.equal(disc.status, 200);
    const r = disc.json.resources.find((x: { name: string }) => x.name === 'customresourcedefinitions');
    assert.deepEqual(r.shortNames, ['crd', 'crds']);
    assert.deepEqual(r.categories, ['api-extensions']);
    assert.equal(r.namespaced, false);
    assert.ok(disc.json.resources.some((x: { name: string }) => x.name === 'customresourcedefinitions/status'));
    const groups = await server.request('GET', '/apis');
    assert.ok(groups.json.groups.some((g: { name: string }) => g.name === 'apiextensions.k8s.io'));
    // The category: `kubectl get api-extensions` lists CRDs with the webhook configurations.
    assert.match(await ok(['get', 'api-extensions']), /customresourcedefinition\.apiextensions\.k8s\.io\/widgets\.example\.com/);
  });

  it('the OpenAPI documents use upstream names, with JSONSchemaProps and its x-kubernetes-* properties', async () => {
    const v2 = await server.request('GET', '/openapi/v2');
    const defs = v2.json.definitions;
    const name = 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1';
    assert.ok(defs[`${name}.CustomResourceDefinition`], 'CustomResourceDefinition');
    const props = defs[`${name}.JSONSchemaProps`].properties;
    for (const p of ['$ref', '$schema', 'x-kubernetes-preserve-unknown-fields', 'x-kubernetes-int-or-string', 'x-kubernetes-validations', 'x-kubernetes-list-map-keys']) assert.ok(props[p], p);
    assert.ok(defs[`${name}.JSONSchemaPropsOrBool`]);
    const v3 = await server.request('GET', '/openapi/v3/apis/apiextensions.k8s.io/v1');
    assert.equal(v3.status, 200);
    assert.ok(v3.json.components.schemas[`${name}.JSON`]);
    // Upstream's ResourceScope and ConversionStrategyType have no +enum: neither document lists their values
    // (kubernetes v1.32 api/openapi-spec/v3/apis__apiextensions.k8s.io__v1_openapi.json).
    for (const [doc, schemas] of [['v2', defs], ['v3', v3.json.components.schemas]] as const) {
      const { scope } = schemas[`${name}.CustomResourceDefinitionSpec`].properties;
      const { strategy } = schemas[`${name}.CustomResourceConversion`].properties;
      assert.deepEqual([scope.type, scope.enum], ['string', undefined], `${doc} spec.scope`);
      assert.deepEqual([strategy.type, strategy.enum], ['string', undefined], `${doc} conversion.strategy`);
    }
    const explain = await ok(['explain', 'crd.spec.versions.schema.openAPIV3Schema']);
    assert.match(explain, /x-kubernetes-preserve-unknown-fields\s+<boolean>/);
  });

  /** Creates `body` over HTTPS expecting 422; returns the Status' causes as `field: message` lines. */
  const invalid = async (body: unknown): Promise<string[]> => {
    const res = await server.request('POST', crdPath, body);
    assert.equal(res.status, 422, res.text);
    assert.equal(res.json.reason, 'Invalid');
    assert.equal(res.json.details.kind, 'CustomResourceDefinition');
    return (res.json.details.causes ?? []).map((c: { field: string; message: string }) => `${c.field}: ${c.message}`);
  };

  it('refuses a non-structural schema with upstream paths and messages', async () => {
    const noType = crd({ group: 'bad1.example.com' });
    delete noType.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.type;
    assert.deepEqual(await invalid(noType), ['spec.validation.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields']);

    const typedAnyOf = crd({ group: 'bad2.example.com' });
    typedAnyOf.spec.versions[0].schema.openAPIV3Schema.properties.spec.anyOf = [{ type: 'object', properties: { size: { minimum: 1 } } }];
    assert.deepEqual(await invalid(typedAnyOf), ['spec.validation.openAPIV3Schema.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural']);

    const metadata = crd({ group: 'bad3.example.com' });
    metadata.spec.versions[0].schema.openAPIV3Schema.properties.metadata = { type: 'object', properties: { labels: { type: 'object' } } };
    assert.deepEqual(await invalid(metadata), [
      'spec.validation.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified',
    ]);

    const ref = crd({ group: 'bad4.example.com' });
    ref.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size = { $ref: '#/definitions/size' };
    assert.ok((await invalid(ref)).includes('spec.validation.openAPIV3Schema.properties[spec].properties[size].$ref: Forbidden: $ref is not supported'));

    const both = crd({ group: 'bad5.example.com' });
    both.spec.versions[0].schema.openAPIV3Schema.properties.spec.additionalProperties = { type: 'string' };
    assert.deepEqual(await invalid(both), ['spec.validation.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive']);

    // Two versions with different schemas are reported per version.
    const twoVersions = crd({ group: 'bad6.example.com' });
    twoVersions.spec.versions.push({ name: 'v2', served: true, storage: false, schema: { openAPIV3Schema: { type: 'object', properties: { spec: {} } } } });
    assert.deepEqual(await invalid(twoVersions), ['spec.versions[1].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields']);

    // kubectl shows the same message.
    const stderr = await fails(['create', '-f', '-'], toYaml(noType));
    assert.match(stderr, /The CustomResourceDefinition "widgets\.bad1\.example\.com" is invalid: spec\.validation\.openAPIV3Schema\.properties\[spec\]\.properties\[size\]\.type: Required value: must not be empty for specified object fields/);
  });

  it('refuses bad names, groups, scopes and storage versions', async () => {
    const name = crd({ group: 'names.example.com' });
    name.metadata.name = 'gadgets.names.example.com';
    assert.deepEqual(await invalid(name), ['metadata.name: Invalid value: "gadgets.names.example.com": must be spec.names.plural+"."+spec.group']);

    const group = crd({ group: 'example' });
    assert.deepEqual(await invalid(group), ['spec.group: Invalid value: "example": should be a domain with at least one dot']);

    const plural = crd({ group: 'plural.example.com', plural: 'Widgets' });
    assert.ok((await invalid(plural)).some((e) => e.startsWith('spec.names.plural: Invalid value: "Widgets": a DNS-1035 label must consist of lower case alphanumeric characters')));

    const scope = crd({ group: 'scope.example.com', scope: 'Global' });
    assert.deepEqual(await invalid(scope), ['spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"']);

    const twoStorage = crd({ group: 'storage.example.com' });
    twoStorage.spec.versions.push({ ...twoStorage.spec.versions[0], name: 'v2' });
    const errs = await invalid(twoStorage);
    assert.ok(errs.some((e) => /^spec\.versions: Invalid value: .*: must have exactly one version marked as storage version$/.test(e)), errs.join('\n'));

    const sameName = crd({ group: 'dup.example.com' });
    sameName.spec.versions.push({ ...sameName.spec.versions[0], storage: false });
    assert.ok((await invalid(sameName)).some((e) => /^spec\.versions: Invalid value: .*: must contain unique version names$/.test(e)));

    // Defaults must be valid against their node and pruned.
    const badDefault = crd({ group: 'default.example.com' });
    badDefault.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.default = 'big';
    badDefault.spec.versions[0].schema.openAPIV3Schema.properties.spec.default = { size: 1, extra: true };
    assert.deepEqual(await invalid(badDefault), [
      'spec.validation.openAPIV3Schema.properties[spec].default: Invalid value: map[string]interface {}{"extra":true, "size":1}: must not have unknown fields',
      'spec.validation.openAPIV3Schema.properties[spec].properties[size].default: Invalid value: "string":  in body must be of type integer: "string"',
    ]);

    const noSchema = crd({ group: 'noschema.example.com' });
    delete noSchema.spec.versions[0].schema;
    assert.deepEqual(await invalid(noSchema), ['spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required']);
  });

  it('compiles x-kubernetes-validations rules at write time: a rule that does not compile is 422 with the compiler message', async () => {
    const undefinedField = crd({ group: 'cel1.example.com' });
    undefinedField.spec.versions[0].schema.openAPIV3Schema['x-kubernetes-validations'] = [{ rule: 'self.spec.sizes > 0' }];
    const [e1] = await invalid(undefinedField);
    assert.match(e1, /^spec\.validation\.openAPIV3Schema\.x-kubernetes-validations\[0\]\.rule: Invalid value: apiextensions\.ValidationRule\{Rule:"self\.spec\.sizes > 0", Message:"", MessageExpression:"", Reason:\(\*apiextensions\.FieldValueErrorReason\)\(nil\), FieldPath:"", OptionalOldSelf:\(\*bool\)\(nil\)\}: compilation failed: ERROR: <input>:1:10: undefined field 'sizes'/);

    const syntax = crd({ group: 'cel2.example.com' });
    syntax.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.size >' }];
    const [e2] = await invalid(syntax);
    assert.match(e2, /^spec\.validation\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Invalid value: .*: compilation failed: ERROR: <input>:1:\d+: Syntax error/);

    const notBool = crd({ group: 'cel3.example.com' });
    notBool.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.size' }];
    assert.match((await invalid(notBool))[0], /x-kubernetes-validations\[0\]\.rule: Invalid value: .*: cel expression must evaluate to a bool$/);

    const message = crd({ group: 'cel4.example.com' });
    message.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.size > 0', messageExpression: 'self.size' }];
    assert.match((await invalid(message))[0], /x-kubernetes-validations\[0\]\.messageExpression: Invalid value: .*: messageExpression must evaluate to a string$/);

    const transition = crd({ group: 'cel5.example.com' });
    // Bounded, so that the rule's cost (it runs once per item) is within the budget: only the oldSelf error is left.
    transition.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = {
      type: 'array',
      maxItems: 10,
      items: { type: 'string', maxLength: 63, 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'immutable' }] },
    };
    assert.deepEqual(await invalid(transition), [
      'spec.validation.openAPIV3Schema.properties[spec].properties[tags].items.x-kubernetes-validations[0].rule: Invalid value: "self == oldSelf": oldSelf cannot be used on the uncorrelatable portion of the schema within spec.validation.openAPIV3Schema.properties[spec].properties[tags]',
    ]);

    // Rules are costed statically: an unbounded nested loop is over the budget.
    const costly = crd({ group: 'cel7.example.com' });
    costly.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.tags = { type: 'array', items: { type: 'string' } };
    costly.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.tags.all(x, self.tags.all(y, x.startsWith(y)))' }];
    const [cost] = await invalid(costly);
    assert.match(cost, /^spec\.validation\.openAPIV3Schema\.properties\[spec\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x/);

    // optionalOldSelf makes oldSelf an optional; it is refused on a rule that does not use oldSelf.
    const unused = crd({ group: 'cel8.example.com' });
    unused.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [{ rule: 'self.size > 0', optionalOldSelf: true }];
    assert.deepEqual(await invalid(unused), ['spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule']);

    // A rule that compiles, with a transition rule and typed fields, is accepted.
    const good = crd({ group: 'cel6.example.com' });
    good.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'] = [
      { rule: 'self.size >= 0 && self.color.startsWith("b")', messageExpression: '"size is " + string(self.size)' },
      { rule: 'self.size >= oldSelf.size', message: 'size may only grow' },
      { rule: '!oldSelf.hasValue() || self.color == oldSelf.value().color', optionalOldSelf: true },
    ];
    // Strings with format date-time and duration are timestamps and durations to CEL at write time too.
    good.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.expires = { type: 'string', format: 'date-time' };
    good.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.every = { type: 'string', format: 'duration' };
    good.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'].push({
      rule: '!has(self.expires) || !has(self.every) || self.expires - self.every > timestamp("2000-01-01T00:00:00Z")',
    });
    const res = await server.request('POST', crdPath, good);
    assert.equal(res.status, 201, res.text);
  });

  it('checks printer column paths and types, selectable fields, subresource paths and conversion webhooks', async () => {
    const column = crd({ group: 'col.example.com' });
    column.spec.versions[0].additionalPrinterColumns = [{ name: 'Size', type: 'integer', jsonPath: 'spec.size' }];
    assert.deepEqual(await invalid(column), ['spec.additionalPrinterColumns[0].JSONPath: Invalid value: "spec.size": must be a simple json path starting with .']);

    const columnType = crd({ group: 'coltype.example.com' });
    columnType.spec.versions[0].additionalPrinterColumns = [{ name: 'Size', type: 'int', jsonPath: '.spec.size' }];
    assert.deepEqual(await invalid(columnType), ['spec.additionalPrinterColumns[0].type: Invalid value: "int": must be one of boolean,date,integer,number,string']);

    const selectable = crd({ group: 'sel.example.com' });
    selectable.spec.versions[0].selectableFields = [{ jsonPath: '.spec.sise' }, { jsonPath: '.status' }];
    assert.deepEqual(await invalid(selectable), [
      'spec.selectableFields[0].jsonPath: Invalid value: ".spec.sise": is an invalid path: does not refer to a valid field',
      'spec.selectableFields[1].jsonPath: Invalid value: ".status": must point to a field of type string, boolean or integer. Enum string fields and strings with formats are allowed.',
    ]);

    const scale = crd({ group: 'scale.example.com' });
    scale.spec.versions[0].subresources = { status: {}, scale: { specReplicasPath: '.status.size', statusReplicasPath: '.status.size' } };
    assert.deepEqual(await invalid(scale), ['spec.subresources.scale.specReplicasPath: Invalid value: ".status.size": should be a json path under .spec']);

    const webhook = crd({ group: 'conv.example.com' });
    webhook.spec.conversion = { strategy: 'Webhook' };
    assert.deepEqual(await invalid(webhook), ['spec.conversion.webhookClientConfig: Required value: required when strategy is set to Webhook', 'spec.conversion.conversionReviewVersions: Required value']);

    const httpWebhook = crd({ group: 'conv2.example.com' });
    httpWebhook.spec.conversion = { strategy: 'Webhook', webhook: { clientConfig: { url: 'http://example.com/convert' }, conversionReviewVersions: ['v1'] } };
    assert.deepEqual(await invalid(httpWebhook), ['spec.conversion.webhookClientConfig.url: Invalid value: "http": \'https\' is the only allowed URL scheme; desired format: https://host[/path]']);

    // A valid webhook gets the Service port's default, 443.
    const svcWebhook = crd({ group: 'conv3.example.com' });
    svcWebhook.spec.conversion = { strategy: 'Webhook', webhook: { clientConfig: { service: { namespace: 'default', name: 'converter' } }, conversionReviewVersions: ['v1'] } };
    const created = await server.request('POST', crdPath, svcWebhook);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.json.spec.conversion.webhook.clientConfig.service.port, 443);
  });

  it('refuses unknown fields inside schemas (strict field validation, as kubectl asks for)', async () => {
    const typo = crd({ group: 'typo.example.com' });
    typo.spec.versions[0].schema.openAPIV3Schema.propertes = {};
    const stderr = await fails(['create', '-f', '-'], toYaml(typo));
    assert.match(stderr, /unknown field "spec\.versions\[0\]\.schema\.openAPIV3Schema\.propertes"/);
  });

  it('keeps the storage version in storedVersions and refuses dropping a stored version from spec.versions', async () => {
    const c = crd({ group: 'stored.example.com' });
    c.spec.versions.push({ ...structuredClone(c.spec.versions[0]), name: 'v2', storage: false });
    assert.equal((await server.request('POST', crdPath, c)).status, 201);
    const name = 'widgets.stored.example.com';
    // v2 becomes the storage version: both are stored now.
    const patched = await server.request('PATCH', `${crdPath}/${name}`, [
      { op: 'replace', path: '/spec/versions/0/storage', value: false },
      { op: 'replace', path: '/spec/versions/1/storage', value: true },
    ], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(patched.json.status.storedVersions, ['v1', 'v2']);
    const drop = await server.request('PATCH', `${crdPath}/${name}`, [{ op: 'remove', path: '/spec/versions/0' }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(drop.status, 422, drop.text);
    assert.deepEqual(drop.json.details.causes.map((x: { field: string; message: string }) => `${x.field}: ${x.message}`), ['status.storedVersions[0]: Invalid value: "v1": must appear in spec.versions']);
    // Once objects are migrated, storedVersions is trimmed through /status and the version can go.
    const status = await server.request('PATCH', `${crdPath}/${name}/status`, { status: { storedVersions: ['v2'] } }, { 'Content-Type': 'application/merge-patch+json' });
    assert.equal(status.status, 200, status.text);
    const dropped = await server.request('PATCH', `${crdPath}/${name}`, [{ op: 'remove', path: '/spec/versions/0' }], { 'Content-Type': 'application/json-patch+json' });
    assert.equal(dropped.status, 200, dropped.text);
  });

  it('keeps group and plural, and once established scope and kind, immutable', async () => {
    const name = 'widgets.example.com';
    const got = await getCRD(name);
    got.spec.scope = 'Cluster';
    got.spec.names.kind = 'Gadget';
    const res = await server.request('PUT', `${crdPath}/${name}`, got);
    assert.equal(res.status, 422, res.text);
    const causes = res.json.details.causes.map((x: { field: string; message: string }) => `${x.field}: ${x.message}`);
    assert.ok(causes.includes('spec.scope: Invalid value: "Cluster": field is immutable'), causes.join('\n'));
    assert.ok(causes.includes('spec.names.kind: Invalid value: "Gadget": field is immutable'), causes.join('\n'));
  });

  it('a CRD whose names another CRD of its group holds gets NamesAccepted=False, and the names once they are free', async () => {
    // Same kind and short name as widgets.example.com: kind, list kind and short name conflict; the last check wins.
    await ok(['apply', '-f', '-'], toYaml(crd({ plural: 'gizmos', kind: 'Widget', shortNames: ['wd'] })));
    await eventually(async () => condition(await getCRD('gizmos.example.com'), 'NamesAccepted')?.status === 'False', 'NamesAccepted=False');
    const gizmos = await getCRD('gizmos.example.com');
    const names = condition(gizmos, 'NamesAccepted');
    assert.deepEqual([names.reason, names.message], ['ListKindConflict', '"WidgetList" is already in use']);
    assert.deepEqual([condition(gizmos, 'Established').status, condition(gizmos, 'Established').reason], ['False', 'NotAccepted']);
    // What does not conflict is accepted already; the kind stays unaccepted (empty).
    assert.equal(gizmos.status.acceptedNames.plural, 'gizmos');
    assert.equal(gizmos.status.acceptedNames.kind, '');

    const shortOnly = crd({ plural: 'doodads', kind: 'Doodad', shortNames: ['wd'] });
    await ok(['apply', '-f', '-'], toYaml(shortOnly));
    await eventually(async () => condition(await getCRD('doodads.example.com'), 'NamesAccepted')?.status === 'False', 'doodads NamesAccepted=False');
    const doodads = condition(await getCRD('doodads.example.com'), 'NamesAccepted');
    assert.deepEqual([doodads.reason, doodads.message], ['ShortNamesConflict', '"wd" is already in use']);
    // Each conflicting short name is told once, however often the CRD repeats it (upstream's aggregate error).
    await ok(['apply', '-f', '-'], toYaml(crd({ plural: 'gadgets', kind: 'Gadget', shortNames: ['wd', 'widget', 'wd'] })));
    await eventually(async () => condition(await getCRD('gadgets.example.com'), 'NamesAccepted')?.status === 'False', 'gadgets NamesAccepted=False');
    const gadgets = condition(await getCRD('gadgets.example.com'), 'NamesAccepted');
    assert.deepEqual([gadgets.reason, gadgets.message], ['ShortNamesConflict', '["wd" is already in use, "widget" is already in use]']);
    await ok(['delete', 'crd', 'gadgets.example.com']);

    // A different group is another namespace of names.
    await ok(['apply', '-f', '-'], toYaml(crd({ group: 'other.example.com', shortNames: ['wd'] })));
    await ok(['wait', '--for=condition=Established', 'crd/widgets.other.example.com', '--timeout=30s']);

    // Deleting the holder frees the names: the other CRDs of the group take them and get established.
    await ok(['delete', 'crd', 'widgets.example.com']);
    await ok(['wait', '--for=condition=Established', 'crd/gizmos.example.com', '--timeout=30s']);
    const after = await getCRD('gizmos.example.com');
    assert.equal(condition(after, 'NamesAccepted').reason, 'NoConflicts');
    assert.equal(after.status.acceptedNames.kind, 'Widget');
  });

  it('a protected group needs the API approval annotation, reported in a condition', async () => {
    const missing = crd({ group: 'widgets.k8s.io' });
    assert.deepEqual(await invalid(missing), [
      'metadata.annotations[api-approved.kubernetes.io]: Required value: protected groups must have approval annotation "api-approved.kubernetes.io", see https://github.com/kubernetes/enhancements/pull/1111',
    ]);
    const bypassed = crd({ group: 'widgets.k8s.io' });
    bypassed.metadata.annotations = { 'api-approved.kubernetes.io': 'unapproved, testing only' };
    assert.equal((await server.request('POST', crdPath, bypassed)).status, 201);
    await eventually(async () => condition(await getCRD('widgets.widgets.k8s.io'), 'KubernetesAPIApprovalPolicyConformant') !== undefined, 'approval condition');
    const c = condition(await getCRD('widgets.widgets.k8s.io'), 'KubernetesAPIApprovalPolicyConformant');
    assert.deepEqual([c.status, c.reason, c.message], ['False', 'UnapprovedAnnotation', 'not approved: "unapproved, testing only"']);
  });
});
