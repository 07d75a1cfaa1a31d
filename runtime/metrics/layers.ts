/**
 * Where requests spend their time, layer by layer: seconds summed over every request in authentication,
 * authorization, decoding the body, admission, validation and encoding the response (kube-ts's own metric; upstream
 * has none that covers them all). Storage has its own, upstream's `etcd_request_duration_seconds` (its `_sum`).
 * `npm run bench` divides each by the requests it sent. A layer's time runs from entering it to leaving it: it
 * includes what the layer waits for (a webhook, a token review) and, under concurrent requests, the turns other
 * requests take while it waits, so each figure is an upper bound of the layer's own CPU.
 *
 * ```ts
 * const started = performance.now();
 * try { ... } finally { spentIn('validation', started); }
 * ```
 */
import { performance } from 'node:perf_hooks';
import { fastCounter } from './fast.ts';

export const requestLayers = ['authentication', 'authorization', 'decode', 'admission', 'validation', 'encode'] as const;
export type RequestLayer = (typeof requestLayers)[number];

const seconds = fastCounter('kube_ts_request_layer_seconds_total', 'Seconds requests spent in each layer of the server, summed over requests', ['layer']);
const byLayer = Object.fromEntries(requestLayers.map((layer) => [layer, seconds.child({ layer })])) as unknown as Record<RequestLayer, { inc(v: number): void }>;

/** Adds the time since `started` (a `performance.now()`) to `layer`. */
export function spentIn(layer: RequestLayer, started: number): void {
  byLayer[layer].inc((performance.now() - started) / 1000);
}
