import { describe, expect, it } from 'vitest';
import { EnvelopeError, envelopeFromText, open } from '../../../src/store/crypto.ts';
import { passphraseFileSealer } from '../../../src/store/file-sealer.ts';

/** Few iterations, for tests about something other than the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;

describe('passphraseFileSealer', () => {
  const sealer = passphraseFileSealer(FAST);
  const notebook = '---\naisle: 1\ntitle: Clients of Ärzte GmbH\n---\n```sql top\nSELECT 1\n```\n';

  it('seals a notebook into the envelope of a locked workspace, which the passphrase opens to the same text', async () => {
    const sealed = await sealer.seal(notebook, 'correct horse');
    expect(sealed).not.toContain('Ärzte');
    expect(JSON.parse(sealed)).toMatchObject({ format: 'aisle-envelope', v: 1, kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: 1_000 } });
    // Opened by the envelope code directly, not by the sealer: the file is the standard envelope.
    expect(new TextDecoder().decode(await open(envelopeFromText(sealed, FAST), 'correct horse', FAST))).toBe(notebook);
    expect(await sealer.open(sealed, 'correct horse')).toBe(notebook);
  });

  it('refuses a wrong passphrase and an altered file', async () => {
    const sealed = await sealer.seal(notebook, 'correct horse');
    await expect(sealer.open(sealed, 'wrong horse')).rejects.toBeInstanceOf(EnvelopeError);
    const envelope = JSON.parse(sealed) as { ciphertext: string };
    const flipped = envelope.ciphertext.startsWith('A') ? `B${envelope.ciphertext.slice(1)}` : `A${envelope.ciphertext.slice(1)}`;
    await expect(sealer.open(JSON.stringify({ ...envelope, ciphertext: flipped }), 'correct horse')).rejects.toBeInstanceOf(EnvelopeError);
  });

  it('uses the full key derivation by default', async () => {
    const sealed = await passphraseFileSealer().seal('x', 'p');
    expect((JSON.parse(sealed) as { kdf: { iterations: number } }).kdf.iterations).toBe(600_000);
  });
});
