import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDBFactory } from 'fake-indexeddb';
import { EnvelopeError, open } from '../../../src/store/crypto.ts';
import { WorkspaceSession } from '../../../src/store/locking.ts';
import { WorkspaceStore } from '../../../src/store/workspace.ts';
import { DamagedRecordError, StoreError } from '../../../src/util/store-errors.ts';
import { promised, rejection } from './idb-helpers.ts';

/** Few PBKDF2 iterations: these tests are about damaged records, not the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;
const DB_NAME = 'aisle-damage-test';
const PASSPHRASE = 'correct horse';

const NOTEBOOK_1 = '---\naisle: 1\ntitle: Christmas baskets\n---\n```sql top\nSELECT 1\n```\n';
const NOTEBOOK_2 = '# Notes on returns\n';
const SALES = new TextEncoder().encode('PAR1 sales bytes PAR1');
const CUSTOMERS = new TextEncoder().encode('PAR1 customer bytes PAR1');

let factory: IDBFactory;
let store: WorkspaceStore;

beforeEach(async () => {
  factory = new IDBFactory();
  store = await WorkspaceStore.open(factory, { name: DB_NAME });
});

afterEach(() => store.close());

/** A locked workspace with two notebooks and two tables, as a fresh page sees it before unlocking. */
async function lockedWorkspace(): Promise<void> {
  const session = await WorkspaceSession.start(store, FAST);
  await session.saveNotebook('nb-1', NOTEBOOK_1);
  await session.saveNotebook('nb-2', NOTEBOOK_2);
  await session.saveTable('sales', SALES);
  await session.saveTable('customers', CUSTOMERS);
  await session.lock(PASSPHRASE);
}

async function unlocked(): Promise<WorkspaceSession> {
  const session = await WorkspaceSession.start(store, FAST);
  await session.unlock(PASSPHRASE);
  return session;
}

/**
 * The opaque key a locked record named `name` is stored under, found the way an owner of the passphrase would:
 * by opening every record's sealed name (with the envelope's own `open`, not the session under test).
 */
async function storedKeyOf(objectStore: 'notebooks' | 'tables', name: string): Promise<string> {
  const db = await promised(factory.open(DB_NAME));
  const tx = db.transaction(objectStore);
  const [keys, records] = await Promise.all([promised(tx.objectStore(objectStore).getAllKeys()), promised(tx.objectStore(objectStore).getAll())]);
  db.close();
  for (const [i, record] of (records as { sealedName: unknown }[]).entries()) {
    if (new TextDecoder().decode(await open(record.sealedName, PASSPHRASE, FAST)) === name) return String(keys[i]);
  }
  throw new Error(`no stored ${objectStore} record is named ${name}`);
}

/** Change one stored record behind the app's back, through a connection of its own (as a disk fault or an editor would). */
async function alterRecord(
  objectStore: 'notebooks' | 'tables',
  name: string,
  alter: (payload: Record<string, unknown>) => void,
  part: 'payload' | 'sealedName' = 'payload',
): Promise<void> {
  const key = await storedKeyOf(objectStore, name);
  const db = await promised(factory.open(DB_NAME));
  const tx = db.transaction(objectStore, 'readwrite');
  const record = (await promised(tx.objectStore(objectStore).get(key))) as Record<typeof part, Record<string, unknown>>;
  alter(record[part]);
  await promised(tx.objectStore(objectStore).put(record, key));
  db.close();
}

/** The same string with the character at `index` replaced by another base64 character. */
function flipChar(text: string, index: number): string {
  const at = index < 0 ? text.length + index : index;
  return text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
}

async function rawRecords(): Promise<unknown[]> {
  const db = await promised(factory.open(DB_NAME));
  const values: unknown[] = [];
  for (const name of ['notebooks', 'tables']) values.push(await promised(db.transaction(name).objectStore(name).getAll()));
  db.close();
  return values;
}



