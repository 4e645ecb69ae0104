/**
 * A rotatable 3-D scatter drawn with Plot's 2-D marks: each point's x, y and z are scaled to a cube [-1, 1]³,
 * turned by the view's yaw and pitch and projected orthographically; the cube's three axes are drawn as links.
 * Plot has no 3-D mark, and a WebGL library for one chart would be most of the bundle, so we project ourselves.
 */

/** The viewer's angles in radians: yaw turns about the vertical (y) axis, pitch tilts towards the viewer. */
export interface View3d {
  readonly yaw: number;
  readonly pitch: number;
}

export const DEFAULT_VIEW: View3d = { yaw: -0.6, pitch: 0.35 };
/** Pitch stays short of straight up or down, where the vertical axis would collapse to a point. */
export const MAX_PITCH = 1.4;

/** The view after dragging by (dx, dy) pixels: a full turn per 630 px across. */
export function dragView(view: View3d, dx: number, dy: number): View3d {
  const pitch = Math.max(-MAX_PITCH, Math.min(MAX_PITCH, view.pitch + dy * 0.01));
  return { yaw: view.yaw + dx * 0.01, pitch };
}

/** A point of the cube on the screen: `sx` right, `sy` up, `depth` towards the viewer. */
export interface Projected {
  readonly sx: number;
  readonly sy: number;
  readonly depth: number;
}

/** Turn a point of the cube by the view and drop it onto the screen plane. */
export function project(x: number, y: number, z: number, view: View3d): Projected {
  const cy = Math.cos(view.yaw);
  const sy = Math.sin(view.yaw);
  const cp = Math.cos(view.pitch);
  const sp = Math.sin(view.pitch);
  // Yaw about the vertical axis, then pitch about the screen's horizontal axis.
  const x1 = x * cy + z * sy;
  const z1 = -x * sy + z * cy;
  return { sx: x1, sy: y * cp - z1 * sp, depth: y * sp + z1 * cp };
}

/** Maps values of one column onto [-1, 1] by its range (a constant column sits at 0). */
export function unitScale(values: readonly number[]): (value: number) => number {
  let min = Infinity;
  let max = -Infinity;
  for (const value of values) {
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const half = (max - min) / 2;
  const mid = (max + min) / 2;
  return half > 0 && Number.isFinite(half) ? (value) => (value - mid) / half : () => 0;
}

/** Screen and depth columns added to each row; far points come first, so near ones are drawn over them. */
export const SCREEN_X = '__sx';
export const SCREEN_Y = '__sy';

/** The rows with finite x, y and z, each with its screen position, sorted far to near. */
export function projectRows<T extends Record<string, unknown>>(rows: readonly T[], columns: { x: string; y: string; z: string }, view: View3d): T[] {
  const finite = rows.filter((row) => [columns.x, columns.y, columns.z].every((c) => typeof row[c] === 'number' && Number.isFinite(row[c])));
  const scale = (column: string) => unitScale(finite.map((row) => row[column] as number));
  const [sx, sy, sz] = [scale(columns.x), scale(columns.y), scale(columns.z)];
  return finite
    .map((row) => {
      const p = project(sx(row[columns.x] as number), sy(row[columns.y] as number), sz(row[columns.z] as number), view);
      return { row, p };
    })
    .sort((a, b) => a.p.depth - b.p.depth)
    .map(({ row, p }) => ({ ...row, [SCREEN_X]: p.sx, [SCREEN_Y]: p.sy }) as T);
}

/** The cube's three axes from its (-1, -1, -1) corner, as links, with a label at each far end. */
export function axisLines(labels: { x: string; y: string; z: string }, view: View3d): { links: Record<string, number>[]; labels: Record<string, unknown>[] } {
  const origin = project(-1, -1, -1, view);
  const ends: [string, Projected][] = [
    [labels.x, project(1.15, -1, -1, view)],
    [labels.y, project(-1, 1.15, -1, view)],
    [labels.z, project(-1, -1, 1.15, view)],
  ];
  return {
    links: ends.map(([, end]) => ({ x1: origin.sx, y1: origin.sy, x2: end.sx, y2: end.sy })),
    labels: ends.map(([label, end]) => ({ label, [SCREEN_X]: end.sx * 1.06, [SCREEN_Y]: end.sy * 1.06 })),
  };
}

/** Half the side of the square the cube is drawn in: √3, its largest extent from any angle, plus room for labels. */
export const EXTENT = 1.95;
