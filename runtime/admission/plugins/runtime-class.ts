/**
 * RuntimeClass (upstream's plugin/pkg/admission/runtimeclass): a pod naming a runtimeClassName gets that class's
 * overhead (spec.overhead) and scheduling constraints (node selector and tolerations merged into its own); a class
 * that does not exist, an overhead that disagrees with the class, or a conflicting node selector is refused.
 */
import { compareQuantities } from '../../machinery/quantity.ts';
import { goQuote } from '../../machinery/gofmt.ts';
import type { StoredObject } from '../../storage/store.ts';
import type { AdmissionPluginDependencies } from '../registry.ts';
import { admissionForbidden, isResource, type AdmissionAttributes, type AdmissionPlugin } from '../types.ts';

function sameResources(a: Record<string, string> | undefined, b: Record<string, string> | undefined): boolean {
  const ka = Object.keys(a ?? {});
  const kb = Object.keys(b ?? {});
  return ka.length === kb.length && ka.every((k) => b?.[k] !== undefined && compareQuantities(a![k], b[k]) === 0);
}

function sameToleration(a: StoredObject, b: StoredObject): boolean {
  const keys = ['key', 'operator', 'value', 'effect', 'tolerationSeconds'];
  return keys.every((k) => (a[k] ?? '') === (b[k] ?? ''));
}

export function runtimeClass(deps: AdmissionPluginDependencies): AdmissionPlugin {
  const classes = deps.reader('node.k8s.io', 'v1', 'runtimeclasses');

  async function classOf(attrs: AdmissionAttributes): Promise<StoredObject | undefined> {
    const name: string | undefined = attrs.object?.spec?.runtimeClassName;
    if (!name) return undefined;
    const rc = await classes.get('', name);
    if (!rc) throw admissionForbidden(attrs, `pod rejected: RuntimeClass ${goQuote(name)} not found`);
    return rc;
  }

  const applies = (attrs: AdmissionAttributes) => attrs.operation === 'CREATE' && isResource(attrs, 'pods') && attrs.object !== undefined;

  return {
    name: 'RuntimeClass',
    resources: ['pods'],
    async admit(attrs) {
      if (!applies(attrs)) return;
      const rc = await classOf(attrs);
      if (!rc) return;
      const spec = (attrs.object!.spec ??= {});
      const fixed: Record<string, string> | undefined = rc.overhead?.podFixed;
      if (fixed) {
        if (spec.overhead && Object.keys(spec.overhead).length && !sameResources(fixed, spec.overhead)) {
          throw admissionForbidden(attrs, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        }
        spec.overhead = { ...fixed };
      }
      const scheduling = rc.scheduling;
      if (!scheduling) return;
      const selector: Record<string, string> = { ...(spec.nodeSelector ?? {}) };
      for (const [k, v] of Object.entries((scheduling.nodeSelector ?? {}) as Record<string, string>)) {
        if (selector[k] !== undefined && selector[k] !== v) {
          throw admissionForbidden(attrs, `conflict: runtimeClass.scheduling.nodeSelector[${k}] = ${v}; pod.spec.nodeSelector[${k}] = ${selector[k]}`);
        }
        selector[k] = v;
      }
      if (Object.keys(selector).length) spec.nodeSelector = selector;
      const tolerations: StoredObject[] = [...(spec.tolerations ?? [])];
      for (const t of (scheduling.tolerations ?? []) as StoredObject[]) if (!tolerations.some((x) => sameToleration(x, t))) tolerations.push(t);
      if (tolerations.length) spec.tolerations = tolerations;
    },
    async validate(attrs) {
      if (!applies(attrs)) return;
      const rc = await classOf(attrs);
      const overhead = attrs.object!.spec?.overhead;
      if (rc?.overhead) {
        if (!sameResources(rc.overhead.podFixed, overhead)) throw admissionForbidden(attrs, "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
      } else if (overhead) {
        throw admissionForbidden(attrs, 'pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead');
      }
    },
  };
}
