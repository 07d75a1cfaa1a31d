/**
 * AlwaysPullImages (default off): every container of a new pod, or of a pod whose images change, pulls its image
 * on every start, so a pod cannot use an image pulled earlier with someone else's credentials, as upstream.
 */
import type { StoredObject } from '../../storage/store.ts';
import { admissionForbidden, isResource, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';

const containerFields = ['initContainers', 'containers', 'ephemeralContainers'] as const;

function containers(pod: StoredObject | undefined): { field: string; index: number; c: StoredObject }[] {
  return containerFields.flatMap((field) => ((pod?.spec?.[field] ?? []) as StoredObject[]).map((c, index) => ({ field, index, c })));
}

/** Upstream leaves updates alone unless they bring an image the pod did not have. */
function applies(attrs: AdmissionAttributes): boolean {
  if (!attrs.object || !(isResource(attrs, 'pods') || (attrs.resource.resource === 'pods' && attrs.subresource === 'ephemeralcontainers'))) return false;
  if (attrs.operation === 'CREATE') return true;
  if (attrs.operation !== 'UPDATE') return false;
  const before = new Set(containers(attrs.oldObject).map(({ c }) => c.image));
  return containers(attrs.object).some(({ c }) => !before.has(c.image));
}

export function alwaysPullImages(): AdmissionPlugin {
  return {
    name: 'AlwaysPullImages',
    resources: ['pods'],
    async admit(attrs) {
      if (!applies(attrs)) return;
      for (const { c } of containers(attrs.object)) c.imagePullPolicy = 'Always';
    },
    async validate(attrs) {
      if (!applies(attrs)) return;
      for (const { field, index, c } of containers(attrs.object)) {
        if (c.imagePullPolicy !== 'Always') {
          throw admissionForbidden(attrs, `spec.${field}[${index}].imagePullPolicy: Unsupported value: "${c.imagePullPolicy ?? ''}": supported values: "Always"`);
        }
      }
    },
  };
}
