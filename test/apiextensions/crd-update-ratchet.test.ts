/**
 * What a CRD update is let through because the stored CRD already had it, as upstream's
 * ValidateCustomResourceDefinitionUpdate: a version whose schema is unchanged is not held to the per-expression CEL
 * cost limit again (an estimator that grew stricter must not make a stored CRD unwritable), while the schema's total
 * limit and every changed schema are checked as on create. Tested against the validators: this server never stores
 * a CRD over the limit itself, only an older server or another estimator could have.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldErrorMessage } from '../../runtime/machinery/field-errors.ts';
import { validateCustomResourceDefinition, validateCustomResourceDefinitionUpdate } from '../../runtime/apiextensions/validation/index.ts';
import { crdManifest } from '../support/crd.ts';

/** A nested loop over a list bounded enough for the CRD's total, not for one expression. */
const pricey = { rule: 'self.all(x, self.all(y, x != y))' };
const schema = (tagsRules: object[], description?: string) => ({
  openAPIV3Schema: {
    type: 'object',
    ...(description && { description }),
    properties: { tags: { type: 'array', maxItems: 2000, items: { type: 'string', maxLength: 10 }, 'x-kubernetes-validations': tagsRules } },
  },
});
const crd = (versions: Array<{ name: string; schema: object }>) => ({
  ...crdManifest({
    group: 'example.com',
    names: { plural: 'backups', singular: 'backup', kind: 'Backup', listKind: 'BackupList' },
    versions: versions.map((v, i) => ({ ...v, served: true, storage: i === 0 })),
  }),
  status: { storedVersions: [versions[0].name] },
});
const messages = (errs: ReturnType<typeof validateCustomResourceDefinition>) => errs.map(fieldErrorMessage);
const costError = /^spec\.(validation|versions\[\d\]\.schema)\.openAPIV3Schema\.properties\[tags\]\.x-kubernetes-validations\[0\]\.rule: Forbidden: estimated rule cost exceeds budget by factor of /;

describe('CRD update: CEL cost ratcheting', () => {
  const stored = crd([{ name: 'v1', schema: schema([pricey]) }]);
  it('the rule is over the per-expression limit on create', () => {
    const errs = messages(validateCustomResourceDefinition(stored));
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0], costError);
  });
  it('an update that keeps the schema is let through', () => {
    const updated = { ...stored, metadata: { ...stored.metadata, labels: { team: 'storage' } } };
    assert.deepEqual(messages(validateCustomResourceDefinitionUpdate(updated, stored)), []);
  });
  it('an update that changes the schema is checked as on create', () => {
    const errs = messages(validateCustomResourceDefinitionUpdate(crd([{ name: 'v1', schema: schema([pricey], 'backups') }]), stored));
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0], costError);
  });
  it('per version: an unchanged version passes, a changed one is checked', () => {
    const old = crd([{ name: 'v1', schema: schema([pricey]) }, { name: 'v2', schema: schema([pricey], 'v2') }]);
    const updated = crd([{ name: 'v1', schema: schema([pricey]) }, { name: 'v2', schema: schema([pricey], 'v2, changed') }]);
    const errs = messages(validateCustomResourceDefinitionUpdate(updated, old));
    assert.equal(errs.length, 1, errs.join('\n'));
    assert.match(errs[0], /^spec\.versions\[1\]\.schema\./);
    assert.match(errs[0], costError);
  });
});
