/**
 * Priority (upstream's plugin/pkg/admission/priority): a pod's priorityClassName becomes its priority and
 * preemptionPolicy; a pod naming no class gets the global default class, or priority 0 and PreemptLowerPriority
 * when there is none; a class that does not exist, or a priority in the spec that disagrees with the class, is
 * refused. Only one PriorityClass may be the global default.
 */
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, isResource, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';

export function priority(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const classes = deps.watched('scheduling.k8s.io', 'v1', 'priorityclasses');

  /** The global default class; with several, the lowest value wins, as upstream. */
  async function defaultClass(): Promise<StoredObject | undefined> {
    let found: StoredObject | undefined;
    for (const pc of await classes.list('')) if (pc.globalDefault && (!found || pc.value < found.value)) found = pc;
    return found;
  }

  async function admitPod(attrs: AdmissionAttributes, pod: StoredObject): Promise<void> {
    const spec = (pod.spec ??= {});
    if (attrs.operation === 'UPDATE') {
      // Set on create; kept on update so a client that omits them does not trip validation of the immutable spec.
      const old = attrs.oldObject?.spec ?? {};
      if (spec.priority === undefined && old.priority !== undefined) spec.priority = old.priority;
      if (spec.preemptionPolicy === undefined && old.preemptionPolicy !== undefined) spec.preemptionPolicy = old.preemptionPolicy;
      return;
    }
    let value: number;
    let policy: string | undefined;
    if (!spec.priorityClassName) {
      const pc = await defaultClass();
      if (pc) {
        spec.priorityClassName = pc.metadata.name;
        value = pc.value;
        policy = pc.preemptionPolicy;
      } else {
        value = 0;
        policy = 'PreemptLowerPriority';
      }
    } else {
      const pc = await classes.get('', spec.priorityClassName);
      if (!pc) throw admissionForbidden(attrs, `no PriorityClass with name ${spec.priorityClassName} was found`);
      value = pc.value;
      policy = pc.preemptionPolicy;
    }
    if (spec.priority !== undefined && spec.priority !== null && spec.priority !== value) {
      throw admissionForbidden(attrs, `the integer value of priority (${spec.priority}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
    }
    spec.priority = value;
    if (policy) {
      if (spec.preemptionPolicy && spec.preemptionPolicy !== policy) {
        throw admissionForbidden(attrs, `the string value of PreemptionPolicy (${spec.preemptionPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
      }
      spec.preemptionPolicy = policy;
    }
  }

  return {
    name: 'Priority',
    resources: ['pods', 'priorityclasses'],
    async admit(attrs) {
      if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !isResource(attrs, 'pods') || !attrs.object) return;
      await admitPod(attrs, attrs.object);
    },
    async validate(attrs) {
      if ((attrs.operation !== 'CREATE' && attrs.operation !== 'UPDATE') || !isResource(attrs, 'priorityclasses', 'scheduling.k8s.io') || !attrs.object) return;
      if (!attrs.object.globalDefault) return;
      const current = await defaultClass();
      if (current && (attrs.operation === 'CREATE' || current.metadata.name !== attrs.object.metadata?.name)) {
        throw admissionForbidden(attrs, `PriorityClass ${current.metadata.name} is already marked as default. Only one default can exist`);
      }
    },
  };
}
