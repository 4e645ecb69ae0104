/** Checking a model cell's spec against its model's schema, before any data moves. */
import { schemaProblem } from '../../util/spec-schema.ts';
import { ParamError, type Params } from './params.ts';
import type { ModelDefinition, ParamSchema } from './model.ts';

/** Keys every model cell accepts besides its model's own. */
const COMMON: ParamSchema = { model: 'string', input: ['string', 'string[]'] };

/**
 * Throw a ParamError for the first key the model does not know (with the nearest known key) or whose value has
 * the wrong type: `unknown key "top_shar" for model pareto (did you mean "top_share"?)`. Null counts as unset.
 */
export function checkParams(model: ModelDefinition, params: Params): void {
  const problem = schemaProblem(params, { ...COMMON, ...model.params }, { owner: `model ${model.name}` });
  if (problem !== undefined) throw new ParamError(problem);
}
