/**
 * The encrypted envelope: one versioned JSON shape for locked workspace records and encrypted notebook exports.
 * PBKDF2-SHA-256 turns a passphrase into an AES-GCM-256 key; the header is bound to the ciphertext as
 * additional authenticated data, so changing any byte of the header, IV, salt or ciphertext makes `open` fail.
 * Pure over WebCrypto (`globalThis.crypto.subtle`): runs alike in the browser and in Node ≥ 20.
 */
import { base64ToBytes, bytesToBase64 } from '../util/base64.ts';

// Base64 moved to util (the bundle format needs it too); re-exported for the envelope's users.
export { base64ToBytes, bytesToBase64 };

export const ENVELOPE_FORMAT = 'aisle-envelope';
export const ENVELOPE_VERSION = 1;
// OWASP Password Storage Cheat Sheet (2023): PBKDF2-HMAC-SHA256 needs ≥ 600,000 iterations (NIST SP 800-132 §5.2: "as large as feasible").
export const DEFAULT_ITERATIONS = 600_000;
/** Envelopes with fewer iterations are refused: an attacker who can edit a file must not be able to weaken it. */
export const MIN_ITERATIONS = 600_000;
/** Envelopes with more are refused too: a header must not be able to hang the tab for minutes. */
export const MAX_ITERATIONS = 10_000_000;
export const SALT_BYTES = 16;
// NIST SP 800-38D §8.2: 96-bit IVs, random and fresh for every encryption under a key.
export const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Envelope {
  format: typeof ENVELOPE_FORMAT;
  v: typeof ENVELOPE_VERSION;
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string /* base64, 16 bytes */ };
  cipher: { name: 'AES-GCM'; iv: string /* base64, 12 bytes */ };
  /** AES-GCM output: the encrypted bytes followed by the 16-byte tag, base64. */
  ciphertext: string;
}

export type EnvelopeErrorReason = 'wrong-passphrase-or-tampered' | 'malformed' | 'unsupported-version';

/** Why an envelope could not be opened; `field` names the offending part of a malformed one (`kdf.salt`). */
export class EnvelopeError extends Error {
  override readonly name = 'EnvelopeError';
  constructor(
    readonly reason: EnvelopeErrorReason,
    message: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const WRONG_PASSPHRASE = 'Wrong passphrase, or the file was altered.';

/** A key derived once from a passphrase, with the salt and iteration count that every envelope sealed by it records. */
export interface DerivedKey {
  readonly key: CryptoKey;
  readonly salt: Uint8Array;
  readonly iterations: number;
}

export interface KdfPolicy {
  /**
   * The fewest iterations accepted (default MIN_ITERATIONS). Tests lower it to stay fast; app code never
   * should, since that would accept downgraded envelopes.
   */
  minIterations?: number;
}

export interface SealOptions extends KdfPolicy {
  /** PBKDF2 iterations for a new key (default DEFAULT_ITERATIONS). */
  iterations?: number;
}

/** Encrypt `plaintext` under `passphrase` with a fresh salt and IV. `await seal(utf8('SELECT 1'), 'correct horse')`. */
export async function seal(plaintext: Uint8Array, passphrase: string, options: SealOptions = {}): Promise<Envelope> {
  return sealWithKey(plaintext, await newDerivedKey(passphrase, options));
}

/** Decrypt an envelope (any value: it is validated first). Throws EnvelopeError. `await open(JSON.parse(text), 'correct horse')`. */
export async function open(envelope: unknown, passphrase: string, policy: KdfPolicy = {}): Promise<Uint8Array<ArrayBuffer>> {
  const valid = parseEnvelope(envelope, policy);
  return decrypt(valid, await deriveKeyFor(valid, passphrase, policy));
}

/** PBKDF2-SHA-256 → a non-extractable AES-GCM-256 key. `await deriveKey('correct horse', randomSalt(), 600_000)`. */
export async function deriveKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  checkIterations(iterations, 1, 'iterations');
  // NFC, so the same passphrase typed on systems that compose accents differently gives the same key.
  const secret = await subtle().importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveKey',
  ]);
  return subtle().deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: arrayBacked(salt), iterations },
    secret,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

