import type Database from 'better-sqlite3';
import { ISSUE_LABELS, type IssueKind } from '../../domain/population-checks.js';

/** Quotes a CSV field, and defuses spreadsheet formulas so the download cannot run anything in Excel. */
export function csvField(value: string | number | null): string {
  let text = value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Every flagged row of a population, for the auditor to send back to the client. */
export function issuesCsv(sqlite: Database.Database, populationId: number): string {
  const rows = sqlite
    .prepare(
      "SELECT row_number, key, item_date, issues FROM population_items WHERE population_id = ? AND issues <> '' ORDER BY row_number",
    )
    .raw()
    .iterate(populationId) as IterableIterator<[number, string, string | null, string]>;
  const lines = ['row,key,date,issues'];
  for (const [row, key, date, issues] of rows) {
    const labels = issues
      .split(',')
      .map((k) => ISSUE_LABELS[k as IssueKind] ?? k)
      .join('; ');
    lines.push([row, key, date, labels].map(csvField).join(','));
  }
  return `${lines.join('\r\n')}\r\n`;
}
