/**
 * Walks a dependency graph the way Terraform's graph walker does: a node starts once all its
 * predecessors have finished, with at most `parallelism` nodes in flight. Among ready nodes
 * the lowest rank goes first, so a walk with parallelism 1 is reproducible.
 */

import { compareBytes } from './values';

export interface GraphNode {
  readonly id: string;
}

export async function walkGraph<T extends GraphNode>(
  nodes: readonly T[],
  edges: readonly (readonly [string, string])[],
  options: { readonly parallelism: number; readonly rank: (node: T) => string },
  visit: (node: T) => Promise<void>,
): Promise<void> {
  const indegree = new Map(nodes.map((n) => [n.id, 0]));
  const successors = new Map<string, string[]>();
  for (const [from, to] of edges) {
    indegree.set(to, (indegree.get(to) ?? 0) + 1);
    successors.set(from, [...(successors.get(from) ?? []), to]);
  }
  assertAcyclic(nodes, indegree, successors);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const ready = nodes.filter((n) => indegree.get(n.id) === 0);
  const parallelism = Math.max(1, options.parallelism);
  await new Promise<void>((resolve, reject) => {
    let running = 0;
    let done = 0;
    const pump = (): void => {
      if (done === nodes.length) {
        resolve();
        return;
      }
      ready.sort((a, b) => compareBytes(options.rank(a), options.rank(b)));
      while (running < parallelism && ready.length > 0) {
        const node = ready.shift()!;
        running++;
        visit(node).then(() => {
          running--;
          done++;
          for (const id of successors.get(node.id) ?? []) {
            const d = indegree.get(id)! - 1;
            indegree.set(id, d);
            if (d === 0) ready.push(byId.get(id)!);
          }
          pump();
        }, reject);
      }
    };
    pump();
  });
}

function assertAcyclic<T extends GraphNode>(
  nodes: readonly T[],
  indegree: ReadonlyMap<string, number>,
  successors: ReadonlyMap<string, string[]>,
): void {
  const remaining = new Map(indegree);
  const queue = nodes.filter((n) => remaining.get(n.id) === 0).map((n) => n.id);
  let seen = 0;
  while (queue.length > 0) {
    const id = queue.shift()!;
    seen++;
    for (const next of successors.get(id) ?? []) {
      const d = remaining.get(next)! - 1;
      remaining.set(next, d);
      if (d === 0) queue.push(next);
    }
  }
  if (seen !== nodes.length) {
    const stuck = nodes.filter((n) => remaining.get(n.id)! > 0).map((n) => n.id);
    throw new Error(`apply: dependency cycle between ${stuck.join(', ')}`);
  }
}
