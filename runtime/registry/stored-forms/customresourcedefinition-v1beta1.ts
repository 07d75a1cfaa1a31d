/**
 * CustomResourceDefinitions are stored as `apiextensions.k8s.io/v1beta1` JSON, as kube-apiserver v1.32 stores them
 * (its apiextensions server encodes for storage in v1beta1, "the more compact serialization", kubernetes#82292),
 * although v1beta1 is no longer served. The conversions are upstream's through the internal type
 * (`k8s.io/apiextensions-apiserver/pkg/apis/apiextensions/{v1,v1beta1}/conversion.go`, v1beta1 defaults):
 *  - v1 -> v1beta1: `version` is the first version's name; a schema, subresources, printer columns or selectable
 *    fields that every version has alike move to `spec` (`validation`, `subresources`, `additionalPrinterColumns`,
 *    `selectableFields`); columns' `jsonPath` is `JSONPath`; the webhook conversion's client config and review
 *    versions sit in `conversion` itself; `preserveUnknownFields` is always written.
 *  - v1beta1 -> v1: the reverse, after v1beta1's defaults (a lone `version` is the one served and stored version,
 *    `conversion.strategy` None, webhook review versions `["v1beta1"]`, `preserveUnknownFields` true when unset).
 */
import { isDeepStrictEqual } from 'node:util';
import type { StoredObject } from '../../storage/store.ts';
import { registerStoredForm } from '../versioned-storage.ts';

type Obj = StoredObject;

const defined = (obj: Obj): Obj => {
  for (const k of Object.keys(obj)) if (obj[k] === undefined) delete obj[k];
  return obj;
};

const columnToV1beta1 = ({ jsonPath, ...rest }: Obj): Obj => defined({ ...rest, JSONPath: jsonPath });
const columnToV1 = ({ JSONPath, ...rest }: Obj): Obj => defined({ ...rest, jsonPath: JSONPath });

/** Per-version fields that move to `spec` when every version has them alike, with their v1beta1 names. */
const hoisted = [
  { v1: 'schema', v1beta1: 'validation' },
  { v1: 'subresources', v1beta1: 'subresources' },
  { v1: 'additionalPrinterColumns', v1beta1: 'additionalPrinterColumns' },
  { v1: 'selectableFields', v1beta1: 'selectableFields' },
] as const;

export function crdToV1beta1(crd: Obj): Obj {
  const spec: Obj = crd.spec ?? {};
  const versions: Obj[] = (spec.versions ?? []).map((v: Obj) => ({ ...v }));
  const top: Obj = {};
  if (versions.length) {
    for (const f of hoisted) {
      const first = versions[0][f.v1];
      if (versions.every((v) => isDeepStrictEqual(v[f.v1], first))) {
        top[f.v1beta1] = first;
        for (const v of versions) delete v[f.v1];
      }
    }
  }
  for (const v of versions) if (v.additionalPrinterColumns) v.additionalPrinterColumns = v.additionalPrinterColumns.map(columnToV1beta1);
  if (top.additionalPrinterColumns) top.additionalPrinterColumns = top.additionalPrinterColumns.map(columnToV1beta1);
  const conversion = spec.conversion
    ? defined({ strategy: spec.conversion.strategy, webhookClientConfig: spec.conversion.webhook?.clientConfig, conversionReviewVersions: spec.conversion.webhook?.conversionReviewVersions })
    : undefined;
  return defined({
    ...crd,
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    spec: defined({
      group: spec.group,
      version: versions[0]?.name,
      names: spec.names,
      scope: spec.scope,
      validation: top.validation,
      subresources: top.subresources,
      versions: spec.versions ? versions : undefined,
      additionalPrinterColumns: top.additionalPrinterColumns,
      selectableFields: top.selectableFields,
      conversion,
      preserveUnknownFields: Boolean(spec.preserveUnknownFields),
    }),
  });
}

export function crdFromV1beta1(crd: Obj): Obj {
  const spec: Obj = { ...(crd.spec ?? {}) };
  // v1beta1's defaults, as its decoder applies them.
  if ((!spec.versions || spec.versions.length === 0) && spec.version) spec.versions = [{ name: spec.version, served: true, storage: true }];
  const conversion: Obj = { strategy: 'None', ...(spec.conversion ?? {}) };
  if (conversion.strategy === 'Webhook' && !conversion.conversionReviewVersions?.length) conversion.conversionReviewVersions = ['v1beta1'];
  const preserveUnknownFields = spec.preserveUnknownFields ?? true;

  const versions: Obj[] = (spec.versions ?? []).map((v: Obj) => {
    const out: Obj = { ...v };
    for (const f of hoisted) if (spec[f.v1beta1] !== undefined) out[f.v1] = structuredClone(spec[f.v1beta1]);
    if (out.additionalPrinterColumns) out.additionalPrinterColumns = out.additionalPrinterColumns.map(columnToV1);
    return out;
  });
  const webhook =
    conversion.webhookClientConfig !== undefined || conversion.conversionReviewVersions !== undefined
      ? defined({ clientConfig: conversion.webhookClientConfig, conversionReviewVersions: conversion.conversionReviewVersions })
      : undefined;
  const status = crd.status ? { ...crd.status } : undefined;
  if (status && !status.storedVersions?.length) {
    const stored = versions.filter((v) => v.storage).map((v) => v.name as string);
    if (stored.length) status.storedVersions = stored;
  }
  return defined({
    ...crd,
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    spec: defined({
      group: spec.group,
      names: spec.names,
      scope: spec.scope ?? 'Namespaced',
      versions,
      conversion: defined({ strategy: conversion.strategy, webhook }),
      preserveUnknownFields: preserveUnknownFields ? true : undefined,
    }),
    status,
  });
}

registerStoredForm('apiextensions.k8s.io', 'CustomResourceDefinition', {
  apiVersion: 'apiextensions.k8s.io/v1beta1',
  toStored: crdToV1beta1,
  fromStored: crdFromV1beta1,
});
