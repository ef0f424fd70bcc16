// RFC 4180 CSV for downloads that people open in spreadsheets. Two dangers besides quoting: a text cell
// starting with = + - @ (or tab / CR) is run as a formula by Excel and LibreOffice ("CSV injection"), and
// Excel reads a file without a byte-order mark in the local ANSI code page, garbling Chinese headers.

export type CsvValue = string | number | undefined;

/** Characters that make a spreadsheet treat a cell as a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell: numbers as they are; text defused against formulas, then quoted when it must be. */
export function csvCell(value: CsvValue): string {
  if (value === undefined) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows joined with CRLF (RFC 4180), ending in one, after a UTF-8 byte-order mark. */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}