/** A key for a new (or changed) passphrase, under a fresh random salt. `const key = await newDerivedKey('correct horse')`. */
export async function newDerivedKey(passphrase: string, options: SealOptions = {}): Promise<DerivedKey> {
  if (passphrase.length === 0) throw new RangeError('The passphrase must not be empty.');
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  checkIterations(iterations, options.minIterations ?? MIN_ITERATIONS, 'iterations');
  const salt = randomBytes(SALT_BYTES);
  return { key: await deriveKey(passphrase, salt, iterations), salt, iterations };
}

/** The key an envelope was sealed with, re-derived from its header and `passphrase` (not yet checked: open something to check). */
export async function deriveKeyFor(envelope: unknown, passphrase: string, policy: KdfPolicy = {}): Promise<DerivedKey> {
  const valid = parseEnvelope(envelope, policy);
  const salt = base64ToBytes(valid.kdf.salt);
  return { key: await deriveKey(passphrase, salt, valid.kdf.iterations), salt, iterations: valid.kdf.iterations };
}

/**
 * A locked workspace's keys, both from one PBKDF2 run: the AES-GCM key (the very key `deriveKey` gives, so
 * envelopes are unchanged) and an HMAC-SHA-256 key that turns record names into opaque record keys.
 */
export interface WorkspaceKey extends DerivedKey {
  readonly names: CryptoKey;
}

/** HKDF info for the names key: any other use of the same PBKDF2 output must use another label. */
const NAMES_INFO = 'aisle-workspace-record-names-v1';

/**
 * PBKDF2-SHA-256 → 256 bits, used as the AES-GCM key and as HKDF-SHA-256 input for the names key. The first
 * 256 bits are exactly what `deriveKey` imports, and a second PBKDF2 run would double the unlock time.
 */
