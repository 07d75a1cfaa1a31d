/**
 * Binding: `POST /api/v1/namespaces/<ns>/bindings` and `pods/<name>/binding` (upstream's BindingREST and
 * LegacyBindingREST). Assigns a pod to a node: sets spec.nodeName, copies the Binding's annotations onto the pod and
 * marks it PodScheduled, in one write straight to storage (no pod update rules, no admission on the pod). Answers
 * a Success Status; nothing is stored under Binding.
 */
import { Binding } from '../../../generated/core/v1/register.ts';
import { fieldErrorMessage, notSupported, required, type FieldError } from '../../machinery/field-errors.ts';
import * as status from '../../machinery/status.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { CreaterREST } from '../rest.ts';
import type { RegistryStore, RequestContext } from '../store.ts';
import { setPodCondition } from './pod-conditions.ts';
import { aggregateErrors } from '../../machinery/aggregate-errors.ts';

/** The pod store the binding writes through (`pods/binding`, a DirectWriteStrategy). */
export type PodBindingStore = () => RegistryStore | undefined;

/** Upstream's ValidatePodBinding; its errors are an aggregate, not a Status, so they answer 500. */
function validatePodBinding(binding: StoredObject): FieldError[] {
  const errors: FieldError[] = [];
  const kind = binding.target?.kind ?? '';
  if (kind !== '' && kind !== 'Node') errors.push(notSupported('target.kind', kind, ['Node', '<empty>']));
  if (!binding.target?.name) errors.push(required('target.name', ''));
  return errors;
}

export class BindingREST implements CreaterREST {
  readonly kind = Binding;

  /** `legacy`: the `bindings` resource, which takes the pod's name from the body instead of the path. */
  constructor(
    private readonly pods: PodBindingStore,
    private readonly legacy = false,
  ) {}

  async create(ctx: RequestContext, name: string, binding: StoredObject): Promise<StoredObject> {
    const podName: string = this.legacy ? (binding.metadata?.name ?? '') : name;
    if (!this.legacy && podName !== binding.metadata?.name) throw status.badRequest('name in URL does not match name in Binding object');
    const errors = validatePodBinding(binding);
    if (errors.length) throw status.failure(500, undefined, aggregateErrors(errors.map(fieldErrorMessage)));
    if (!podName) throw status.badRequest('Name parameter required.');
    const store = this.pods();
    if (!store) throw status.internalError('pods are not served');
    await this.assign(store, ctx, podName, binding);
    return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
  }

  /** Upstream's setPodNodeAndMetadata: preconditions from the Binding's uid and resourceVersion, then one write. */
  private async assign(store: RegistryStore, ctx: RequestContext, podName: string, binding: StoredObject): Promise<void> {
    const uid: string | undefined = binding.metadata?.uid || undefined;
    const rv: string | undefined = binding.metadata?.resourceVersion || undefined;
    const node: string = binding.target.name;
    const refused = (message: string) => status.conflict({ group: '', resource: 'pods/binding' }, podName, message);
    const preconditions = { ...(uid ? { uid } : {}), ...(rv ? { resourceVersion: rv } : {}) };
    await store.guaranteedUpdate({ ...ctx, managedFieldsApplied: true }, podName, async (pod) => {
      if (pod.metadata.deletionTimestamp) throw refused(`pod ${podName} is being deleted, cannot be assigned to a host`);
      if (pod.spec?.nodeName) throw refused(`pod ${podName} is already assigned to node "${pod.spec.nodeName}"`);
      if (pod.spec?.schedulingGates?.length) throw refused(`pod ${podName} has non-empty .spec.schedulingGates`);
      pod.spec = { ...(pod.spec ?? {}), nodeName: node };
      pod.metadata.annotations = { ...(pod.metadata.annotations ?? {}), ...(binding.metadata?.annotations ?? {}) };
      pod.status ??= {};
      setPodCondition(pod.status, { type: 'PodScheduled', status: 'True' });
      delete pod.metadata.resourceVersion;
      return pod;
    }, { preconditions });
  }
}
