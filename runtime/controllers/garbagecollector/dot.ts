/**
 * The dependency graph in Graphviz's DOT language, for `/debug/controllers/garbagecollector/graph` (served by
 * kube-controller-manager upstream): one vertex per node with its identity and state as attributes, one edge from
 * each dependent to each owner it names that is in the graph. Given uids, only their neighbourhood is drawn: every
 * node reachable from them through owners and dependents, so a tangle of owners is seen whole.
 */
import type { Graph, GraphNode } from './graph.ts';
import { groupOf } from './resources.ts';

/** A DOT quoted string: `"` and `\` escaped, newlines as DOT's `\n`. */
function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/\n/g, '\\n')}"`;
}

/** The nodes connected to `uids` (those in the graph) through owner and dependent links, the starting ones included. */
function neighbourhood(graph: Graph, uids: string[]): GraphNode[] {
  const found = new Map<string, GraphNode>();
  const pending = [...uids];
  for (let uid = pending.pop(); uid !== undefined; uid = pending.pop()) {
    const node = graph.get(uid);
    if (!node || found.has(uid)) continue;
    found.set(uid, node);
    for (const ref of node.owners) pending.push(ref.uid);
    for (const dep of node.dependents) pending.push(dep.identity.uid);
  }
  return [...found.values()];
}

function vertex(id: number, node: GraphNode): string {
  const { apiVersion, kind, name, namespace, uid } = node.identity;
  const group = groupOf(apiVersion);
  const version = group ? apiVersion.slice(group.length + 1) : apiVersion;
  const attributes: [string, string][] = [
    ['label', `uid=${uid}\nnamespace=${namespace}\n${kind}.${version}${group ? `.${group}` : ''}/${name}\n`],
    ['group', group],
    ['version', version],
    ['kind', kind],
    ['namespace', namespace],
    ['name', name],
    ['uid', uid],
    ['beingDeleted', String(node.beingDeleted)],
    ['deletingDependents', String(node.deletingDependents)],
    ['virtual', String(node.virtual)],
  ];
  return `  ${id} [\n${attributes.map(([k, v]) => `    ${k}=${quote(v)}\n`).join('')}  ];\n`;
}

/** The whole graph, or the neighbourhood of `uids` when some are given. */
export function graphToDOT(graph: Graph, uids: string[] = []): string {
  const nodes = uids.length ? neighbourhood(graph, uids) : [...graph.all()];
  // Sorted so two dumps of the same graph compare equal.
  nodes.sort((a, b) => (a.identity.uid < b.identity.uid ? -1 : a.identity.uid > b.identity.uid ? 1 : 0));
  const ids = new Map(nodes.map((n, i) => [n.identity.uid, i]));
  let out = 'strict digraph full {\n  // Node definitions.\n';
  nodes.forEach((n, i) => (out += vertex(i, n)));
  out += '  // Edge definitions.\n';
  for (const [i, n] of nodes.entries()) {
    for (const ref of n.owners) {
      const owner = ids.get(ref.uid);
      if (owner !== undefined) out += `  ${i} -> ${owner};\n`;
    }
  }
  return `${out}}\n`;
}
