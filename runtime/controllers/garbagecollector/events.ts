/**
 * Warning events the collector records about objects (upstream's event recorder with source component
 * `garbage-collector-controller`): core/v1 Events named `<object>.<hex nanoseconds>`, in the object's namespace or
 * `default` for cluster-scoped ones. Recording is best effort and never holds up collection.
 */
import type { Logger } from 'pino';
import type { RegistryStore } from '../../registry/store.ts';
import type { ObjectIdentity } from './graph.ts';
import { collectorUser } from './operations.ts';
import { controllerContext } from '../context.ts';

export const component = 'garbage-collector-controller';

export interface EventRecorder {
  warning(about: ObjectIdentity, reason: string, message: string): void;
}

export function newEventRecorder(events: () => RegistryStore | undefined, log: Logger): EventRecorder {
  return {
    warning(about, reason, message) {
      const store = events();
      if (!store) return;
      const namespace = about.namespace || 'default';
      const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      const nanos = BigInt(Date.now()) * 1_000_000n + BigInt(Math.floor(Math.random() * 1_000_000));
      const event = {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `${about.name}.${nanos.toString(16)}`, namespace },
        involvedObject: { apiVersion: about.apiVersion, kind: about.kind, namespace: about.namespace || undefined, name: about.name, uid: about.uid },
        reason,
        message,
        type: 'Warning',
        source: { component },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
        reportingComponent: component,
        reportingInstance: '',
      };
      store.create(controllerContext(namespace, collectorUser), event).catch((err) => log.warn({ err, reason, object: about }, 'garbage collector could not record an event'));
    },
  };
}
