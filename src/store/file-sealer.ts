import type { FileSealer } from '../engine/ports.ts';
import { envelopeFromText, envelopeToText, open, seal, type SealOptions } from './crypto.ts';

/** Exported notebook files sealed with a passphrase: the envelope of a locked workspace, as text. `options` lower iterations in tests only. */
export function passphraseFileSealer(options: SealOptions = {}): FileSealer {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder();
  return {
    async seal(text, passphrase) {
      return envelopeToText(await seal(encoder.encode(text), passphrase, options));
    },
    async open(envelopeText, passphrase) {
      return decoder.decode(await open(envelopeFromText(envelopeText, options), passphrase, options));
    },
  };
}
