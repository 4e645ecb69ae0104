import { markDefinition } from '../mark.ts';

/** A label at (x, y) writing the `text` column; it keeps the text colour and has no tooltip of its own. */
export const text = markDefinition('text', {
  requires: { channels: ['text'], message: (at) => `a text mark needs "${at}text", the column to write` },
});
