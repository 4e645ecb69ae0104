import type { Database, ModelRunner } from '../ports.ts';
import type { Evaluate } from '../scheduler.ts';
import { evaluateSql } from './sql.ts';
import { evaluateInput } from './input.ts';
import { evaluateModel } from './model.ts';
import { evaluateChart } from './chart.ts';
import { assertNever } from '../../util/assert.ts';
import type { ModelInputCache } from '../model-inputs.ts';
import type { ModelOutputWatch } from '../model-outputs.ts';

/**
 * The evaluator of every cell kind, over one database and one model runner; `modelInputs` keeps unchanged model
 * inputs, `modelOutputs` is told the rows each model cell inserts.
 */
export function createEvaluator(db: Database, models: ModelRunner, modelInputs?: ModelInputCache, modelOutputs?: ModelOutputWatch): Evaluate {
  return async (cell, analysis, context) => {
    switch (cell.kind) {
      case 'sql':
        return evaluateSql(db, cell, context);
      case 'input':
        return evaluateInput(db, cell, analysis, context.value, context);
      case 'chart':
        return evaluateChart(db, cell, context);
      case 'model':
        return evaluateModel(db, models, cell, context, modelInputs, modelOutputs);
      default:
        return assertNever(cell.kind);
    }
  };
}
