import * as Comlink from 'comlink';
import { DETECT_BYTES, detect, preview, type TextImportOptions, type TextPreview } from '../src/data/text-dialect.ts';
import { listSheets, previewSheet } from '../src/data/excel/index.ts';
import { previewJson } from '../src/data/json-records.ts';
import type { TablePreview } from '../src/data/column-builder.ts';
import { importKind } from '../src/data/import-kind.ts';
import type { FileInspection } from '../src/engine/ports.ts';

/**
 * One file held for the import sheet, off the main thread: a text file's head (DETECT_BYTES) for detection and
 * previews; a workbook or JSON file whole, as their readers need. One worker per file, ended when the sheet closes.
 */
let held: { fileName: string; bytes: Uint8Array; complete: boolean } | null = null;

function file(): { fileName: string; bytes: Uint8Array; complete: boolean } {
  if (held === null) throw new Error('no file is open');
  return held;
}

const api = {
  async open(blob: Blob, fileName: string): Promise<FileInspection> {
    const head = new Uint8Array(await blob.slice(0, DETECT_BYTES).arrayBuffer());
    const kind = importKind(fileName, head);
    switch (kind) {
      case 'text':
        held = { fileName, bytes: head, complete: blob.size <= head.length };
        return { kind, detected: detect(head, fileName, held.complete) };
      case 'excel':
      case 'json': {
        held = { fileName, bytes: new Uint8Array(await blob.arrayBuffer()), complete: true };
        return kind === 'excel' ? { kind, sheets: listSheets(held.bytes, fileName) } : { kind };
      }
      case 'direct':
        return { kind };
    }
  },
  previewText(options: TextImportOptions): TextPreview {
    const { bytes, complete } = file();
    return preview(bytes, options, complete);
  },
  previewSheet(sheet: string, headerRow: number): TablePreview {
    const { bytes, fileName } = file();
    return previewSheet(bytes, { sheet, headerRow, fileName });
  },
  previewJson(nested: 'flatten' | 'json'): TablePreview {
    const { bytes, fileName } = file();
    return previewJson(bytes, { nested, fileName });
  },
};

export type InspectWorkerApi = typeof api;
Comlink.expose(api);
