import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../src/models/kit/random.ts';
import { frameFromIpc, frameToIpc, type Frame } from '../../../../src/models/kit/frame.ts';
import { forceLayout, selectStrongest, type GraphLayout, type WeightedEdge } from '../../../../src/models/network/graph-layout.ts';
import { runModel } from '../../../../src/models/registry.ts';
import { abortedSignal, progressRecorder } from '../segmentation/segmentation-fixtures.ts';

/** Unit-weight edges from `[source, target]` pairs. */
const linked = (pairs: readonly (readonly [number, number])[], weight = 1): WeightedEdge[] => pairs.map(([source, target]) => ({ source, target, weight }));
const distance = (layout: GraphLayout, a: number, b: number): number => Math.hypot(layout.x[a]! - layout.x[b]!, layout.y[a]! - layout.y[b]!);
const box = (layout: GraphLayout, nodes: readonly number[]) => ({
  left: Math.min(...nodes.map((node) => layout.x[node]!)),
  right: Math.max(...nodes.map((node) => layout.x[node]!)),
  bottom: Math.min(...nodes.map((node) => layout.y[node]!)),
  top: Math.max(...nodes.map((node) => layout.y[node]!)),
});

/** A seeded graph of `nodeCount` nodes: a random tree per block of 10 nodes plus extra links inside the block. */
function blockGraph(nodeCount: number, extraPerBlock: number, seed: number): WeightedEdge[] {
  const rng = new Rng(seed, 'test-graph');
  const edges: WeightedEdge[] = [];
  for (let start = 0; start < nodeCount; start += 10) {
    const end = Math.min(start + 10, nodeCount);
    for (let node = start + 1; node < end; node++) edges.push({ source: rng.integer(start, node - 1), target: node, weight: rng.uniform(1, 5) });
    for (let extra = 0; extra < extraPerBlock && end - start > 2; extra++) {
      const source = rng.integer(start, end - 1);
      const target = rng.integer(start, end - 1);
      if (source !== target) edges.push({ source, target, weight: rng.uniform(1, 5) });
    }
  }
  return edges;
}

