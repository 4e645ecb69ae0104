import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleModels, checkModelSpec, listModels, upgradeModelSpec, type ModelDefinition } from '../../../src/models/registry.ts';
import { modelForms } from '../../../src/engine/index.ts';

const models = listModels();

/** Model names in the first column of the README's `| model | what it makes |` tables. */
function readmeModels(): Set<string> {
  const names = new Set<string>();
  let inTable = false;
  for (const line of readFileSync(new URL('../../../README.md', import.meta.url), 'utf8').split('\n')) {
    if (/^\| model \|/.test(line)) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable) for (const [, name] of (line.split('|')[1] ?? '').matchAll(/`([a-z_0-9]+)`/g)) names.add(name!);
  }
  return names;
}

describe('the model registry, walked', () => {
  it('names every model once, and refuses a family that reuses a name', () => {
    const names = models.map((model) => model.name);
    expect(new Set(names).size).toBe(names.length);
    const twin: ModelDefinition = { ...models[0]!, title: 'A second model of the same name' };
    expect(() => assembleModels([[models[0]!], [twin]])).toThrow(`two models are named "${models[0]!.name}"`);
  });

  it('documents every field with a label and a hint, and lists the choices of a choice', () => {
    const undocumented = models.flatMap((model) =>
      model.fields.filter((field) => !field.label.trim() || !field.hint.trim() || ((field.type === 'choice' || field.type === 'choices') && !field.choices?.length)).map((field) => `${model.name}.${field.key}`),
    );
    expect(undocumented).toEqual([]);
  });

  it('gives the form only keys the spec check accepts, so a filled-in form never makes an invalid spec', () => {
    const refused = models.flatMap((model) => model.fields.filter((field) => field.key !== 'input' && !(field.key in model.params)).map((field) => `${model.name}.${field.key}`));
    expect(refused).toEqual([]);
  });

  it('has a form for every model, read through the engine, starting with the input table', () => {
    const forms = new Map(modelForms().map((form) => [form.name, form]));
    for (const model of models) {
      expect(forms.get(model.name)?.title, model.name).toBe(model.title);
      expect(forms.get(model.name)?.fields[0]?.type, model.name).toBe('table');
    }
    expect(forms.size).toBe(models.length);
  });

  it('every model appears in a model table of the README, and the tables name no model that does not exist', () => {
    const documented = readmeModels();
    expect(models.map((model) => model.name).filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !models.some((model) => model.name === name))).toEqual([]);
  });
});

describe('specs saved in an older shape', () => {
  it('clv reads its columns under columns.*, as every other model; a spec with them at the top level is read in that shape', () => {
    const saved = { model: 'clv', input: 'sales', customer: 'CustomerID', date: 'InvoiceDate', amount: 'Revenue', months: 6 };
    const upgraded = upgradeModelSpec(saved);
    expect(upgraded).toEqual({ model: 'clv', input: 'sales', months: 6, columns: { customer: 'CustomerID', date: 'InvoiceDate', amount: 'Revenue' } });
    expect(() => checkModelSpec('clv', upgraded)).not.toThrow();
    expect(saved.customer).toBe('CustomerID'); // the saved spec itself is left alone
  });

  it('a column already under columns.* wins over the old key, and other columns are kept', () => {
    expect(upgradeModelSpec({ model: 'clv', input: 'sales', customer: 'old_id', columns: { customer: 'new_id', invoice: 'x' }, date: 'day' })).toEqual({
      model: 'clv',
      input: 'sales',
      columns: { customer: 'new_id', invoice: 'x', date: 'day' },
    });
  });

  it('specs of other or unknown models, and clv specs in today\'s shape, come back unchanged', () => {
    const forecast = { model: 'forecast', input: 'sales', date: 'invoice_date' };
    expect(upgradeModelSpec(forecast)).toBe(forecast);
    const unknown = { model: 'clvv', customer: 'x' };
    expect(upgradeModelSpec(unknown)).toBe(unknown);
    const today = { model: 'clv', input: 'sales', columns: { customer: 'x' } };
    expect(upgradeModelSpec(today)).toBe(today);
  });
});
