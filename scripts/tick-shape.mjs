/**
 * One object of the shape `process.nextTick` queues, kept for the process's life, so that V8 never forgets that
 * shape (start.mjs imports this first).
 *
 * nextTick (Node's lib/internal/process/task_queues.js) builds every queued tick as an object literal whose first
 * keys are computed (`{ [async_id_symbol]: ..., [trigger_async_id_symbol]: ..., callback, args }`). V8 remembers,
 * per computed key of a literal, the one hidden class ("map") the object had before that key was added
 * (Runtime_DefineKeyedOwnPropertyInLiteral). Those maps are held weakly: when a full collection finds no tick object
 * alive, it frees them, and the next nextTick, seeing a map other than the remembered (freed) one, marks each of
 * those keys megamorphic for good. From then on every nextTick, and every function it is inlined into (stream reads,
 * `emitReadable`, `resume`, a response's finish), adds those keys through V8's runtime: 2-3% of a GET's server CPU.
 * A server's start-up runs nextTick before its first full collections, which come during synchronous work (the
 * bundle's compile, module evaluation) when no tick is queued; a collection forced once start-up was over (earlier
 * start.mjs) did it in every start. An object of the same keys in the same order, made from the same literal shape,
 * has the same maps, and while it lives they do.
 *
 * The keys' symbols are Node's internal ones, which an AsyncResource carries as its own properties. Under a Node
 * whose ticks differ, the object is only a small object kept for nothing.
 */
import { AsyncResource } from 'node:async_hooks';

function tickObjectTwin() {
  const resource = new AsyncResource('kube-ts.TickShape');
  const symbol = (description) => Object.getOwnPropertySymbols(resource).find((s) => s.description === description);
  const asyncId = symbol('async_id_symbol');
  const triggerAsyncId = symbol('trigger_async_id_symbol');
  if (!asyncId || !triggerAsyncId) return undefined;
  // Keys in nextTick's order, values of its kinds (numbers, a function, undefined), so each step takes its map.
  return { [asyncId]: resource[asyncId], [triggerAsyncId]: resource[triggerAsyncId], callback() {}, args: undefined };
}

/** Exported so the module record keeps it (a binding nothing reads could be dropped with the module's scope). */
export const tickObjectShape = tickObjectTwin();
