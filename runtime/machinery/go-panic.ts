/**
 * Where kube-apiserver v1.32 panics while serving a request (a Go runtime error in code it calls, such as
 * robfig/cron's parser slicing out of range), its panic filter (k8s.io/apiserver WithPanicRecovery) answers 500 with
 * one line of plain text, no Status, and the audit event records the panic. Code that follows such a path throws a
 * GoPanic, with Go's panic value as its message, and the server answers alike (server/app.ts).
 */
export class GoPanic extends Error {
  constructor(goPanicValue: string) {
    super(goPanicValue);
    this.name = 'GoPanic';
  }
}

/** The body WithPanicRecovery writes (with http.Error, which adds the newline). */
export const goPanicBody = 'This request caused apiserver to panic. Look in the logs for details.\n';
