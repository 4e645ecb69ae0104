import { describe, expect, it } from 'vitest';
import {
  base64ToBytes,
  bytesToBase64,
  DEFAULT_ITERATIONS,
  EnvelopeError,
  envelopeFromText,
  envelopeToText,
  isEnvelope,
  newDerivedKey,
  open,
  openWithKey,
  seal,
  sealWithKey,
  type Envelope,
} from '../../../src/store/crypto.ts';

/** Few iterations, for tests about something other than the key derivation's cost. */
const FAST = { iterations: 1_000, minIterations: 1_000 } as const;
const utf8 = (text: string) => new TextEncoder().encode(text);

async function rejection(promise: Promise<unknown>): Promise<EnvelopeError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(EnvelopeError);
    return error as EnvelopeError;
  }
  throw new Error('expected the promise to reject');
}

/** Index of the first byte where `a` and `b` differ, or -1 if they are equal (toEqual is slow on megabytes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : length;
}

function clone(envelope: Envelope): Envelope {
  return structuredClone(envelope);
}

/** A copy of `bytes` (base64) with bit `bit` flipped. */
function flipBit(base64: string, bit: number): string {
  const bytes = base64ToBytes(base64);
  bytes[bit >> 3]! ^= 1 << (bit & 7);
  return bytesToBase64(bytes);
}

describe('seal / open', () => {
  it('round-trips at the default 600,000 iterations, and records them', async () => {
    const plaintext = utf8('SELECT sum(amount) FROM sales');
    const started = performance.now();
    const envelope = await seal(plaintext, 'correct horse battery staple');
    const sealedAt = performance.now();
    const opened = await open(envelope, 'correct horse battery staple');
    const openedAt = performance.now();
    console.info(`600k iterations: seal ${(sealedAt - started).toFixed(0)} ms, open ${(openedAt - sealedAt).toFixed(0)} ms`);
    expect(envelope.kdf).toMatchObject({ name: 'PBKDF2', hash: 'SHA-256', iterations: 600_000 });
    expect(DEFAULT_ITERATIONS).toBe(600_000);
    expect(envelope.cipher.name).toBe('AES-GCM');
    expect(base64ToBytes(envelope.cipher.iv)).toHaveLength(12);
    expect(base64ToBytes(envelope.kdf.salt)).toHaveLength(16);
    expect(opened).toEqual(plaintext);
  });

  it.each([
    ['empty', 0],
    ['small', 37],
    ['1 MB', 1 << 20],
  ])('round-trips %s plaintext', async (_label, size) => {
    const plaintext = new Uint8Array(size);
    for (let i = 0; i < size; i++) plaintext[i] = (i * 2654435761) >>> 24;
    const envelope = await seal(plaintext, 'pass', FAST);
    expect(base64ToBytes(envelope.ciphertext)).toHaveLength(size + 16); // + the GCM tag
    expect(firstDifference(await open(envelope, 'pass', FAST), plaintext)).toBe(-1);
  });

  it('round-trips through the export file text', async () => {
    const envelope = await seal(utf8('# Monthly revenue'), 'pass', FAST);
    const text = envelopeToText(envelope);
    expect(JSON.parse(text)).toEqual(envelope);
    expect(new TextDecoder().decode(await open(envelopeFromText(text, FAST), 'pass', FAST))).toBe('# Monthly revenue');
  });

  it('treats the same passphrase typed in composed and decomposed Unicode alike', async () => {
    const envelope = await seal(utf8('x'), 'caf\u00e9', FAST);
    expect(await open(envelope, 'cafe\u0301', FAST)).toEqual(utf8('x'));
  });

  it('rejects a wrong passphrase with a plain message', async () => {
    const envelope = await seal(utf8('secret'), 'right', FAST);
    const error = await rejection(open(envelope, 'wrong', FAST));
    expect(error.reason).toBe('wrong-passphrase-or-tampered');
    expect(error.message).toBe('Wrong passphrase, or the file was altered.');
  });

  it('refuses to set an empty passphrase', async () => {
    await expect(seal(utf8('x'), '', FAST)).rejects.toThrow(/must not be empty/);
  });

  it('uses a new random salt for every passphrase key', async () => {
    const salts = new Set<string>();
    for (let i = 0; i < 20; i++) salts.add((await seal(utf8('x'), 'same passphrase', FAST)).kdf.salt);
    expect(salts.size).toBe(20);
    const [a, b] = await Promise.all([newDerivedKey('p', FAST), newDerivedKey('p', FAST)]);
    expect(bytesToBase64(a.salt)).not.toBe(bytesToBase64(b.salt));
  });
});

