// Section IV as a Word document: landscape, one real table per criterion or objective whose header row repeats
// on every page, and only named styles, so it pastes into the report's own template.
import { Document, HeadingLevel, Packer, Paragraph, Table, TableCell, TableRow, WidthType, type FileChild } from 'docx';
import type { ComplementaryRow, SectionFour, SectionFourGroup, SectionFourRow } from '../../domain/section-four.js';
import { pageOf, REPORT_STYLES, STYLE } from './docx-styles.js';
import {
  complementaryColumns,
  csocTitle,
  cuecTitle,
  groupHeading,
  INTRODUCTION_HEADING,
  MANAGEMENT_RESPONSE,
  markedTitle,
  responsesNoteOf,
  SECTION_FOUR_TITLE,
  testColumns,
  unverifiedNote,
  type ReportContext,
} from './labels.js';

const TEST_WIDTHS = [12, 28, 32, 28];
const DESIGN_WIDTHS = [16, 84];
const widthsOf = (context: ReportContext) => (context.reportType === 'type1' ? DESIGN_WIDTHS : TEST_WIDTHS);

const text = (t: string, style: string = STYLE.tableText) => new Paragraph({ text: t, style });
const cell = (paragraphs: Paragraph[], width: number) =>
  new TableCell({
    children: paragraphs.length ? paragraphs : [text('')],
    width: { size: width, type: WidthType.PERCENTAGE },
  });

function headerRow(headings: string[], widths: number[]): TableRow {
  return new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: headings.map((h, i) => cell([text(h, STYLE.tableHeading)], widths[i]!)),
  });
}

function table(headings: string[], widths: number[], rows: TableRow[]): Table {
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    columnWidths: widths.map((w) => w * 100),
    rows: [headerRow(headings, widths), ...rows],
  });
}

function testRow(row: SectionFourRow, context: ReportContext): TableRow {
  const results = [
    ...row.results.map((r) => text(r)),
    ...row.managementResponses.map((r) => text(`${MANAGEMENT_RESPONSE} ${r}`)),
  ];
  const described = [[text(row.controlNumber)], [text(row.controlActivity)]];
  const cells =
    context.reportType === 'type1' ? described : [...described, row.testsPerformed.map((t) => text(t)), results];
  const widths = widthsOf(context);
  return new TableRow({ children: cells.map((c, i) => cell(c, widths[i]!)) });
}

/** A criterion's heading, the line that says how it is addressed (if any), then its controls' table (if any). */
function groupChildren(group: SectionFourGroup, context: ReportContext): FileChild[] {
  return [
    new Paragraph({ text: groupHeading(group), heading: HeadingLevel.HEADING_2 }),
    ...(group.note ? [new Paragraph({ text: group.note })] : []),
    ...(group.rows.length
      ? [
          table(
            testColumns(context),
            widthsOf(context),
            group.rows.map((r) => testRow(r, context)),
          ),
        ]
      : []),
  ];
}

function complementaryTable(
  report: SectionFour,
  context: ReportContext,
  rows: ComplementaryRow[],
  withOrganization: boolean,
): Table {
  const widths = withOrganization ? [18, 12, 50, 20] : [14, 62, 24];
  const body = rows.map((r) => {
    const values = [
      ...(withOrganization ? [r.subserviceOrganization ?? ''] : []),
      r.reference,
      r.description,
      r.criteria.join(', '),
    ];
    return new TableRow({ children: values.map((v, i) => cell([text(v)], widths[i]!)) });
  });
  return table(complementaryColumns(report, withOrganization, context), widths, body);
}

function complementarySection(
  report: SectionFour,
  context: ReportContext,
  title: string,
  rows: ComplementaryRow[],
  withOrganization: boolean,
): FileChild[] {
  if (rows.length === 0) return [];
  return [
    new Paragraph({ text: title, heading: HeadingLevel.HEADING_1 }),
    complementaryTable(report, context, rows, withOrganization),
  ];
}

export function sectionFourChildren(report: SectionFour, context: ReportContext): FileChild[] {
  const introduction = context.introduction ?? [];
  return [
    ...(context.unverifiedCopy
      ? [new Paragraph({ text: unverifiedNote(context.unverifiedCopy), style: STYLE.reportNote })]
      : []),
    new Paragraph({ text: SECTION_FOUR_TITLE, heading: HeadingLevel.HEADING_1 }),
    new Paragraph({ text: `${context.serviceOrganization}, ${context.systemName}, for the period ${context.period}.` }),
    ...(introduction.length
      ? [
          new Paragraph({ text: INTRODUCTION_HEADING, heading: HeadingLevel.HEADING_2 }),
          ...introduction.map((p) => new Paragraph({ text: p })),
        ]
      : []),
    ...report.groups.flatMap((group) => groupChildren(group, context)),
    ...[responsesNoteOf(report, context)]
      .filter((n) => n !== null)
      .map((note) => new Paragraph({ text: note, style: STYLE.reportNote })),
    ...complementarySection(report, context, cuecTitle(context), report.cuecs, false),
    ...complementarySection(report, context, csocTitle(context), report.csocs, true),
  ];
}

export async function sectionFourDocx(report: SectionFour, context: ReportContext): Promise<Buffer> {
  const doc = new Document({
    creator: 'Tickmark',
    title: markedTitle(context, `${SECTION_FOUR_TITLE}: ${context.serviceOrganization}`),
    styles: REPORT_STYLES,
    sections: [
      { properties: { page: pageOf(context.paper, 'landscape') }, children: sectionFourChildren(report, context) },
    ],
  });
  return Packer.toBuffer(doc);
}
