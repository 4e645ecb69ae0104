const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);

/**
 * An Excel serial date → milliseconds since 1970 (UTC, as Excel has no time zone).
 * The 1900 system counts a 29 February 1900 that never was (Lotus 1-2-3's bug, kept by Excel), so serials below
 * 60 are a day later than a plain count from 1899-12-30; 60 itself reads as 1900-02-28, as openpyxl reads it.
 * The time of day is rounded to the millisecond, as openpyxl does.
 * `excelSerialToMs(40513.35138888889, false)` → `Date.UTC(2010, 11, 1, 8, 26)`.
 */
export function excelSerialToMs(serial: number, date1904: boolean): number {
  const day = Math.floor(serial);
  const timeMs = Math.round((serial - day) * DAY_MS);
  const epoch = date1904 ? EPOCH_1904 : serial > 0 && serial < 60 ? EPOCH_1900 + DAY_MS : EPOCH_1900;
  return epoch + day * DAY_MS + timeMs;
}

/** Built-in number formats that show a date or a time (ECMA-376 §18.8.30, with the East Asian ones); 46 is a duration. */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/**
 * True when a number format shows the number as a date or time: `yyyy-mm-dd`, `d/m/yy h:mm`, `[$-409]mmm-yy`.
 * Quoted text, escaped characters, colours and locales do not count; elapsed times (`[h]:mm`) are durations, not dates.
 */
export function isDateFormat(numFmtId: number, formatCode: string | undefined): boolean {
  if (formatCode === undefined) return BUILT_IN_DATE_FORMATS.has(numFmtId);
  if (/\[(h+|m+|s+)\]/i.test(formatCode)) return false;
  const bare = formatCode.replace(/"[^"]*"|\\.|_.|\*.|\[[^\]]*\]/g, '');
  return /[dmyhs]/i.test(bare) && !/^general$/i.test(bare.trim());
}
