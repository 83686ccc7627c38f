// The first rows of an uploaded population's file, for the mapping page.
import { firstRows, UnreadableFileError } from '../../core/files/spreadsheet-rows.js';
import type { PopulationRow } from './queries.js';

/** Characters of a cell shown in the mapping preview. */
const PREVIEW_CHARS = 120;

/** The first rows, cut for display; a stored file that no longer reads (limits, damage) is said, not a 500. */
export async function mappingPreview(population: PopulationRow): Promise<{ rows: string[][]; error: string | null }> {
  if (!population.uploadPath) return { rows: [], error: null };
  try {
    const rows = await firstRows(population.uploadPath, population.uploadKind as 'csv' | 'xlsx', 11);
    return {
      rows: rows.map((row) =>
        row.map((cell) => (cell.length > PREVIEW_CHARS ? `${cell.slice(0, PREVIEW_CHARS)}…` : cell)),
      ),
      error: null,
    };
  } catch (err) {
    // The readers' own refusal says what is wrong with the file; anything else is a fault of Tickmark.
    if (err instanceof UnreadableFileError)
      return { rows: [], error: `${err.message} Upload the file again once it is fixed.` };
    throw err;
  }
}
