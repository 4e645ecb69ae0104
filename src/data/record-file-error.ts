/** A spreadsheet or JSON file that cannot be read as a table; the message names the file and the place. */
export class RecordFileError extends Error {
  override readonly name = 'RecordFileError';
}
