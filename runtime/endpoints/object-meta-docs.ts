/**
 * The descriptions of the Name and Age columns every Table has: the doc comments of the ObjectMeta fields they show
 * (apis/meta/v1), as upstream's printers describe them by ObjectMeta's field docs, so that a kind that declares its
 * own Age column and one that gets the server's read the same.
 */
import type { OpenAPIV3 } from 'openapi-types';
import { openapiV3 } from '../../generated/meta/v1/openapi.ts';

function objectMetaFieldDoc(field: string): string {
  const objectMeta = openapiV3['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta'];
  return (objectMeta?.properties?.[field] as OpenAPIV3.SchemaObject | undefined)?.description ?? '';
}

export const nameColumnDescription = objectMetaFieldDoc('name');
export const ageColumnDescription = objectMetaFieldDoc('creationTimestamp');