export async function deriveWorkspaceKey(passphrase: string, salt: Uint8Array, iterations: number): Promise<WorkspaceKey> {
  checkIterations(iterations, 1, 'iterations');
  const secret = await subtle().importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveBits',
  ]);
  const bits = new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt: arrayBacked(salt), iterations }, secret, 256));
  try {
    const key = await subtle().importKey('raw', bits, { name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
    const master = await subtle().importKey('raw', bits, 'HKDF', false, ['deriveKey']);
    const names = await subtle().deriveKey(
      { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(0), info: new TextEncoder().encode(NAMES_INFO) },
      master,
      { name: 'HMAC', hash: 'SHA-256', length: 256 },
      false,
      ['sign'],
    );
    return { key, names, salt, iterations };
  } finally {
    bits.fill(0);
  }
}

/** Workspace keys for a new (or changed) passphrase, under a fresh random salt. */
export async function newWorkspaceKey(passphrase: string, options: SealOptions = {}): Promise<WorkspaceKey> {
  if (passphrase.length === 0) throw new RangeError('The passphrase must not be empty.');
  const iterations = options.iterations ?? DEFAULT_ITERATIONS;
  checkIterations(iterations, options.minIterations ?? MIN_ITERATIONS, 'iterations');
  return deriveWorkspaceKey(passphrase, randomBytes(SALT_BYTES), iterations);
}

/** The workspace keys an envelope was sealed with, re-derived from its header (not yet checked: open something to check). */
export async function workspaceKeyFor(envelope: unknown, passphrase: string, policy: KdfPolicy = {}): Promise<WorkspaceKey> {
  const valid = parseEnvelope(envelope, policy);
  return deriveWorkspaceKey(passphrase, base64ToBytes(valid.kdf.salt), valid.kdf.iterations);
}

/** HMAC-SHA-256 of `text` under a names key, as 64 lowercase hex digits: equal names give equal tags, and nothing else is learnt. */
export async function nameTag(names: CryptoKey, text: string): Promise<string> {
  const mac = new Uint8Array(await subtle().sign('HMAC', names, new TextEncoder().encode(text)));
  return Array.from(mac, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Encrypt under an already derived key (no PBKDF2 run), with a fresh random IV every call. */
export async function sealWithKey(plaintext: Uint8Array, key: DerivedKey): Promise<Envelope> {
  const iv = randomBytes(IV_BYTES);
  const header: Omit<Envelope, 'ciphertext'> = {
    format: ENVELOPE_FORMAT,
    v: ENVELOPE_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations: key.iterations, salt: bytesToBase64(key.salt) },
    cipher: { name: 'AES-GCM', iv: bytesToBase64(iv) },
  };
  const ciphertext = await subtle().encrypt(
    { name: 'AES-GCM', iv, additionalData: headerBytes(header), tagLength: TAG_BYTES * 8 },
    key.key,
    arrayBacked(plaintext),
  );
  return { ...header, ciphertext: bytesToBase64(new Uint8Array(ciphertext)) };
}

/** Decrypt with an already derived key; an envelope sealed under another salt or iteration count fails like a wrong passphrase. */
export async function openWithKey(envelope: unknown, key: DerivedKey, policy: KdfPolicy = {}): Promise<Uint8Array<ArrayBuffer>> {
  const valid = parseEnvelope(envelope, policy);
  if (valid.kdf.salt !== bytesToBase64(key.salt) || valid.kdf.iterations !== key.iterations) {
    throw new EnvelopeError('wrong-passphrase-or-tampered', WRONG_PASSPHRASE);
  }
  return decrypt(valid, key);
}

/** True for a well-formed version-1 envelope (shape only: nothing is decrypted). */
export function isEnvelope(value: unknown, policy: KdfPolicy = {}): value is Envelope {
  try {
    parseEnvelope(value, policy);
    return true;
  } catch {
    return false;
  }
}

/** The envelope as the text of an encrypted export file. */
export function envelopeToText(envelope: Envelope): string {
  return JSON.stringify(envelope, null, 2) + '\n';
}

/** Read an encrypted export file; throws EnvelopeError (malformed, unsupported-version) naming what is wrong. */
export function envelopeFromText(text: string, policy: KdfPolicy = {}): Envelope {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new EnvelopeError('malformed', 'Not an encrypted Aisle file: the text is not JSON.', undefined, { cause: error });
  }
  return parseEnvelope(value, policy);
}

/**
 * Validate an envelope strictly, naming the first bad field. A newer `v` is `unsupported-version`; iteration
 * counts outside [minIterations, MAX_ITERATIONS] are `malformed` (a downgrade, or a header made to hang us).
 */
export function parseEnvelope(value: unknown, policy: KdfPolicy = {}): Envelope {
  const top = record(value, '(envelope)', 'Not an encrypted Aisle file: expected a JSON object');
  if (top.format !== ENVELOPE_FORMAT) {
    throw malformed('format', `Not an encrypted Aisle file: format is ${show(top.format)}, expected "${ENVELOPE_FORMAT}".`);
  }
  if (typeof top.v !== 'number' || !Number.isInteger(top.v) || top.v < 1) {
    throw malformed('v', `Malformed envelope: v must be a positive integer (got ${show(top.v)}).`);
  }
  if (top.v > ENVELOPE_VERSION) {
    throw new EnvelopeError(
      'unsupported-version',
      `This file was encrypted by a newer version of Aisle (envelope v${top.v}; this version reads v${ENVELOPE_VERSION}).`,
      'v',
    );
  }
  onlyKeys(top, ['format', 'v', 'kdf', 'cipher', 'ciphertext'], '');
  const kdf = record(top.kdf, 'kdf', 'Malformed envelope: kdf must be an object');
  onlyKeys(kdf, ['name', 'hash', 'iterations', 'salt'], 'kdf.');
  if (kdf.name !== 'PBKDF2') throw malformed('kdf.name', `Malformed envelope: kdf.name must be "PBKDF2" (got ${show(kdf.name)}).`);
  if (kdf.hash !== 'SHA-256') throw malformed('kdf.hash', `Malformed envelope: kdf.hash must be "SHA-256" (got ${show(kdf.hash)}).`);
  const iterations = kdf.iterations;
  if (typeof iterations !== 'number') {
    throw malformed('kdf.iterations', `Malformed envelope: kdf.iterations must be a number (got ${show(iterations)}).`);
  }
  checkIterations(iterations, policy.minIterations ?? MIN_ITERATIONS, 'kdf.iterations', (field, message) =>
    malformed(field, `Refusing this envelope: ${message}`),
  );
  const salt = base64Field(kdf.salt, 'kdf.salt', SALT_BYTES);
  const cipher = record(top.cipher, 'cipher', 'Malformed envelope: cipher must be an object');
  onlyKeys(cipher, ['name', 'iv'], 'cipher.');
  if (cipher.name !== 'AES-GCM') {
    throw malformed('cipher.name', `Malformed envelope: cipher.name must be "AES-GCM" (got ${show(cipher.name)}).`);
  }
  const iv = base64Field(cipher.iv, 'cipher.iv', IV_BYTES);
  const ciphertext = base64Field(top.ciphertext, 'ciphertext', 'tag');
  return {
    format: ENVELOPE_FORMAT,
    v: ENVELOPE_VERSION,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt },
    cipher: { name: 'AES-GCM', iv },
    ciphertext,
  };
}

