import { describe, expect, it } from 'vitest';
import { ApiError, routeOf } from '../../../../src/engine/api/index.ts';

function refusal(method: string, path: string): { status: number; message: string; headers: Record<string, string> } {
  try {
    routeOf(method, path);
  } catch (error) {
    if (error instanceof ApiError) return { status: error.status, message: error.message, headers: { ...error.headers } };
    throw error;
  }
  throw new Error(`${method} ${path} was routed`);
}

describe('routeOf', () => {
  it('routes the four endpoints, a trailing slash aside, and decodes the cell name', () => {
    expect(routeOf('GET', '/health')).toEqual({ kind: 'health' });
    expect(routeOf('HEAD', '/health/')).toEqual({ kind: 'health' });
    expect(routeOf('GET', '/api/openapi.json')).toEqual({ kind: 'openapi' });
    expect(routeOf('GET', '/api/tables/recommend')).toEqual({ kind: 'table', cell: 'recommend' });
    expect(routeOf('GET', '/api/tables/Segment%20Profiles')).toEqual({ kind: 'table', cell: 'Segment Profiles' });
    expect(routeOf('POST', '/api/run/segment_predictor/')).toEqual({ kind: 'run', cell: 'segment_predictor' });
  });

  it('answers an unknown path with 404 listing the paths there are', () => {
    expect(refusal('GET', '/')).toMatchObject({ status: 404, message: expect.stringContaining('/api/tables/<cell>') });
    expect(refusal('GET', '/api/tables')).toMatchObject({ status: 404 });
    expect(refusal('GET', '/api/tables/a/b')).toMatchObject({ status: 404 });
    expect(refusal('GET', '/api/predict/x')).toMatchObject({ status: 404 });
  });

  it('answers a method the path does not take with 405 and Allow', () => {
    expect(refusal('POST', '/api/tables/recommend')).toEqual({ status: 405, message: 'POST is not allowed here; use GET', headers: { Allow: 'GET, HEAD' } });
    expect(refusal('GET', '/api/run/segment_predictor')).toEqual({ status: 405, message: 'GET is not allowed here; use POST', headers: { Allow: 'POST' } });
    expect(refusal('DELETE', '/health')).toMatchObject({ status: 405 });
  });

  it('refuses a cell name that is not valid percent-encoding with 400', () => {
    expect(refusal('GET', '/api/tables/%E0%A4%A')).toMatchObject({ status: 400, message: expect.stringContaining('%E0%A4%A') });
  });
});
