/**
 * A force-directed layout of a weighted graph into the box [-1, 1]²: each connected component is laid out on its
 * own (links pull their ends together, stronger links shorter; every node repels every other), then the components
 * are packed side by side without overlap and the whole is scaled into the box. Seeded: the same graph and seed
 * always give the same coordinates.
 */
// d3-force rather than our own Fruchterman–Reingold: Plot already brings it (d3@7), its Barnes–Hut repulsion is
// O(n log n) and its cooling is well tuned.
import { forceLink, forceManyBody, forceSimulation, type SimulationLinkDatum, type SimulationNodeDatum } from 'd3-force';
import { Rng } from '../kit/random.ts';
import { Progress, type RunControl } from '../kit/progress.ts';

/** A link between two nodes by index; its direction does not matter to the layout. */
export interface WeightedEdge {
  readonly source: number;
  readonly target: number;
  readonly weight: number;
}

export interface ForceLayoutOptions extends RunControl {
  /** Same seed, same layout. Default 42. */
  readonly seed?: number;
  /** Simulation ticks per component (the cooling schedule spans them). Default 300. */
  readonly iterations?: number;
}

export interface GraphLayout {
  /** Coordinates in [-1, 1], one per node. */
  readonly x: Float64Array;
  readonly y: Float64Array;
  /** Connected component of each node: 0 is the largest, ties broken by the lowest node index. */
  readonly component: Int32Array;
}

/** A node as d3 moves it. */
interface SimulationNode extends SimulationNodeDatum {
  x: number;
  y: number;
}
/** d3 replaces `source` and `target` by the node objects when the force starts; we only read our own fields. */
interface SimulationLink extends SimulationLinkDatum<SimulationNode> {
  distance: number;
  strength: number;
}

/** d3-force's natural scale: its default link distance, against its default charge of -30. */
const LINK_DISTANCE = 30;
/** Empty space around each component before packing, so nodes of two components are at least 1.5 links apart. */
const COMPONENT_MARGIN = 0.75 * LINK_DISTANCE;
/** d3-force stops cooling at alpha 0.001; we spread that cooling over the requested ticks. */
const ALPHA_MIN = 0.001;

/**
 * Lay out `nodeCount` nodes joined by `edges` in [-1, 1]²:
 * `forceLayout(3, [{ source: 0, target: 1, weight: 2 }, { source: 1, target: 2, weight: 1 }], { seed: 7 })`.
 * Parallel edges (a→b and b→a) count once, with the larger weight; self-loops are ignored. Reports progress, honours cancel.
 */
export function forceLayout(nodeCount: number, edges: readonly WeightedEdge[], options: ForceLayoutOptions = {}): GraphLayout {
  const seed = options.seed ?? 42;
  const iterations = options.iterations ?? 300;
  if (!Number.isInteger(iterations) || iterations < 1) throw new RangeError(`iterations must be a whole number ≥ 1, got ${iterations}`);
  for (const edge of edges) {
    if (!(edge.source >= 0 && edge.source < nodeCount && edge.target >= 0 && edge.target < nodeCount)) {
      throw new RangeError(`edge ${edge.source}–${edge.target} names a node outside 0…${nodeCount - 1}`);
    }
    if (!Number.isFinite(edge.weight)) throw new RangeError(`edge ${edge.source}–${edge.target} has weight ${edge.weight}; weights must be finite`);
  }
  const progress = new Progress(options, 'Network layout');
  const pairs = mergePairs(edges);
  const component = components(nodeCount, pairs);
  const members = groupBy(component);
  const closeness = linkCloseness(pairs);

  const x = new Float64Array(nodeCount);
  const y = new Float64Array(nodeCount);
  const rng = new Rng(seed, 'graph-layout');
  const ticksInAll = members.reduce((sum, nodes) => sum + (nodes.length > 1 ? iterations : 0), 0);
  let ticksDone = 0;
  const componentPairs = groupPairs(pairs, component, members.length);
  members.forEach((nodes, c) => {
    if (nodes.length === 1) return;
    const local = new Map(nodes.map((node, i) => [node, i]));
    // Random starts in a square that grows with the component, wider than it will settle: pulling in from a wide
    // start untangles more often than pushing out from a tight one (a path a-b-c-d: 0 of 500 seeds folded, against
    // 9 of 500 from a start half as wide).
    const radius = 2 * LINK_DISTANCE * Math.sqrt(nodes.length);
    const positions: SimulationNode[] = nodes.map(() => ({ x: rng.uniform(-radius, radius), y: rng.uniform(-radius, radius) }));
    const pairsHere = componentPairs[c] ?? [];
    const degree = new Int32Array(nodes.length);
    for (const pair of pairsHere) {
      degree[local.get(pair.source)!]! += 1;
      degree[local.get(pair.target)!]! += 1;
    }
    // Weight sets a link's length (the heaviest half as long as the lightest); its strength is d3's default,
    // 1 / the smaller degree of its ends, which keeps hubs from being torn between their links.
    const links: SimulationLink[] = pairsHere.map((pair) => {
      const source = local.get(pair.source)!;
      const target = local.get(pair.target)!;
      return { source, target, distance: LINK_DISTANCE * (1 - 0.5 * closeness(pair.weight)), strength: 1 / Math.min(degree[source]!, degree[target]!) };
    });
    // Stopped at once: we tick it ourselves, never on d3's timer.
    const simulation = forceSimulation(positions)
      .stop()
      .randomSource(() => rng.float())
      .alphaDecay(1 - Math.pow(ALPHA_MIN, 1 / iterations));
    simulation.force(
      'link',
      forceLink(links)
        .distance((link) => link.distance)
        .strength((link) => link.strength),
    );
    simulation.force('charge', forceManyBody());
    for (let tick = 0; tick < iterations; tick++) {
      simulation.tick();
      progress.checkpoint(++ticksDone / ticksInAll);
    }
    nodes.forEach((node, i) => {
      x[node] = positions[i]!.x;
      y[node] = positions[i]!.y;
    });
  });
  packComponents(members, x, y);
  progress.finish();
  return { x, y, component };
}

