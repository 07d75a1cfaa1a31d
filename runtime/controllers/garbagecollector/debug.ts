/**
 * `GET /debug/controllers/garbagecollector/graph[?uid=...]`: the collector's dependency graph in DOT, at
 * kube-controller-manager's path. It names every object in the cluster, so it is served behind authorization as
 * any non-resource URL: only users granted the path (cluster-admin) read it. 404 while no collector runs here
 * (turned off, or another server leads).
 */
import { graphToDOT } from './dot.ts';
import type { GarbageCollectorDeps } from './index.ts';

export const graphPath = '/debug/controllers/garbagecollector/graph';

export function garbageCollectorGraphRoute(running: GarbageCollectorDeps['running']): { path: string; get(url: URL): Response } {
  return {
    path: graphPath,
    get(url) {
      const gc = running.current;
      if (!gc) return new Response('the garbage collector is not running on this server\n', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
      return new Response(graphToDOT(gc.graph, url.searchParams.getAll('uid')), { status: 200, headers: { 'Content-Type': 'text/vnd.graphviz', 'X-Content-Type-Options': 'nosniff' } });
    },
  };
}
