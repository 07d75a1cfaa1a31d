/**
 * The `/scale` subresource: a kind's replica count seen as an autoscaling/v1 Scale, read from and written to the
 * paths its `@subresource scale` tag names. A write changes only the spec replicas of the stored object, through
 * the main store (so validation, admission and optimistic concurrency apply as to any update).
 */
import { labelSelectorFromObject, type LabelSelectorObject } from '../machinery/selectors.ts';
import type { ScaleSubresource } from '../machinery/registration.ts';
import * as status from '../machinery/status.ts';
import { checkRequestName, ensureRequestNamespace } from '../machinery/object-identity.ts';
import type { RegistryStore } from '../registry/store.ts';
import type { StoredObject } from '../storage/store.ts';
import { bodyFormat, negotiateObject } from './negotiation.ts';
import { applyPatch, patchTypes } from './patch.ts';
import type { RestRequest, RestResponse } from './rest.ts';
import { context, decodeBody, includeObject, readBody } from './rest.ts';
import { scaleTable } from './scale-table.ts';
import { encodeBody, partialMetadataMismatch, partialObjectMetadata } from './serialize.ts';
import { applyPatchType, handleScaleApply } from '../fieldmanager/apply.ts';

function segments(path: string): string[] {
  return path.replace(/^\./, '').split('.');
}

function read(obj: StoredObject, path: string): unknown {
  return segments(path).reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as StoredObject)[k] : undefined), obj);
}

function write(obj: StoredObject, path: string, value: unknown): void {
  const parts = segments(path);
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = cur[p] ??= {};
  cur[parts[parts.length - 1]] = value;
}

/** The selector as a string, whether the path holds one already or a LabelSelector object (built-in kinds). */
function selectorString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // A ReplicationController's selector is a plain label map (labels.SelectorFromSet): `a=b,c=d`, keys sorted.
  if (value && typeof value === 'object' && !('matchLabels' in value) && !('matchExpressions' in value) && Object.values(value).every((v) => typeof v === 'string')) {
    return Object.keys(value).sort().map((k) => `${k}=${(value as Record<string, string>)[k]}`).join(',');
  }
  if (value && typeof value === 'object') return labelSelectorFromObject(value as LabelSelectorObject).toString();
  return undefined;
}

export function toScale(obj: StoredObject, spec: ScaleSubresource): StoredObject {
  const { name, namespace, uid, resourceVersion, creationTimestamp } = obj.metadata;
  const selector = spec.labelSelectorPath ? selectorString(read(obj, spec.labelSelectorPath)) : undefined;
  const replicas = Number(read(obj, spec.specReplicasPath) ?? 0);
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: { name, namespace, uid, resourceVersion, creationTimestamp },
    // autoscaling/v1 ScaleSpec.replicas is omitempty: a scale to zero reads back as an empty spec.
    spec: replicas ? { replicas } : {},
    status: { replicas: Number(read(obj, spec.statusReplicasPath) ?? 0), ...(selector ? { selector } : {}) },
  };
}

export async function handleScale(store: RegistryStore, spec: ScaleSubresource, req: RestRequest): Promise<RestResponse> {
  const ctx = context(req);
  const name = req.info.name;
  // Scale is a built-in kind: it has a protobuf form whatever the scaled kind is (upstream's scale handlers serve it
  // for custom resources too), which kube-controller-manager's scale client sends and asks for.
  const negotiated = negotiateObject(req.headers.accept, { protobuf: Boolean(req.protobuf?.supports('autoscaling/v1', 'Scale')), views: req.protobuf });
  // `kubectl get --subresource=scale` asks for a Table; a metadata client may ask for the Scale's metadata alone.
  // Upstream's scale storage hands the handler an internal autoscaling Scale, whatever the scaled kind.
  if (negotiated.as === 'PartialObjectMetadataList') throw partialMetadataMismatch(negotiated.as, 'autoscaling.Scale');
  const respond = (obj: StoredObject) => {
    const scale = toScale(obj, spec);
    const body =
      negotiated.as === 'Table' ? scaleTable(store.kind, scale, { includeObject: includeObject(req.query), apiVersion: negotiated.asApiVersion })
      : negotiated.as === 'PartialObjectMetadata' ? partialObjectMetadata(scale, negotiated.asApiVersion)
      : scale;
    return encodeBody(body, negotiated, 200, req.protobuf);
  };
  switch (req.info.verb) {
    case 'get':
      return respond(await store.get(ctx, name));
    case 'update':
    case 'patch': {
      if (req.info.verb === 'patch' && bodyFormat(req.headers.contentType) === applyPatchType) return respond(await handleScaleApply(store, spec, req, ctx));
      // The Scale written must be the URL's, as any object an update or a patch writes (object-identity.ts).
      const identified = (scale: StoredObject) => {
        scale.metadata ??= {};
        ensureRequestNamespace(scale.metadata, store.strategy.namespaced ? ctx.namespace : '');
        checkRequestName(scale.metadata, name);
        return scale;
      };
      const body = req.info.verb === 'update' ? identified(await decodeBody(req)) : undefined;
      const type = bodyFormat(req.headers.contentType);
      if (req.info.verb === 'patch' && !patchTypes.includes(type)) throw status.unsupportedMediaType(type);
      const raw = req.info.verb === 'patch' ? new TextDecoder().decode(await readBody(req)) : '';
      const updated = await store.guaranteedUpdate(ctx, name, async (current) => {
        const scale = body ?? identified(applyPatch(type, toScale(current, spec), raw, store.kind));
        // Go decodes a Scale without replicas as 0 (omitempty), and writes that.
        const replicas = scale.spec?.replicas ?? 0;
        if (!Number.isInteger(replicas) || replicas < 0) {
          throw status.invalid('autoscaling', 'Scale', name, [{ type: 'FieldValueInvalid', field: 'spec.replicas', badValue: replicas, detail: 'must be greater than or equal to 0' }]);
        }
        const rv = scale.metadata?.resourceVersion;
        if (rv && rv !== current.metadata.resourceVersion) throw status.conflict({ group: store.kind.group, resource: store.kind.resource }, name, status.optimisticLockMessage);
        write(current, spec.specReplicasPath, replicas);
        return current;
      }, {
        subresource: 'scale',
        // Admission sees the Scale, as upstream's scale handler admits it; a mutated replica count is written back.
        admissionView: {
          kind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          toView: (obj) => toScale(obj, spec),
          fromView: (view, obj) => {
            const replicas = view.spec?.replicas;
            if (Number.isInteger(replicas) && replicas >= 0) write(obj, spec.specReplicasPath, replicas);
          },
        },
      });
      return respond(updated);
    }
    default:
      throw status.methodNotSupported({ group: store.kind.group, resource: `${store.kind.resource}/scale` }, req.info.verb);
  }
}
