/**
 * The warning upstream's Deployment, ReplicaSet, Job (and ReplicationController) strategies give on create when the
 * name is a DNS subdomain but not a DNS label: their pods are named after it, and pod names become hostnames.
 */
import { isDNS1123Label } from '../../../machinery/string-checks.ts';

export function podNameWarnings(name: string | undefined): string[] {
  const msgs = isDNS1123Label(name ?? '');
  return msgs.length ? [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}
