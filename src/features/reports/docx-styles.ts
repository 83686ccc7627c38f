// The named styles every Tickmark Word document uses. Formatting lives here only, so a report writer can
// restyle a pasted Section IV by redefining "Heading 1", "Heading 2", "Table text" or "Table heading".
import { PageOrientation, type IStylesOptions } from 'docx';

/** Paragraph style ids, as the document XML refers to them. */
export const STYLE = { tableText: 'TableText', tableHeading: 'TableHeading', reportNote: 'ReportNote' } as const;

export const REPORT_STYLES: IStylesOptions = {
  default: {
    document: { run: { font: 'Calibri', size: 20 }, paragraph: { spacing: { after: 120 } } },
  },
  paragraphStyles: [
    {
      id: 'Heading1',
      name: 'Heading 1',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      run: { size: 30, bold: true },
      paragraph: { keepNext: true, spacing: { before: 240, after: 160 }, outlineLevel: 0 },
    },
    {
      id: 'Heading2',
      name: 'Heading 2',
      basedOn: 'Normal',
      next: 'Normal',
      quickFormat: true,
      run: { size: 24, bold: true },
      paragraph: { keepNext: true, spacing: { before: 240, after: 120 }, outlineLevel: 1 },
    },
    {
      id: STYLE.tableText,
      name: 'Table text',
      basedOn: 'Normal',
      quickFormat: true,
      run: { size: 18 },
      paragraph: { spacing: { before: 40, after: 40 } },
    },
    {
      id: STYLE.tableHeading,
      name: 'Table heading',
      basedOn: STYLE.tableText,
      next: STYLE.tableText,
      quickFormat: true,
      run: { bold: true },
    },
    {
      id: STYLE.reportNote,
      name: 'Report note',
      basedOn: 'Normal',
      quickFormat: true,
      run: { italics: true, size: 18 },
    },
  ],
};

/** US reports (SOC 1, SOC 2) go on Letter, ISAE reports on A4; sizes in twentieths of a point, portrait. */
const PAPER = { letter: { width: 12240, height: 15840 }, a4: { width: 11906, height: 16838 } } as const;
export type Paper = keyof typeof PAPER;

export function pageOf(paper: Paper, orientation: 'landscape' | 'portrait') {
  return {
    size: {
      ...PAPER[paper],
      orientation: orientation === 'landscape' ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
    },
    margin: { top: 1080, right: 1080, bottom: 1080, left: 1080 },
  };
}