/** One undirected pair per linked pair of distinct nodes, with the larger weight (lift is the same both ways, so
 * a sum would favour two-way rules); self-loops dropped. In first-seen order. */
function mergePairs(edges: readonly WeightedEdge[]): WeightedEdge[] {
  const byKey = new Map<string, { source: number; target: number; weight: number }>();
  for (const edge of edges) {
    if (edge.source === edge.target) continue;
    const [low, high] = edge.source < edge.target ? [edge.source, edge.target] : [edge.target, edge.source];
    const key = `${low} ${high}`;
    const pair = byKey.get(key);
    if (pair) pair.weight = Math.max(pair.weight, edge.weight);
    else byKey.set(key, { source: low, target: high, weight: edge.weight });
  }
  return [...byKey.values()];
}

/** Weight → closeness in [0, 1] (min-max over the pairs; all equal → 0, every link at full length). */
function linkCloseness(pairs: readonly WeightedEdge[]): (weight: number) => number {
  let low = Infinity;
  let high = -Infinity;
  for (const pair of pairs) {
    low = Math.min(low, pair.weight);
    high = Math.max(high, pair.weight);
  }
  return high > low ? (weight) => (weight - low) / (high - low) : () => 0;
}

/** Component of each node (union-find), numbered largest first; equal sizes in order of their lowest node. */
function components(nodeCount: number, pairs: readonly WeightedEdge[]): Int32Array {
  const parent = Int32Array.from({ length: nodeCount }, (_, node) => node);
  const root = (node: number): number => {
    while (parent[node] !== node) {
      parent[node] = parent[parent[node]!]!;
      node = parent[node]!;
    }
    return node;
  };
  for (const pair of pairs) {
    const a = root(pair.source);
    const b = root(pair.target);
    if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
  }
  const size = new Int32Array(nodeCount);
  for (let node = 0; node < nodeCount; node++) size[root(node)]! += 1;
  // A root is its component's lowest node (the smaller root always wins), so sorting roots by index breaks ties.
  const roots = [...new Set(Array.from({ length: nodeCount }, (_, node) => root(node)))].sort((a, b) => size[b]! - size[a]! || a - b);
  const number = new Map(roots.map((r, index) => [r, index]));
  return Int32Array.from({ length: nodeCount }, (_, node) => number.get(root(node))!);
}

/** Nodes of each component, in index order. */
function groupBy(component: Int32Array): number[][] {
  const groups: number[][] = [];
  component.forEach((c, node) => (groups[c] ??= []).push(node));
  return groups;
}