describe('a locked workspace with one damaged record', () => {
  it('one changed character of a notebook: unlock works, the others open, the damaged one is named', async () => {
    await lockedWorkspace();
    await alterRecord('notebooks', 'nb-1', (payload) => {
      payload.ciphertext = flipChar(payload.ciphertext as string, 10);
    });
    const session = await unlocked();
    expect(session.state).toBe('unlocked');
    expect(await session.loadNotebook('nb-2')).toBe(NOTEBOOK_2);
    expect(await session.loadTables()).toEqual({ tables: new Map([['customers', CUSTOMERS], ['sales', SALES]]), damaged: [] });
    const error = await rejection(session.loadNotebook('nb-1'), DamagedRecordError);
    expect(error.reason).toBe('damaged');
    expect(error.record).toEqual({ kind: 'notebook', key: 'nb-1' });
    expect(error.message).toContain('"nb-1" is damaged');
  });

  it('one changed character of a table: the other table and every notebook open, the damaged table is reported by name', async () => {
    await lockedWorkspace();
    await alterRecord('tables', 'sales', (payload) => {
      payload.ciphertext = flipChar(payload.ciphertext as string, 3);
    });
    const session = await unlocked();
    expect(await session.loadTables()).toEqual({ tables: new Map([['customers', CUSTOMERS]]), damaged: [{ kind: 'table', key: 'sales' }] });
    expect(await session.loadNotebook('nb-1')).toBe(NOTEBOOK_1);
    expect(await session.loadNotebook('nb-2')).toBe(NOTEBOOK_2);
  });

  const alterations: [string, (payload: Record<string, unknown>) => void][] = [
    ['the first character of the ciphertext', (p) => (p.ciphertext = flipChar(p.ciphertext as string, 0))],
    ['the last character of the tag', (p) => (p.ciphertext = flipChar(p.ciphertext as string, -3))],
    ['the padding', (p) => (p.ciphertext = `${(p.ciphertext as string).slice(0, -1)}A`)],
    ['the IV', (p) => ((p.cipher as Record<string, unknown>).iv = flipChar((p.cipher as { iv: string }).iv, 2))],
    ['the salt', (p) => ((p.kdf as Record<string, unknown>).salt = flipChar((p.kdf as { salt: string }).salt, 5))],
    ['the iteration count', (p) => ((p.kdf as Record<string, unknown>).iterations = 1_001)],
    ['the format tag', (p) => (p.format = 'aisle-envelopf')],
    ['the ciphertext cut short', (p) => (p.ciphertext = (p.ciphertext as string).slice(0, 8))],
  ];
  for (const [part, alter] of alterations) {
    it(`a changed ${part} marks only that record damaged`, async () => {
      await lockedWorkspace();
      await alterRecord('tables', 'customers', alter);
      const session = await unlocked();
      const { tables, damaged } = await session.loadTables();
      expect([...tables.keys()]).toEqual(['sales']);
      expect(damaged).toEqual([{ kind: 'table', key: 'customers' }]);
    });
  }

  it('a wrong passphrase is still a wrong passphrase, damaged record or not', async () => {
    await lockedWorkspace();
    await alterRecord('notebooks', 'nb-1', (payload) => {
      payload.ciphertext = flipChar(payload.ciphertext as string, 10);
    });
    const session = await WorkspaceSession.start(store, FAST);
    const error = await rejection(session.unlock('wrong horse'), EnvelopeError);
    expect(error.reason).toBe('wrong-passphrase-or-tampered');
    expect(error).not.toBeInstanceOf(DamagedRecordError);
    expect(session.state).toBe('locked');
  });

  it('removing the damaged record deletes it and nothing else', async () => {
    await lockedWorkspace();
    await alterRecord('tables', 'sales', (payload) => {
      payload.ciphertext = flipChar(payload.ciphertext as string, 20);
    });
    const salesKey = await storedKeyOf('tables', 'sales');
    const [notebooksBefore, tablesBefore] = (await rawRecords()) as [unknown[], { name: string }[]];
    const session = await unlocked();
    await session.removeDamaged({ kind: 'table', key: 'sales' });
    const [notebooksAfter, tablesAfter] = await rawRecords();
    expect(notebooksAfter).toEqual(notebooksBefore);
    expect(tablesAfter).toEqual(tablesBefore.filter((record) => record.name !== salesKey));
    expect(tablesAfter).toHaveLength(1);
    expect(await session.loadTables()).toEqual({ tables: new Map([['customers', CUSTOMERS]]), damaged: [] });
  });

  it('a record that opens is never removed as damaged', async () => {
    await lockedWorkspace();
    const before = await rawRecords();
    const session = await unlocked();
    const error = await rejection(session.removeDamaged({ kind: 'notebook', key: 'nb-2' }), StoreError);
    expect(error.reason).toBe('conflict');
    expect(await rawRecords()).toEqual(before);
  });

  it('changing or removing the passphrase names the damaged record and changes nothing until it is removed', async () => {
    await lockedWorkspace();
    await alterRecord('notebooks', 'nb-2', (payload) => {
      payload.ciphertext = flipChar(payload.ciphertext as string, 4);
    });
    const before = await rawRecords();
    const session = await unlocked();
    const changing = await rejection(session.changePassphrase(PASSPHRASE, 'new horse'), DamagedRecordError);
    expect(changing.record).toEqual({ kind: 'notebook', key: 'nb-2' });
    expect(changing.message).toContain('"nb-2" is damaged');
    await rejection(session.removeLock(PASSPHRASE), DamagedRecordError);
    expect(await rawRecords()).toEqual(before);

    await session.removeDamaged({ kind: 'notebook', key: 'nb-2' });
    await session.removeLock(PASSPHRASE);
    expect(await store.loadNotebook('nb-1')).toBe(NOTEBOOK_1);
    expect(await store.loadNotebook('nb-2')).toBeUndefined();
  });

  it('a record sealed under a passphrase set in another tab is not called damaged (and so never removed)', async () => {
    await lockedWorkspace();
    const stale = await unlocked();
    const other = await unlocked();
    await other.changePassphrase(PASSPHRASE, 'new horse');
    const error = await rejection(stale.loadNotebook('nb-1'), StoreError);
    expect(error).not.toBeInstanceOf(DamagedRecordError);
    expect(error.reason).toBe('conflict');
    await rejection(stale.removeDamaged({ kind: 'notebook', key: 'nb-1' }), StoreError);
    expect(await other.loadNotebook('nb-1')).toBe(NOTEBOOK_1);
  });
});
