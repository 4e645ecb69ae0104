/** What the model form needs to know about each model, from the model registry: the UI never lists models itself. */
import { listModels, upgradeModelSpec, type Field } from '../models/registry.ts';
import { parseSpec, type Spec } from './specs.ts';

export type { Field as ModelField, FieldType as ModelFieldType } from '../models/registry.ts';

/** One model as the form offers it: its name, its title and its fields in order. */
export interface ModelForm {
  readonly name: string;
  readonly title: string;
  readonly fields: readonly Field[];
}

/** Every model a cell can name, in the order the form lists them. */
export function modelForms(): readonly ModelForm[] {
  return listModels().map(({ name, title, fields }) => ({ name, title, fields }));
}

/**
 * Read a model cell's spec: parsed, and in today's shape when it was saved in an older one (see `upgradeModelSpec`).
 * The one reader of model specs, for running a cell and for its form.
 */
export function modelSpec(source: string): Spec {
  return upgradeModelSpec(parseSpec(source));
}
