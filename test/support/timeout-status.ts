/**
 * The Status of a request answered at its deadline, as kube-apiserver's timeout filter writes it (its
 * apierrors.NewTimeoutError with the context's error, pkg/server/filters/timeout.go and request-deadline.go).
 */
export const deadlineExceededStatus = {
  kind: 'Status',
  apiVersion: 'v1',
  metadata: {},
  status: 'Failure',
  message: 'Timeout: request did not complete within requested timeout - context deadline exceeded',
  reason: 'Timeout',
  details: {},
  code: 504,
};