describe('forceLayout', () => {
  it('puts two disconnected triangles in separate, non-overlapping regions', () => {
    const layout = forceLayout(6, linked([[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3]]), { seed: 5 });
    const first = box(layout, [0, 1, 2]);
    const second = box(layout, [3, 4, 5]);
    const apart = first.right < second.left || second.right < first.left || first.top < second.bottom || second.top < first.bottom;
    expect(apart).toBe(true);
    const longestEdge = Math.max(...[[0, 1], [1, 2], [2, 0], [3, 4], [4, 5], [5, 3]].map(([a, b]) => distance(layout, a!, b!)));
    const nearestAcross = Math.min(...[0, 1, 2].flatMap((a) => [3, 4, 5].map((b) => distance(layout, a, b))));
    expect(nearestAcross).toBeGreaterThan(longestEdge);
    expect(Array.from(layout.component)).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('lays a path a-b-c-d out with every adjacent pair closer than every non-adjacent pair, whatever the seed', () => {
    for (const seed of [1, 2, 3, 42, 1234]) {
      const layout = forceLayout(4, linked([[0, 1], [1, 2], [2, 3]]), { seed });
      const adjacent = [[0, 1], [1, 2], [2, 3]].map(([a, b]) => distance(layout, a!, b!));
      const apart = [[0, 2], [1, 3], [0, 3]].map(([a, b]) => distance(layout, a!, b!));
      expect(Math.max(...adjacent), `seed ${seed}`).toBeLessThan(Math.min(...apart));
    }
  });

  it('gives identical coordinates for the same seed and different ones for another seed', () => {
    const edges = blockGraph(40, 5, 9);
    const first = forceLayout(40, edges, { seed: 7 });
    const again = forceLayout(40, edges, { seed: 7 });
    const other = forceLayout(40, edges, { seed: 8 });
    expect(Array.from(again.x)).toEqual(Array.from(first.x));
    expect(Array.from(again.y)).toEqual(Array.from(first.y));
    const moved = Array.from(first.x, (x, node) => Math.hypot(x - other.x[node]!, first.y[node]! - other.y[node]!));
    expect(Math.max(...moved)).toBeGreaterThan(0.01);
  });

  it('keeps every coordinate inside [-1, 1]² and uses the box (one side spans most of it)', () => {
    const edges = blockGraph(95, 8, 3);
    const layout = forceLayout(95, edges, { seed: 11, iterations: 120 });
    for (const coordinates of [layout.x, layout.y]) {
      for (const value of coordinates) {
        expect(Number.isFinite(value)).toBe(true);
        expect(Math.abs(value)).toBeLessThanOrEqual(1);
      }
    }
    const span = Math.max(Math.max(...layout.x) - Math.min(...layout.x), Math.max(...layout.y) - Math.min(...layout.y));
    expect(span).toBeGreaterThan(1.2);
    expect(new Set(layout.component).size).toBe(10);
  });

  it('places a star’s centre nearer the centroid than any of its leaves', () => {
    const leaves = [1, 2, 3, 4, 5, 6, 7];
    const layout = forceLayout(8, linked(leaves.map((leaf) => [0, leaf] as const)), { seed: 2 });
    const cx = layout.x.reduce((sum, x) => sum + x, 0) / 8;
    const cy = layout.y.reduce((sum, y) => sum + y, 0) / 8;
    const fromCentroid = (node: number) => Math.hypot(layout.x[node]! - cx, layout.y[node]! - cy);
    for (const leaf of leaves) expect(fromCentroid(0)).toBeLessThan(fromCentroid(leaf));
  });

  it('draws a heavier link shorter than the light ones of the same square', () => {
    const square: WeightedEdge[] = [
      { source: 0, target: 1, weight: 10 },
      { source: 1, target: 2, weight: 1 },
      { source: 2, target: 3, weight: 1 },
      { source: 3, target: 0, weight: 1 },
    ];
    const layout = forceLayout(4, square, { seed: 4 });
    const heavy = distance(layout, 0, 1);
    for (const [a, b] of [[1, 2], [2, 3], [3, 0]] as const) expect(heavy).toBeLessThan(distance(layout, a, b));
  });

  it('treats a→b and b→a as one link of the larger weight, and ignores self-loops', () => {
    const both = forceLayout(3, [{ source: 0, target: 1, weight: 2 }, { source: 1, target: 0, weight: 3 }, { source: 1, target: 2, weight: 5 }, { source: 2, target: 2, weight: 9 }], { seed: 6 });
    const merged = forceLayout(3, [{ source: 0, target: 1, weight: 3 }, { source: 1, target: 2, weight: 5 }], { seed: 6 });
    expect(Array.from(both.x)).toEqual(Array.from(merged.x));
    expect(Array.from(both.y)).toEqual(Array.from(merged.y));
  });

  it('lays out nothing, and a lone node at the centre', () => {
    expect(forceLayout(0, []).x.length).toBe(0);
    const lone = forceLayout(1, []);
    expect([lone.x[0], lone.y[0]]).toEqual([0, 0]);
  });

  it('names an edge that points outside the nodes, or a weight that is not a number', () => {
    expect(() => forceLayout(2, linked([[0, 2]]))).toThrow(/edge 0–2 names a node outside 0…1/);
    expect(() => forceLayout(2, [{ source: 0, target: 1, weight: Number.NaN }])).toThrow(/weight NaN/);
  });

  it('reports rising progress ending at 1, and stops when cancelled', () => {
    const recorder = progressRecorder();
    forceLayout(30, blockGraph(30, 3, 1), { seed: 1, onProgress: recorder.onProgress });
    recorder.check();
    expect(recorder.fractions.length).toBeGreaterThan(10);
    expect(() => forceLayout(30, blockGraph(30, 3, 1), { signal: abortedSignal() })).toThrow(/Network layout cancelled/);
  });
});

describe('selectStrongest', () => {
  it('keeps exactly the max_edges heaviest edges when nodes are not capped (checked against a plain sort)', () => {
    const rng = new Rng(21, 'edges');
    const edges = Array.from({ length: 200 }, () => ({ source: `p${rng.integer(0, 49)}`, target: `p${rng.integer(0, 49)}`, weight: rng.uniform(0, 10) }));
    const selection = selectStrongest(edges, 40, 1000);
    const expected = edges
      .map((edge, index) => ({ index, weight: edge.weight }))
      .sort((a, b) => b.weight - a.weight)
      .slice(0, 40)
      .map((edge) => edge.index);
    expect(selection.kept).toEqual(expected);
    expect(selection.cutByEdges).toBe(160);
    expect(selection.cutByNodes).toBe(0);
  });

  it('skips an edge whose new ends would exceed max_nodes, still taking weaker edges between nodes already in', () => {
    const edges = [
      { source: 'a', target: 'b', weight: 9 },
      { source: 'c', target: 'd', weight: 8 },
      { source: 'e', target: 'f', weight: 7 },
      { source: 'a', target: 'c', weight: 6 },
      { source: 'g', target: 'a', weight: 5 },
    ];
    // a, b, c, d fill the four places; e–f and g–a would bring in more, a–c does not.
    expect(selectStrongest(edges, 10, 4)).toEqual({ kept: [0, 1, 3], nodesIn: 7, nodesKept: 4, cutByEdges: 0, cutByNodes: 2 });
  });

  it('breaks equal weights by input order', () => {
    const edges = [{ source: 'a', target: 'b', weight: 1 }, { source: 'c', target: 'd', weight: 2 }, { source: 'e', target: 'f', weight: 1 }];
    expect(selectStrongest(edges, 2, 100).kept).toEqual([1, 0]);
  });
});

describe('the network_layout model, through the registry', () => {
  const run = (input: Frame, params: Record<string, unknown>, control = {}) => {
    const outputs = runModel('network_layout', { model: 'network_layout', ...params }, [frameToIpc(input)], control);
    return Object.fromEntries(Object.entries(outputs).map(([suffix, ipc]) => [suffix, frameFromIpc(ipc)]));
  };
  const text = (frame: Frame | undefined, column: string) => frame?.columns[column] as readonly (string | null)[];
  const numbers = (frame: Frame | undefined, column: string) => Array.from(frame?.columns[column] as Float64Array);

  // Rules as association_rules writes them (only the columns read here), lifts all distinct.
  const rng = new Rng(3, 'rules');
  const products = Array.from({ length: 30 }, (_, index) => `PRODUCT ${index}`);
  const ruleRows = Array.from({ length: 120 }, (_, index) => {
    const antecedent = rng.integer(0, 29);
    const consequent = (antecedent + rng.integer(1, 29)) % 30;
    return { antecedent: products[antecedent]!, consequent: products[consequent]!, lift: 1 + rng.float() * 20 + index * 1e-9 };
  });
  const rules: Frame = {
    rowCount: ruleRows.length,
    columns: {
      antecedent_items: ruleRows.map((rule) => rule.antecedent),
      consequent_items: ruleRows.map((rule) => rule.consequent),
      lift: Float64Array.from(ruleRows, (rule) => rule.lift),
      confidence: Float64Array.from(ruleRows, () => 0.5),
    },
  };

  it('draws the max_edges strongest rules by lift, its edges ending exactly on their nodes', () => {
    const { '': nodes, edges, summary } = run(rules, { input: 'rules', max_edges: 25, max_nodes: 1000, seed: 3 });
    expect(Object.keys(nodes!.columns)).toEqual(['node', 'x', 'y', 'degree', 'weight', 'component']);
    expect(Object.keys(edges!.columns)).toEqual(['source', 'target', 'weight', 'x1', 'y1', 'x2', 'y2']);
    const strongest = [...ruleRows].sort((a, b) => b.lift - a.lift).slice(0, 25);
    expect(numbers(edges, 'weight')).toEqual(strongest.map((rule) => rule.lift));
    expect(text(edges, 'source')).toEqual(strongest.map((rule) => rule.antecedent));
    expect(text(edges, 'target')).toEqual(strongest.map((rule) => rule.consequent));

    const where = new Map(text(nodes, 'node').map((node, row) => [node, [numbers(nodes, 'x')[row], numbers(nodes, 'y')[row]]]));
    text(edges, 'source').forEach((source, row) => {
      expect([numbers(edges, 'x1')[row], numbers(edges, 'y1')[row]]).toEqual(where.get(source));
      expect([numbers(edges, 'x2')[row], numbers(edges, 'y2')[row]]).toEqual(where.get(text(edges, 'target')[row]!));
    });
    // Nodes are exactly the ends of the drawn rules; degree and weight are counted over them.
    expect(new Set(where.keys())).toEqual(new Set(strongest.flatMap((rule) => [rule.antecedent, rule.consequent])));
    const node = text(nodes, 'node')[0]!;
    const touching = strongest.filter((rule) => rule.antecedent === node || rule.consequent === node);
    expect(Array.from(nodes!.columns.degree as Float64Array)[0]).toBe(touching.length);
    expect(numbers(nodes, 'weight')[0]).toBeCloseTo(touching.reduce((sum, rule) => sum + rule.lift, 0), 9);
    expect(text(summary, 'note')[0]).toMatch(/^The 25 strongest of 120 links by lift are shown, with \d+ of 30 nodes; left out: 95 weaker beyond max_edges = 25\.$/);
  });

  it('caps the nodes at max_nodes and says what was cut', () => {
    const { '': nodes, summary } = run(rules, { input: 'rules', max_edges: 100, max_nodes: 8 });
    expect(nodes!.rowCount).toBeLessThanOrEqual(8);
    expect(text(summary, 'note')[0]).toMatch(/with 8 of 30 nodes; left out: .*that would have brought in more than max_nodes = 8 nodes/);
  });

  it('reads other columns when told, and names a missing column with the columns there are', () => {
    const { edges } = run(rules, { input: 'rules', weight: 'confidence', max_edges: 3 });
    expect(numbers(edges, 'weight')).toEqual([0.5, 0.5, 0.5]);
    expect(() => run(rules, { input: 'rules', source: 'antecedent' })).toThrow('the input has no column "antecedent" (it has antecedent_items, consequent_items, lift, confidence)');
    expect(() => run(rules, { input: 'rules', weight: 'antecedent_items' })).toThrow(/column "antecedent_items" holds text/);
    expect(() => run(rules, { input: 'rules', max_edges: 0 })).toThrow(/"max_edges" must be a whole number from 1/);
  });

  it('gives empty tables and a note for an empty input', () => {
    const empty: Frame = { rowCount: 0, columns: { antecedent_items: [], consequent_items: [], lift: new Float64Array(0) } };
    const { '': nodes, edges, summary } = run(empty, { input: 'rules' });
    expect([nodes?.rowCount, edges?.rowCount]).toEqual([0, 0]);
    expect(text(summary, 'note')).toEqual(['No links to draw: the input table has no rows.']);
  });

  it('lays out the rules association_rules finds in baskets', () => {
    const baskets = [['tea', 'mug'], ['tea', 'mug', 'cake'], ['tea', 'mug'], ['cake', 'plate'], ['cake', 'plate'], ['cake', 'plate', 'fork']];
    const lines = baskets.flatMap((items, basket) => items.map((item) => ({ invoice: `i${basket}`, item })));
    const sales: Frame = { rowCount: lines.length, columns: { invoice_id: lines.map((line) => line.invoice), product_id: lines.map((line) => line.item), description: lines.map((line) => line.item.toUpperCase()) } };
    const found = runModel('association_rules', { min_support: 0.3, min_confidence: 0.5 }, [frameToIpc(sales)], {});
    const recorder = progressRecorder();
    const outputs = runModel('network_layout', {}, [found['']!], { onProgress: recorder.onProgress });
    recorder.check();
    const nodes = frameFromIpc(outputs['']!);
    expect(new Set(nodes.columns.node as string[])).toEqual(new Set(['TEA', 'MUG', 'CAKE', 'PLATE']));
    // tea–mug and cake–plate never meet in a rule: two components.
    expect(new Set(nodes.columns.component as Float64Array).size).toBe(2);
    expect(() => runModel('network_layout', {}, [found['']!], { signal: abortedSignal() })).toThrow(/cancelled/);
  });
});
