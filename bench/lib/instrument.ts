// Wraps the app's Database and ParquetCodec so a benchmark of `importFile` also says where the time went,
// without touching the app's code. Used in Node (wasm-node.ts) and in the browser page (browser/main.ts).
import type { Database, ParquetCodec } from '../../src/engine/index.ts';

/** Milliseconds per phase of one import; calls that overlap (tableInfo's two queries) are summed. */
export type Phases = Record<string, number>;

/** Name the step of `importFile` a SQL statement belongs to. */
function phaseOf(sql: string): string {
  const text = sql.trim();
  if (/^DESCRIBE\s+SELECT\s+\*\s+FROM\s+read_csv/i.test(text)) return 'csvSniff';
  if (/^CREATE\s+(OR\s+REPLACE\s+)?TABLE/i.test(text)) return 'csvCreateTable';
  if (/^BEGIN;/i.test(text)) return 'swapTable';
  if (/^DESCRIBE\b/i.test(text) || /count\(\*\)/i.test(text)) return 'tableInfo';
  return 'otherSql';
}

export interface Instrumented {
  readonly db: Database;
  readonly codec: ParquetCodec;
  /** Phases recorded since the last `take()`; clears them. */
  take(): Phases;
}

export function instrument(db: Database, codec: ParquetCodec): Instrumented {
  let phases: Phases = {};
  const timed = async <T>(phase: string, work: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    try {
      return await work();
    } finally {
      phases[phase] = (phases[phase] ?? 0) + performance.now() - start;
    }
  };
  const wrappedDb: Database = {
    query: (sql, options) => timed(phaseOf(sql), () => db.query(sql, options)),
    registerFile: (name, source) => timed(`registerFile(${source.kind})`, () => db.registerFile(name, source)),
    dropFile: (name) => timed('dropFile', () => db.dropFile(name)),
    insertArrowIpc: (table, ipc) => timed('insertArrowIpc', () => db.insertArrowIpc(table, ipc)),
    exportCsv: (relation) => db.exportCsv(relation),
    exportArrowIpc: (relation) => db.exportArrowIpc(relation),
    close: () => db.close(),
  };
  const wrappedCodec: ParquetCodec = {
    toArrowIpc: (parquet) => timed('parquetToArrowIpc', () => codec.toArrowIpc(parquet)),
    fromArrowIpc: (ipc) => codec.fromArrowIpc(ipc),
    async openRowGroups(source) {
      const groups = await timed('parquetOpen', () => codec.openRowGroups(source));
      return { ...groups, read: (index) => timed('parquetReadRowGroups', () => groups.read(index)) };
    },
  };
  return {
    db: wrappedDb,
    codec: wrappedCodec,
    take() {
      const taken: Phases = {};
      for (const [name, value] of Object.entries(phases)) taken[name] = Math.round(value * 10) / 10;
      phases = {};
      return taken;
    },
  };
}
