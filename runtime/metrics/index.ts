/**
 * Metrics, upstream's names and labels, in one registry served at `/metrics` (see registry.ts for how to add some).
 * Each file defines the metrics of one subsystem and the cheap functions that record them.
 */
export { legacyRegistry, counter, gauge, histogram, exposition, requestLatencyBuckets } from './registry.ts';