async function decrypt(envelope: Envelope, key: DerivedKey): Promise<Uint8Array<ArrayBuffer>> {
  try {
    const plaintext = await subtle().decrypt(
      {
        name: 'AES-GCM',
        iv: base64ToBytes(envelope.cipher.iv),
        additionalData: headerBytes(envelope),
        tagLength: TAG_BYTES * 8,
      },
      key.key,
      base64ToBytes(envelope.ciphertext),
    );
    return new Uint8Array(plaintext);
  } catch (error) {
    // WebCrypto reports a failed tag check as a bare OperationError: wrong key and altered bytes look the same.
    throw new EnvelopeError('wrong-passphrase-or-tampered', WRONG_PASSPHRASE, undefined, { cause: error });
  }
}

/**
 * The additional authenticated data: UTF-8 of `JSON.stringify({format, v, kdf: {name, hash, iterations, salt},
 * cipher: {name, iv}})` with exactly this key order and no whitespace — the canonical header.
 */
function headerBytes(header: Pick<Envelope, 'format' | 'v' | 'kdf' | 'cipher'>): Uint8Array<ArrayBuffer> {
  const canonical = {
    format: header.format,
    v: header.v,
    kdf: { name: header.kdf.name, hash: header.kdf.hash, iterations: header.kdf.iterations, salt: header.kdf.salt },
    cipher: { name: header.cipher.name, iv: header.cipher.iv },
  };
  return new TextEncoder().encode(JSON.stringify(canonical));
}

function checkIterations(
  iterations: number,
  minimum: number,
  field: string,
  fail: (field: string, message: string) => Error = (_field, message) => new RangeError(message),
): void {
  if (!Number.isSafeInteger(iterations) || iterations < 1) {
    throw fail(field, `${field} must be a positive integer (got ${show(iterations)}).`);
  }
  if (iterations < minimum) {
    throw fail(field, `${field} is ${iterations}, below the minimum of ${minimum} (a weakened key derivation).`);
  }
  if (iterations > MAX_ITERATIONS) {
    throw fail(field, `${field} is ${iterations}, above the maximum of ${MAX_ITERATIONS}.`);
  }
}

function record(value: unknown, field: string, message: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(field, `${message} (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}).`);
  }
  return value as Record<string, unknown>;
}

function onlyKeys(object: Record<string, unknown>, allowed: readonly string[], prefix: string): void {
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) throw malformed(prefix + key, `Malformed envelope: unexpected field ${prefix + key}.`);
  }
}

/** A base64 field of an exact length in bytes, or at least the GCM tag's. Returns the string as given. */
function base64Field(value: unknown, field: string, length: number | 'tag'): string {
  if (typeof value !== 'string') throw malformed(field, `Malformed envelope: ${field} must be a base64 string (got ${show(value)}).`);
  let bytes: Uint8Array;
  try {
    bytes = base64ToBytes(value);
  } catch {
    throw malformed(field, `Malformed envelope: ${field} is not valid base64.`);
  }
  if (length === 'tag' ? bytes.length < TAG_BYTES : bytes.length !== length) {
    const expected = length === 'tag' ? `at least ${TAG_BYTES} bytes` : `${length} bytes`;
    throw malformed(field, `Malformed envelope: ${field} must be ${expected} (got ${bytes.length}).`);
  }
  return value;
}

function malformed(field: string, message: string): EnvelopeError {
  return new EnvelopeError('malformed', message, field);
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

function subtle(): SubtleCrypto {
  const api = globalThis.crypto?.subtle;
  if (!api) throw new Error('WebCrypto is unavailable: encryption needs a secure context (https or localhost).');
  return api;
}

/** `length` cryptographically random bytes. */
export function randomBytes(length: number): Uint8Array<ArrayBuffer> {
  return globalThis.crypto.getRandomValues(new Uint8Array(length));
}

/** WebCrypto takes only ArrayBuffer-backed views; copy the rare SharedArrayBuffer-backed one. */
function arrayBacked(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Uint8Array<ArrayBuffer>) : new Uint8Array(bytes);
}
