// Refuses ZIP-based uploads (XLSX, engagement archives) that would inflate out of all proportion: a "zip bomb".
import yauzl from 'yauzl';
import { UnreadableFileError } from './unreadable-file.js';

/** Real workbooks compress sheet XML about 5–30 times; anything far beyond that is not a spreadsheet export. */
const MAX_RATIO = 200;
const RATIO_APPLIES_ABOVE = 10 * 2 ** 20;
const MAX_TOTAL = 2 * 2 ** 30;
const NOT_A_WORKBOOK =
  'The file looks like a ZIP archive but is not an Excel workbook that can be read (damaged or incomplete?). Save it from Excel as .xlsx and upload it again.';

function open(source: Buffer | string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    const done = (err: Error | null, zip?: yauzl.ZipFile) =>
      err || !zip ? reject(err ?? new Error('unreadable')) : resolve(zip);
    if (typeof source === 'string') yauzl.open(source, { lazyEntries: true, autoClose: false }, done);
    else yauzl.fromBuffer(source, { lazyEntries: true }, done);
  });
}

export interface ZipLimits {
  /** Most bytes all entries may inflate to. */
  maxTotal?: number;
  /** What to tell the user when the file is not a readable ZIP, and when it would inflate too far. */
  unreadable?: string;
  tooLarge?: string;
}

/** Reads only the ZIP's directory (nothing is inflated), checks the sizes it declares and returns its entry names. */
export async function assertReasonableZip(source: Buffer | string, limits: ZipLimits = {}): Promise<string[]> {
  const unreadable = limits.unreadable ?? NOT_A_WORKBOOK;
  const maxTotal = limits.maxTotal ?? MAX_TOTAL;
  let zip: yauzl.ZipFile;
  try {
    zip = await open(source);
  } catch {
    throw new UnreadableFileError(unreadable);
  }
  try {
    return await new Promise<string[]>((resolve, reject) => {
      const names: string[] = [];
      let total = 0;
      // yauzl itself refuses entry names that climb out of the folder or are absolute: say which.
      zip.on('error', (err: Error) =>
        reject(
          new UnreadableFileError(
            /path/.test(err.message)
              ? `${unreadable} It holds an unsafe path (${err.message.slice(0, 200)}).`
              : unreadable,
          ),
        ),
      );
      zip.on('end', () => resolve(names));
      zip.on('entry', (e: yauzl.Entry) => {
        total += e.uncompressedSize;
        const ratio = e.uncompressedSize / Math.max(1, e.compressedSize);
        if (total > maxTotal || (e.uncompressedSize > RATIO_APPLIES_ABOVE && ratio > MAX_RATIO)) {
          return reject(
            new UnreadableFileError(
              limits.tooLarge ??
                'The file expands to far more data than any workbook would (a compressed "zip bomb"); it was not opened.',
            ),
          );
        }
        names.push(e.fileName);
        zip.readEntry();
      });
      zip.readEntry();
    });
  } finally {
    zip.close();
  }
}
