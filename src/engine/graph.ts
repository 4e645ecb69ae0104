import type { CellAnalysis } from './analyze.ts';
import type { CellError } from './errors.ts';
import { closestName } from '../util/names.ts';
import { dataNameClash } from './data-tables.ts';

/**
 * The dependency graph of a notebook: which cell feeds which. Built after every edit from the cells'
 * analyses; errors of the whole notebook (duplicate names, cycles, unknown inputs) are found here.
 */
export interface Graph {
  /** Named cells' ids in notebook order. */
  readonly order: readonly string[];
  /** cell id → ids of the cells it reads. */
  readonly parents: ReadonlyMap<string, readonly string[]>;
  /** cell id → ids of the cells that read it. */
  readonly children: ReadonlyMap<string, readonly string[]>;
  /** Cells that cannot run whatever happens upstream, and why. */
  readonly errors: ReadonlyMap<string, CellError>;
  /** Lower-cased name → the id of the one cell that defines it. */
  readonly byName: ReadonlyMap<string, string>;
}

/**
 * Build the graph. `analyses` are in notebook order; `isInput` says which cell ids are input cells (a chart whose
 * `select` publishes an input is known from its analysis); `dataNames` are
 * the lower-cased names loaded data occupies: a cell named like one is an error, and readers of that name read the data.
 */
export function buildGraph(analyses: readonly CellAnalysis[], isInput: (cellId: string) => boolean, dataNames: ReadonlySet<string> = new Set()): Graph {
  const named = analyses.filter((analysis) => analysis.defines.length > 0);
  const order = named.map((analysis) => analysis.cellId);
  const errors = new Map<string, CellError>();
  for (const analysis of named) if (analysis.error) errors.set(analysis.cellId, analysis.error);

  const definers = new Map<string, string[]>();
  for (const analysis of named) {
    for (const name of analysis.defines) {
      const table = dataNameClash(name, dataNames);
      if (table !== undefined) errors.set(analysis.cellId, { kind: 'data-name', name: nameOf(named, analysis.cellId), table });
      else definers.set(name, [...(definers.get(name) ?? []), analysis.cellId]);
    }
  }
  // A chart's selection is an input too (`"select": { "as": "period" }`): its name is the chart's to define.
  const selectionOf = new Map(named.flatMap((analysis) => (analysis.selects ? [[analysis.cellId, analysis.selects.as.toLowerCase()] as const] : [])));
  const providesInput = (name: string, id: string) => isInput(id) || selectionOf.get(id) === name;
  const byName = new Map<string, string>();
  for (const [name, ids] of definers) {
    if (ids.length === 1) byName.set(name, ids[0]!);
    else {
      const chart = ids.find((id) => selectionOf.get(id) === name);
      const other = ids.find((id) => id !== chart);
      for (const id of ids) {
        errors.set(id, chart === undefined || other === undefined ? { kind: 'duplicate-name', name } : { kind: 'selection-name', name, chart: nameOf(named, chart), other: nameOf(named, other) });
      }
    }
  }

  const inputNames = [...byName].filter(([name, id]) => providesInput(name, id)).map(([name]) => name);
  const parents = new Map<string, string[]>();
  for (const analysis of named) {
    const ids = new Set<string>();
    for (const table of analysis.readsTables) {
      // A model cell `segments` also makes `segments__centroids`, `segments__model`, …
      const id = byName.get(table) ?? byName.get(table.split('__')[0]!);
      if (id !== undefined) ids.add(id);
    }
    for (const input of analysis.readsInputs) {
      const id = byName.get(input);
      if (id !== undefined && providesInput(input, id)) ids.add(id);
      else if (!errors.has(analysis.cellId)) {
        errors.set(analysis.cellId, { kind: 'unknown-name', name: `$${input}`, suggestion: closestName(input, inputNames) });
      }
    }
    parents.set(analysis.cellId, [...ids]);
  }

  for (const cycle of cycles(order, parents)) {
    for (const id of cycle) errors.set(id, { kind: 'cycle', names: cycle.map((member) => nameOf(named, member)) });
  }

  const children = new Map<string, string[]>(order.map((id) => [id, []]));
  for (const [child, ids] of parents) for (const parent of ids) children.get(parent)?.push(child);
  return { order, parents, children, errors, byName };
}

/**
 * `roots` and everything downstream of them, in an order where every cell comes after the cells it reads;
 * ties go to notebook order, so runs are deterministic (Kahn's algorithm over the closure).
 */
export function runOrder(graph: Graph, roots: Iterable<string>): string[] {
  const closure = new Set<string>();
  const stack = [...roots];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (closure.has(id) || !graph.parents.has(id)) continue;
    closure.add(id);
    stack.push(...(graph.children.get(id) ?? []));
  }
  const position = new Map(graph.order.map((id, index) => [id, index]));
  const waiting = new Map<string, number>();
  for (const id of closure) waiting.set(id, (graph.parents.get(id) ?? []).filter((parent) => closure.has(parent)).length);
  const ready = [...closure].filter((id) => waiting.get(id) === 0);
  const result: string[] = [];
  while (ready.length > 0) {
    ready.sort((a, b) => position.get(a)! - position.get(b)!);
    const id = ready.shift()!;
    result.push(id);
    for (const child of graph.children.get(id) ?? []) {
      if (!closure.has(child)) continue;
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  // Cells on a cycle never become ready; they are listed last, in notebook order, to be reported.
  for (const id of graph.order) if (closure.has(id) && !result.includes(id)) result.push(id);
  return result;
}

/** Every cell upstream of `cellId` (not itself). */
export function ancestors(graph: Graph, cellId: string): Set<string> {
  return ancestorsOfAll(graph, [cellId]);
}

/** Every cell upstream of any of `cellIds` (not the cells themselves, unless one is upstream of another). */
export function ancestorsOfAll(graph: Graph, cellIds: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const stack = cellIds.flatMap((id) => [...(graph.parents.get(id) ?? [])]);
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const parent of graph.parents.get(id) ?? []) stack.push(parent);
  }
  return seen;
}

/** Strongly connected components with more than one cell, or a cell reading itself (Tarjan). */
function cycles(order: readonly string[], parents: ReadonlyMap<string, readonly string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const found: string[][] = [];
  const visit = (id: string) => {
    index.set(id, counter);
    low.set(id, counter);
    counter += 1;
    stack.push(id);
    onStack.add(id);
    for (const next of parents.get(id) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(id, Math.min(low.get(id)!, low.get(next)!));
      } else if (onStack.has(next)) {
        low.set(id, Math.min(low.get(id)!, index.get(next)!));
      }
    }
    if (low.get(id) === index.get(id)) {
      const component: string[] = [];
      let member: string;
      do {
        member = stack.pop()!;
        onStack.delete(member);
        component.push(member);
      } while (member !== id);
      if (component.length > 1 || (parents.get(id) ?? []).includes(id)) {
        found.push(order.filter((cell) => component.includes(cell)));
      }
    }
  };
  for (const id of order) if (!index.has(id)) visit(id);
  return found;
}

function nameOf(analyses: readonly CellAnalysis[], cellId: string): string {
  return analyses.find((analysis) => analysis.cellId === cellId)?.defines[0] ?? cellId;
}
