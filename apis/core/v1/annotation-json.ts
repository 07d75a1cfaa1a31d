/**
 * The alpha JSON annotations upstream decodes with Go's standard encoding/json before validating them: a node's
 * taints (`[]core.Taint`) and preferAvoidPods (`v1.AvoidPods`), a pod's tolerations (`[]core.Toleration`). The
 * internal core types carry no json tags, so their keys are the Go field names, and encoding/json matches a key to a
 * field in any case ("key", "KEY" and "Key" all set Taint.Key); a value of the wrong JSON type is the decoder's
 * type error (`json: cannot unmarshal number into Go struct field Taint.Key of type string`), which upstream reports
 * as the annotation's Invalid error. What decodes comes back with upstream's JSON field names, nulls dropped (Go
 * leaves the zero value), for the validators that follow.
 */
import { stdJsonDecoder } from '../../../runtime/machinery/godecode/stdjson.ts';
import type { GoStructTable, GoTypeDesc } from '../../../runtime/machinery/godecode/types.ts';

/** The Go types the three annotations decode into (pkg/apis/core types.go, k8s.io/api core/v1 AvoidPods). */
const annotationTypes: GoStructTable = {
  'core/Taint': { name: 'Taint', fields: { Key: ['s', 'string'], Value: ['s', 'string'], Effect: ['s', 'core.TaintEffect'], TimeAdded: ['t', 'v1.Time'] } },
  'core/Toleration': {
    name: 'Toleration',
    fields: { Key: ['s', 'string'], Operator: ['s', 'core.TolerationOperator'], Value: ['s', 'string'], Effect: ['s', 'core.TaintEffect'], TolerationSeconds: ['i64', 'int64'] },
  },
  'v1/AvoidPods': { name: 'AvoidPods', fields: { preferAvoidPods: ['[]', '[]v1.PreferAvoidPodsEntry', ['struct', 'v1.PreferAvoidPodsEntry', 'v1/PreferAvoidPodsEntry']] } },
  'v1/PreferAvoidPodsEntry': {
    name: 'PreferAvoidPodsEntry',
    fields: { podSignature: ['struct', 'v1.PodSignature', 'v1/PodSignature'], evictionTime: ['t', 'v1.Time'], reason: ['s', 'string'], message: ['s', 'string'] },
  },
  'v1/PodSignature': { name: 'PodSignature', fields: { podController: ['struct', 'v1.OwnerReference', 'meta/OwnerReference'] } },
  'meta/OwnerReference': {
    name: 'OwnerReference',
    fields: { apiVersion: ['s', 'string'], kind: ['s', 'string'], name: ['s', 'string'], uid: ['s', 'types.UID'], controller: ['b', 'bool'], blockOwnerDeletion: ['b', 'bool'] },
  },
};

const roots = {
  taints: ['[]', '[]core.Taint', ['struct', 'core.Taint', 'core/Taint']],
  tolerations: ['[]', '[]core.Toleration', ['struct', 'core.Toleration', 'core/Toleration']],
  avoidPods: ['struct', 'v1.AvoidPods', 'v1/AvoidPods'],
} satisfies Record<string, GoTypeDesc>;

/**
 * `text` decoded as encoding/json decodes it into the annotation's Go type: `{ error }` with Go's words when it does
 * not decode (a syntax error, then the first type error), else the value with upstream's JSON field names.
 */
export const decodeAnnotationJson = stdJsonDecoder(() => annotationTypes, roots);
