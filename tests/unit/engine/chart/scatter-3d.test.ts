import { describe, expect, it } from 'vitest';
import { dragView, MAX_PITCH, project, projectRows, unitScale } from '../../../../src/engine/chart/scatter-3d.ts';

describe('3-D projection', () => {
  it('face on is the identity, with z towards the viewer', () => {
    expect(project(0.3, -0.2, 0.7, { yaw: 0, pitch: 0 })).toEqual({ sx: 0.3, sy: -0.2, depth: 0.7 });
  });

  it('a quarter turn of yaw carries z onto the screen x axis, and pitch tilts the top away', () => {
    const turned = project(0, 0, 1, { yaw: Math.PI / 2, pitch: 0 });
    expect(turned.sx).toBeCloseTo(1, 12);
    expect(turned.depth).toBeCloseTo(0, 12);
    const tilted = project(0, 1, 0, { yaw: 0, pitch: Math.PI / 2 });
    expect(tilted.sy).toBeCloseTo(0, 12);
    expect(tilted.depth).toBeCloseTo(1, 12);
  });

  it('rotation keeps lengths (brute force over random points and views)', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < 200; i += 1) {
      const [x, y, z] = [random(), random(), random()];
      const p = project(x, y, z, { yaw: random() * 4, pitch: random() * 1.4 });
      expect(Math.hypot(p.sx, p.sy, p.depth)).toBeCloseTo(Math.hypot(x, y, z), 12);
    }
  });

  it('scales a column onto [-1, 1]; a constant column sits at the centre', () => {
    const scale = unitScale([2, 4, 10]);
    expect([2, 4, 6, 10].map(scale)).toEqual([-1, -0.5, 0, 1]);
    expect(unitScale([5, 5])(5)).toBe(0);
  });

  it('drops rows without three finite numbers', () => {
    const rows = projectRows([{ a: 1, b: 2, c: 3 }, { a: null, b: 2, c: 3 }, { a: 1, b: NaN, c: 3 }, { a: 2, b: 3, c: 4 }], { x: 'a', y: 'b', z: 'c' }, { yaw: 0, pitch: 0 });
    expect(rows).toHaveLength(2);
  });

  it('dragging turns by 0.01 rad a pixel, and pitch stops short of the poles', () => {
    expect(dragView({ yaw: 0, pitch: 0 }, 100, -50)).toEqual({ yaw: 1, pitch: -0.5 });
    expect(dragView({ yaw: 0, pitch: 1.3 }, 0, 100).pitch).toBe(MAX_PITCH);
  });
});
