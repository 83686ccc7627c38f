// Section IV as a workbook for the team that assembles the report: one sheet per section, filters on, the
// header row bold and frozen. One row per control under each of its criteria, as in the Word table.
import ExcelJS from 'exceljs';
import type { ComplementaryRow, SectionFour } from '../../domain/section-four.js';
import {
  complementaryColumns,
  MANAGEMENT_RESPONSE,
  markedTitle,
  responsesNoteOf,
  testColumns,
  unverifiedNote,
  type ReportContext,
} from './labels.js';

export const SHEET_NAMES = {
  tests: 'Section IV tests',
  cuecs: 'CUECs',
  csocs: 'CSOCs',
  introduction: 'Introduction',
} as const;

function addSheet(
  workbook: ExcelJS.Workbook,
  name: string,
  headers: string[],
  widths: number[],
  rows: string[][],
): ExcelJS.Worksheet {
  const sheet = workbook.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = headers.map((header, i) => ({ header, width: widths[i] }));
  sheet.getRow(1).font = { bold: true };
  for (const values of rows) sheet.addRow(values).alignment = { vertical: 'top', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: headers.length } };
  return sheet;
}

/** One row per control under each criterion; a criterion's own line (carved out, not applicable, no testing) in the activity column. */
function testRows(report: SectionFour): string[][] {
  const design = report.reportType === 'type1';
  return report.groups.flatMap((group) => [
    ...(group.note ? [[group.reference, group.title, '', group.note]] : []),
    ...group.rows.map((row) => [
      group.reference,
      group.title,
      row.controlNumber,
      row.controlActivity,
      ...(design ? [] : [row.testsPerformed.join('\n'), row.results.join('\n'), row.managementResponses.join('\n')]),
    ]),
  ]);
}

function complementaryRows(rows: ComplementaryRow[], withOrganization: boolean): string[][] {
  return rows.map((r) => [
    ...(withOrganization ? [r.subserviceOrganization ?? ''] : []),
    r.reference,
    r.description,
    r.criteria.join(', '),
  ]);
}

export async function sectionFourXlsx(report: SectionFour, context: ReportContext): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Tickmark';
  workbook.title = markedTitle(context, `Section IV: ${context.serviceOrganization}`);
  if (context.unverifiedCopy) workbook.subject = unverifiedNote(context.unverifiedCopy);
  const design = report.reportType === 'type1';
  const testHeaders = [
    report.groupNoun,
    `${report.groupNoun} title`,
    ...testColumns({ ...context, reportType: report.reportType }),
    ...(design ? [] : [MANAGEMENT_RESPONSE.replace(/:$/, '')]),
  ];
  const tests = addSheet(workbook, SHEET_NAMES.tests, testHeaders, [12, 36, 14, 50, 60, 50, 50], testRows(report));
  if (context.introduction?.length)
    addSheet(
      workbook,
      SHEET_NAMES.introduction,
      ['Introduction'],
      [140],
      context.introduction.map((p) => [p]),
    );
  // On the responses' own heading, so the rows stay a table the report team can filter.
  const note = responsesNoteOf(report, context);
  if (note) tests.getCell(1, testHeaders.length).note = note;
  addSheet(
    workbook,
    SHEET_NAMES.cuecs,
    complementaryColumns(report, false, context),
    [12, 80, 24],
    complementaryRows(report.cuecs, false),
  );
  addSheet(
    workbook,
    SHEET_NAMES.csocs,
    complementaryColumns(report, true, context),
    [28, 12, 70, 24],
    complementaryRows(report.csocs, true),
  );
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
