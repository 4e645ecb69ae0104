/**
 * `network_layout`: any table of links (association rules by default: antecedent → consequent, weighted by lift)
 * as positioned nodes and edges, for Plot's link, dot and text marks.
 */
import { numberColumn, textColumn, type Frame } from '../kit/frame.ts';
import { integer, only, text } from '../kit/params.ts';
import type { ModelDefinition } from '../kit/model.ts';
import { INPUT, SEED } from '../kit/fields.ts';
import { Progress } from '../kit/progress.ts';
import { forceLayout, selectStrongest } from './graph-layout.ts';

const networkLayoutModel: ModelDefinition = {
  kind: 'worker',
  name: 'network_layout',
  title: 'Network layout (products joined by rules)',
  fields: [
    { ...INPUT, hint: 'a table of links, e.g. the rules of association_rules' },
    { key: 'source', label: 'From column', type: 'column', hint: 'default antecedent_items' },
    { key: 'target', label: 'To column', type: 'column', hint: 'default consequent_items' },
    { key: 'weight', label: 'Weight column', type: 'column', hint: 'default lift; the strongest links are kept' },
    { key: 'max_edges', label: 'Most links', type: 'number', hint: 'default 40' },
    { key: 'max_nodes', label: 'Most nodes', type: 'number', hint: 'default 60' },
    { key: 'iterations', label: 'Iterations', type: 'number', hint: 'default 300' },
    SEED,
  ],
  params: { source: 'string', target: 'string', weight: 'string', max_edges: 'number', max_nodes: 'number', iterations: 'number', seed: 'number' },
  run(inputs, params, control) {
    const input = only(inputs);
    const columns = { source: text(params, 'source', 'antecedent_items'), target: text(params, 'target', 'consequent_items'), weight: text(params, 'weight', 'lift') };
    const sources = textColumn(input, columns.source);
    const targets = textColumn(input, columns.target);
    const weights = numberColumn(input, columns.weight);
    const maxEdges = integer(params, 'max_edges', 40, 1, 100_000);
    const maxNodes = integer(params, 'max_nodes', 60, 2, 10_000);
    const seed = integer(params, 'seed', 42, 0, Number.MAX_SAFE_INTEGER);
    const iterations = integer(params, 'iterations', 300, 1, 10_000);
    const progress = new Progress(control, 'Network layout');

    const links: { source: string; target: string; weight: number }[] = [];
    for (let row = 0; row < input.rowCount; row++) {
      const source = sources[row];
      const target = targets[row];
      const weight = weights[row]!;
      if (source == null || target == null || source === target || !Number.isFinite(weight)) continue;
      links.push({ source, target, weight });
    }
    const skipped = input.rowCount - links.length;
    const selection = selectStrongest(links, maxEdges, maxNodes);
    const kept = selection.kept.map((index) => links[index]!);
    const nodeIndex = new Map<string, number>();
    const indexOf = (node: string) => nodeIndex.get(node) ?? nodeIndex.set(node, nodeIndex.size).get(node)!;
    const edges = kept.map((link) => ({ source: indexOf(link.source), target: indexOf(link.target), weight: link.weight }));
    const names = [...nodeIndex.keys()];
    const layout = forceLayout(names.length, edges, { seed, iterations, ...progress.slice(0, 0.95) });

    const degree = new Int32Array(names.length);
    const strength = new Float64Array(names.length);
    for (const edge of edges) {
      for (const node of [edge.source, edge.target]) {
        degree[node]! += 1;
        strength[node]! += edge.weight;
      }
    }
    const nodes: Frame = {
      rowCount: names.length,
      columns: { node: names, x: layout.x, y: layout.y, degree, weight: strength, component: layout.component },
    };
    const at = (coordinates: Float64Array, end: 'source' | 'target') => Float64Array.from(edges, (edge) => coordinates[edge[end]]!);
    const edgeTable: Frame = {
      rowCount: edges.length,
      columns: {
        source: kept.map((link) => link.source),
        target: kept.map((link) => link.target),
        weight: Float64Array.from(kept, (link) => link.weight),
        x1: at(layout.x, 'source'),
        y1: at(layout.y, 'source'),
        x2: at(layout.x, 'target'),
        y2: at(layout.y, 'target'),
      },
    };
    const summary: Frame = {
      rowCount: 1,
      columns: {
        rows: Int32Array.of(input.rowCount),
        rows_skipped: Int32Array.of(skipped),
        edges_in: Int32Array.of(links.length),
        edges_shown: Int32Array.of(kept.length),
        nodes_in: Int32Array.of(selection.nodesIn),
        nodes_shown: Int32Array.of(names.length),
        note: [describeCut(columns, input.rowCount, skipped, links.length, selection, maxEdges, maxNodes)],
      },
    };
    progress.finish();
    return { '': nodes, edges: edgeTable, summary };
  },
};

/** What the picture leaves out, in a sentence: "The 40 strongest of 812 links by lift, 58 of 214 nodes; …". */
function describeCut(
  columns: { source: string; target: string; weight: string },
  rows: number,
  skipped: number,
  linksIn: number,
  selection: ReturnType<typeof selectStrongest>,
  maxEdges: number,
  maxNodes: number,
): string {
  if (rows === 0) return 'No links to draw: the input table has no rows.';
  const skippedNote = skipped === 0 ? '' : ` ${skipped} of ${rows} rows left out: no ${columns.source} or ${columns.target}, the same node at both ends, or no ${columns.weight}.`;
  if (linksIn === 0) return `No links to draw.${skippedNote}`;
  const shown = selection.kept.length;
  const cuts = [
    selection.cutByEdges > 0 ? `${selection.cutByEdges} weaker beyond max_edges = ${maxEdges}` : '',
    selection.cutByNodes > 0 ? `${selection.cutByNodes} that would have brought in more than max_nodes = ${maxNodes} nodes` : '',
  ].filter((cut) => cut !== '');
  const head =
    cuts.length === 0
      ? `All ${linksIn} links and ${selection.nodesKept} nodes are shown.`
      : `The ${shown} strongest of ${linksIn} links by ${columns.weight} are shown, with ${selection.nodesKept} of ${selection.nodesIn} nodes; left out: ${cuts.join(', and ')}.`;
  return head + skippedNote;
}

/** Every network model by name. */
/** The network models. */
export const NETWORK_MODELS: readonly ModelDefinition[] = [networkLayoutModel];