describe('tampering', () => {
  it('rejects every single-bit flip of the ciphertext and tag, the IV and the salt', async () => {
    const envelope = await seal(utf8('SELECT 1'), 'pass', FAST);
    const fields = [
      ['ciphertext', (e: Envelope, bit: number) => ({ ...e, ciphertext: flipBit(e.ciphertext, bit) }), envelope.ciphertext],
      ['cipher.iv', (e: Envelope, bit: number) => ({ ...e, cipher: { ...e.cipher, iv: flipBit(e.cipher.iv, bit) } }), envelope.cipher.iv],
      ['kdf.salt', (e: Envelope, bit: number) => ({ ...e, kdf: { ...e.kdf, salt: flipBit(e.kdf.salt, bit) } }), envelope.kdf.salt],
    ] as const;
    let attempts = 0;
    for (const [field, flip, base64] of fields) {
      const bits = base64ToBytes(base64).length * 8;
      for (let bit = 0; bit < bits; bit++) {
        const error = await rejection(open(flip(envelope, bit), 'pass', FAST));
        expect(error.reason, `${field} bit ${bit}`).toBe('wrong-passphrase-or-tampered');
        attempts++;
      }
    }
    expect(attempts).toBe((8 + 16) * 8 + 12 * 8 + 16 * 8); // 'SELECT 1' + tag, IV, salt
    expect(await open(envelope, 'pass', FAST)).toEqual(utf8('SELECT 1')); // the original still opens
  });

  it('rejects an altered header field, naming why', async () => {
    const envelope = await seal(utf8('SELECT 1'), 'pass', FAST);
    const alterations: [string, (e: Envelope) => unknown, string][] = [
      ['format', (e) => ({ ...e, format: 'aisle-envelopf' }), 'malformed'],
      ['v', (e) => ({ ...e, v: 2 }), 'unsupported-version'],
      ['v', (e) => ({ ...e, v: 0 }), 'malformed'],
      ['kdf.name', (e) => ({ ...e, kdf: { ...e.kdf, name: 'scrypt' } }), 'malformed'],
      ['kdf.hash', (e) => ({ ...e, kdf: { ...e.kdf, hash: 'SHA-512' } }), 'malformed'],
      ['kdf.iterations', (e) => ({ ...e, kdf: { ...e.kdf, iterations: e.kdf.iterations + 1 } }), 'wrong-passphrase-or-tampered'],
      ['kdf.salt', (e) => ({ ...e, kdf: { ...e.kdf, salt: bytesToBase64(new Uint8Array(16)) } }), 'wrong-passphrase-or-tampered'],
      ['cipher.name', (e) => ({ ...e, cipher: { ...e.cipher, name: 'AES-CBC' } }), 'malformed'],
      ['cipher.iv', (e) => ({ ...e, cipher: { ...e.cipher, iv: bytesToBase64(new Uint8Array(12)) } }), 'wrong-passphrase-or-tampered'],
      ['ciphertext', (e) => ({ ...e, ciphertext: e.ciphertext.slice(4) }), 'wrong-passphrase-or-tampered'],
      ['(extra)', (e) => ({ ...e, note: 'hello' }), 'malformed'],
    ];
    for (const [field, alter, reason] of alterations) {
      const error = await rejection(open(alter(clone(envelope)), 'pass', FAST));
      expect(error.reason, field).toBe(reason);
    }
  });

  it('binds the header as authenticated data: a re-keyed header with a valid key still fails', async () => {
    // Same key, same IV, same ciphertext; only the header as authenticated differs (iterations re-labelled).
    const key = await newDerivedKey('pass', FAST);
    const envelope = await sealWithKey(utf8('SELECT 1'), key);
    const relabelled = { ...envelope, kdf: { ...envelope.kdf, iterations: 2_000 } };
    const error = await rejection(openWithKey(relabelled, { ...key, iterations: 2_000 }, FAST));
    expect(error.reason).toBe('wrong-passphrase-or-tampered');
  });
});

describe('sealWithKey', () => {
  it('never reuses an IV across 1,000 seals with one key', async () => {
    const key = await newDerivedKey('pass', FAST);
    const ivs = new Set<string>();
    for (let i = 0; i < 1_000; i++) ivs.add((await sealWithKey(utf8('same text'), key)).cipher.iv);
    expect(ivs.size).toBe(1_000);
  });

  it('opens with the key or the passphrase alike', async () => {
    const key = await newDerivedKey('pass', FAST);
    const envelope = await sealWithKey(utf8('autosave'), key);
    expect(await openWithKey(envelope, key, FAST)).toEqual(utf8('autosave'));
    expect(await open(envelope, 'pass', FAST)).toEqual(utf8('autosave'));
  });

  it('refuses an envelope sealed under another salt as a wrong passphrase', async () => {
    const [key, other] = await Promise.all([newDerivedKey('pass', FAST), newDerivedKey('pass', FAST)]);
    const error = await rejection(openWithKey(await sealWithKey(utf8('x'), other), key, FAST));
    expect(error.reason).toBe('wrong-passphrase-or-tampered');
  });
});