function groupPairs(pairs: readonly WeightedEdge[], component: Int32Array, count: number): WeightedEdge[][] {
  const groups: WeightedEdge[][] = Array.from({ length: count }, () => []);
  for (const pair of pairs) groups[component[pair.source]!]!.push(pair);
  return groups;
}

/**
 * Shelf-pack the components' margined bounding boxes, tallest first, into rows about as wide as the square root
 * of their total area, then scale the whole uniformly (link lengths stay comparable) and centre it in [-1, 1]².
 */
function packComponents(members: readonly number[][], x: Float64Array, y: Float64Array): void {
  if (members.length === 0) return;
  const boxes = members.map((nodes, c) => {
    let left = Infinity;
    let right = -Infinity;
    let bottom = Infinity;
    let top = -Infinity;
    for (const node of nodes) {
      left = Math.min(left, x[node]!);
      right = Math.max(right, x[node]!);
      bottom = Math.min(bottom, y[node]!);
      top = Math.max(top, y[node]!);
    }
    return { c, left, bottom, width: right - left + 2 * COMPONENT_MARGIN, height: top - bottom + 2 * COMPONENT_MARGIN };
  });
  const area = boxes.reduce((sum, box) => sum + box.width * box.height, 0);
  const rowLimit = Math.max(Math.sqrt(area), ...boxes.map((box) => box.width));
  const order = [...boxes].sort((a, b) => b.height - a.height || a.c - b.c);
  let cursorX = 0;
  let rowY = 0;
  let rowHeight = 0;
  let packedWidth = 0;
  const shift = new Map<number, { dx: number; dy: number }>();
  for (const box of order) {
    if (cursorX > 0 && cursorX + box.width > rowLimit) {
      rowY += rowHeight;
      cursorX = 0;
      rowHeight = 0;
    }
    // Rows grow downwards (negative y), so the tallest components sit on top.
    shift.set(box.c, { dx: cursorX + COMPONENT_MARGIN - box.left, dy: -rowY - box.height + COMPONENT_MARGIN - box.bottom });
    cursorX += box.width;
    packedWidth = Math.max(packedWidth, cursorX);
    rowHeight = Math.max(rowHeight, box.height);
  }
  const packedHeight = rowY + rowHeight;
  const scale = 2 / Math.max(packedWidth, packedHeight);
  members.forEach((nodes, c) => {
    const { dx, dy } = shift.get(c)!;
    for (const node of nodes) {
      x[node] = (x[node]! + dx - packedWidth / 2) * scale;
      y[node] = (y[node]! + dy + packedHeight / 2) * scale;
    }
  });
}

/** Edges chosen for drawing: indices into the input, strongest first, and what was left out. */
export interface EdgeSelection {
  /** Indices of the kept edges, by weight descending (ties in input order). */
  readonly kept: number[];
  /** Distinct nodes over all edges, and over the kept ones. */
  readonly nodesIn: number;
  readonly nodesKept: number;
  /** Edges left out because `maxEdges` was reached, and because an end would have exceeded `maxNodes`. */
  readonly cutByEdges: number;
  readonly cutByNodes: number;
}

/**
 * The strongest edges, at most `maxEdges` of them touching at most `maxNodes` nodes: edges are taken by weight,
 * heaviest first, and one whose new ends would exceed `maxNodes` is skipped (a weaker edge between nodes already in
 * may still come in). `selectStrongest([{source:'a',target:'b',weight:3}, …], 40, 60)`.
 */
export function selectStrongest<Node>(edges: readonly { readonly source: Node; readonly target: Node; readonly weight: number }[], maxEdges: number, maxNodes: number): EdgeSelection {
  const order = edges.map((_, index) => index).sort((a, b) => edges[b]!.weight - edges[a]!.weight || a - b);
  const nodes = new Set<Node>();
  const all = new Set<Node>();
  const kept: number[] = [];
  let cutByEdges = 0;
  let cutByNodes = 0;
  for (const index of order) {
    const { source, target } = edges[index]!;
    all.add(source).add(target);
    if (kept.length >= maxEdges) {
      cutByEdges++;
      continue;
    }
    const added = (nodes.has(source) ? 0 : 1) + (nodes.has(target) || target === source ? 0 : 1);
    if (nodes.size + added > maxNodes) {
      cutByNodes++;
      continue;
    }
    nodes.add(source).add(target);
    kept.push(index);
  }
  return { kept, nodesIn: all.size, nodesKept: nodes.size, cutByEdges, cutByNodes };
}
