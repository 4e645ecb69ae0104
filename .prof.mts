import { startServer } from './src/cli/serve.ts';
const server = await startServer({ notebookPath: 'bench/notebooks/prediction-api.md', port: 18771 });
const api: any = server.api;
const db = api.db;
const times: Record<string, number[]> = {};
for (const method of ['query', 'insertArrowIpc', 'exportArrowIpc']) {
  const original = db[method].bind(db);
  db[method] = async (...args: any[]) => {
    const t = performance.now();
    try { return await original(...args); } finally {
      const key = `${method}:${String(args[0]).slice(0, 30).replace(/_\d+/g, "_N").replace(/[0-9a-f]{12,}/g, "H").replace(/\s+/g, ' ')}`;
      (times[key] ??= []).push(performance.now() - t);
    }
  };
}
const auth = { authorization: `Bearer ${server.token}` };
const t0 = performance.now();
for (let i = 0; i < 50; i++) await (await fetch(`${server.url}api/tables/recommend?customer=${12347 + i}`, { headers: auth })).json();
console.log('lookup serial avg ms', (performance.now() - t0) / 50);
const t1 = performance.now();
for (let i = 0; i < 30; i++) await (await fetch(`${server.url}api/run/segment_predictor`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: JSON.stringify({ recency: i, frequency: 2 + i, monetary: 100 + i }) })).json();
console.log('run serial avg ms', (performance.now() - t1) / 30);
for (const [k, v] of Object.entries(times)) console.log(v.length, (v.reduce((a, b) => a + b, 0) / v.length).toFixed(2), k);
await server.close();