describe('validation', () => {
  it('refuses a downgrade to 1,000 iterations by default', async () => {
    const weak = await seal(utf8('x'), 'pass', FAST);
    const error = await rejection(open(weak, 'pass'));
    expect(error.reason).toBe('malformed');
    expect(error.field).toBe('kdf.iterations');
    expect(error.message).toMatch(/kdf\.iterations is 1000, below the minimum of 600000/);
    expect(isEnvelope(weak)).toBe(false);
  });

  it('refuses absurdly many iterations before deriving anything', async () => {
    const envelope = await seal(utf8('x'), 'pass', FAST);
    const error = await rejection(open({ ...envelope, kdf: { ...envelope.kdf, iterations: 10_000_001 } }, 'pass', FAST));
    expect(error.field).toBe('kdf.iterations');
    expect(error.message).toMatch(/above the maximum of 10000000/);
  });

  it('refuses to seal below the minimum', async () => {
    await expect(seal(utf8('x'), 'pass', { iterations: 1_000 })).rejects.toThrow(/below the minimum of 600000/);
  });

  it('names the offending field of a malformed envelope', async () => {
    const good = await seal(utf8('x'), 'pass', FAST);
    const cases: [unknown, string, RegExp][] = [
      [null, '(envelope)', /expected a JSON object \(got null\)/],
      ['text', '(envelope)', /got string/],
      [[good], '(envelope)', /got an array/],
      [{ ...good, format: undefined }, 'format', /format is nothing/],
      [{ ...good, v: '1' }, 'v', /v must be a positive integer \(got "1"\)/],
      [{ ...good, v: 1.5 }, 'v', /v must be a positive integer/],
      [{ ...good, kdf: undefined }, 'kdf', /kdf must be an object/],
      [{ ...good, kdf: { ...good.kdf, iterations: '600000' } }, 'kdf.iterations', /must be a number/],
      [{ ...good, kdf: { ...good.kdf, iterations: 1_000.5 } }, 'kdf.iterations', /positive integer/],
      [{ ...good, kdf: { ...good.kdf, salt: 42 } }, 'kdf.salt', /must be a base64 string \(got 42\)/],
      [{ ...good, kdf: { ...good.kdf, salt: 'not base64!' } }, 'kdf.salt', /not valid base64/],
      [{ ...good, kdf: { ...good.kdf, salt: bytesToBase64(new Uint8Array(8)) } }, 'kdf.salt', /16 bytes \(got 8\)/],
      [{ ...good, kdf: { ...good.kdf, pepper: 'x' } }, 'kdf.pepper', /unexpected field kdf\.pepper/],
      [{ ...good, cipher: 'AES-GCM' }, 'cipher', /cipher must be an object/],
      [{ ...good, cipher: { ...good.cipher, iv: bytesToBase64(new Uint8Array(16)) } }, 'cipher.iv', /12 bytes \(got 16\)/],
      [{ ...good, ciphertext: bytesToBase64(new Uint8Array(15)) }, 'ciphertext', /at least 16 bytes/],
      [{ ...good, ciphertext: 'QR==' }, 'ciphertext', /not valid base64/], // non-canonical spelling of one byte
      [{ ...good, ciphertext: undefined }, 'ciphertext', /got nothing/],
    ];
    for (const [value, field, message] of cases) {
      const error = await rejection(open(value, 'pass', FAST));
      expect(error.reason, field).toBe('malformed');
      expect(error.field, JSON.stringify(value)?.slice(0, 80)).toBe(field);
      expect(error.message).toMatch(message);
    }
  });

  it('says a newer envelope version needs a newer Aisle', async () => {
    const good = await seal(utf8('x'), 'pass', FAST);
    const error = await rejection(open({ ...good, v: 2, cipher: { name: 'XChaCha20' } }, 'pass', FAST));
    expect(error.reason).toBe('unsupported-version');
    expect(error.message).toMatch(/newer version of Aisle \(envelope v2; this version reads v1\)/);
  });

  it('reads export text that is not JSON as malformed', () => {
    expect(() => envelopeFromText('{"format": "aisle-envelope",')).toThrow(/not JSON/);
  });

  it('isEnvelope recognises only a well-formed version-1 envelope', async () => {
    const good = await seal(utf8('x'), 'pass', FAST);
    expect(isEnvelope(good, FAST)).toBe(true);
    expect(isEnvelope({ ...good, v: 2 }, FAST)).toBe(false);
    expect(isEnvelope('SELECT 1')).toBe(false);
    expect(isEnvelope(new Uint8Array(4))).toBe(false);
  });
});

describe('base64', () => {
  it('matches Node for every length up to 40 and rejects other spellings', () => {
    for (let length = 0; length <= 40; length++) {
      const bytes = new Uint8Array(length).map((_, i) => (i * 97 + length) & 255);
      const expected = Buffer.from(bytes).toString('base64');
      expect(bytesToBase64(bytes)).toBe(expected);
      expect(base64ToBytes(expected)).toEqual(bytes);
    }
    const large = globalThis.crypto.getRandomValues(new Uint8Array(65_536)); // getRandomValues' limit per call
    expect(bytesToBase64(large)).toBe(Buffer.from(large).toString('base64'));
    expect(Buffer.from(base64ToBytes(Buffer.from(large).toString('base64'))).equals(Buffer.from(large))).toBe(true);
    for (const bad of ['QQ', 'QQ=', 'QR==', 'QUJ=', ' QQ==', 'QQ==\n', 'Q===', '-_8=']) {
      expect(() => base64ToBytes(bad), bad).toThrow(SyntaxError);
    }
  });
});
