/**
 * The warning upstream's Deployment, ReplicaSet, Job (and ReplicationController) strategies give on create when the
 * name is a DNS subdomain but not a DNS label: their pods are named after it, and pod names become hostnames.
 */
const dns1123Label = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const dns1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const labelRegexError =
  "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

/** Upstream's IsDNS1123Label messages. */
export function dns1123LabelErrors(value: string): string[] {
  const errs: string[] = [];
  if (value.length > 63) errs.push('must be no more than 63 characters');
  if (!dns1123Label.test(value)) errs.push(dns1123Subdomain.test(value) ? 'must not contain dots' : labelRegexError);
  return errs;
}

export function podNameWarnings(name: string | undefined): string[] {
  const msgs = dns1123LabelErrors(name ?? '');
  return msgs.length ? [`metadata.name: this is used in Pod names and hostnames, which can result in surprising behavior; a DNS label is recommended: [${msgs.join(' ')}]`] : [];
}
