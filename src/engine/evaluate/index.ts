import type { Database, ModelRunner } from '../ports.ts';
import type { Evaluate } from '../scheduler.ts';
import { evaluateSql } from './sql.ts';
import { evaluateInput } from './input.ts';
import { evaluateModel } from './model.ts';
import { assertNever } from '../../util/assert.ts';

/** Thrown for a kind of cell this build cannot run yet; the cell shows the message. */
export class UnsupportedCellError extends Error {
  override readonly name = 'UnsupportedCellError';
}

/** The evaluator of every cell kind, over one database and one model runner. */
export function createEvaluator(db: Database, models: ModelRunner): Evaluate {
  return async (cell, analysis, context) => {
    switch (cell.kind) {
      case 'sql':
        return evaluateSql(db, cell, context);
      case 'input':
        return evaluateInput(db, cell, analysis, context.value, context);
      case 'chart':
        throw new UnsupportedCellError('Chart cells are not available in this version of Aisle yet; the spec is kept as written.');
      case 'model':
        return evaluateModel(db, models, cell, context);
      default:
        return assertNever(cell.kind);
    }
  };
}
