// Report outputs of an engagement: Section IV in Word, Excel and print, and a Section I draft. Read-only
// downloads for anyone on the team; the engagement scope's gate answers 404 to everyone else.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { sectionFour } from '../../domain/section-four.js';
import { engagementOf } from '../../core/engagement/access.js';
import type { EngagementRow } from '../../core/engagement/queries.js';
import { attachmentDisposition } from '../../core/files/sniff.js';
import { typed } from '../../core/http/contract.js';
import {
  complementaryColumns,
  csocTitle,
  cuecTitle,
  groupHeading,
  INTRODUCTION_HEADING,
  MANAGEMENT_RESPONSE,
  responsesNoteOf,
  SECTION_FOUR_TITLE,
  testColumns,
} from './labels.js';
import { reportContext, sectionFourInput } from './section-four-data.js';
import { sectionFourDocx } from './section-four-docx.js';
import { sectionFourXlsx } from './section-four-xlsx.js';
import { OPINION_TYPE_LABELS, sectionOneDocx, sectionOneDraft } from './section-one.js';

export const CONTENT_TYPES = {
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
} as const;

/** "Nimbus-Ledger-Inc-Section-IV-2025-12-31.docx": letters, digits and hyphens only, whatever the client is called. */
export function reportFileName(
  engagement: EngagementRow,
  section: string,
  extension: keyof typeof CONTENT_TYPES,
): string {
  const slug = (s: string) =>
    s
      .normalize('NFKD')
      .replace(/[^A-Za-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  return `${[slug(engagement.clientName).slice(0, 60) || 'Engagement', slug(section), engagement.periodEnd].join('-')}.${extension}`;
}

function download(
  reply: FastifyReply,
  name: string,
  extension: keyof typeof CONTENT_TYPES,
  body: Buffer,
): FastifyReply {
  return reply
    .header('content-type', CONTENT_TYPES[extension])
    .header('content-disposition', attachmentDisposition(name))
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'private, no-store')
    .send(body);
}

export async function reportRoutes(app: FastifyInstance): Promise<void> {
  const { db } = app.conn;
  const reportOf = (engagement: EngagementRow) => sectionFour(sectionFourInput(db, app.config.rootDir, engagement));
  // None of the reports reads a param, its query string or a body: there is nothing else to declare.
  const routes = typed(app);

  routes.get('/reports', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const draft = sectionOneDraft(db, app.config.rootDir, engagement);
    return reply.page('reports/index', {
      title: `Reports — ${engagement.clientName}`,
      base: `/engagements/${engagement.id}`,
      opinion: { label: OPINION_TYPE_LABELS[draft.type], approved: draft.approved, ready: draft.ready },
    });
  });

  routes.get('/reports/section-iv', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const context = reportContext(engagement);
    const report = reportOf(engagement);
    return reply.page('reports/section-iv', {
      title: `Section IV — ${engagement.clientName}`,
      base: `/engagements/${engagement.id}`,
      report,
      context,
      sectionTitle: SECTION_FOUR_TITLE,
      columns: testColumns(context),
      groupHeading,
      introductionHeading: INTRODUCTION_HEADING,
      managementResponse: MANAGEMENT_RESPONSE,
      responsesNote: responsesNoteOf(report, context),
      cuec: { title: cuecTitle(context), columns: complementaryColumns(report, false, context) },
      csoc: { title: csocTitle(context), columns: complementaryColumns(report, true, context) },
    });
  });

  routes.get('/reports/section-iv.docx', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return download(
      reply,
      reportFileName(engagement, 'Section IV', 'docx'),
      'docx',
      await sectionFourDocx(reportOf(engagement), reportContext(engagement)),
    );
  });

  routes.get('/reports/section-iv.xlsx', async (req, reply) => {
    const { engagement } = engagementOf(req);
    return download(
      reply,
      reportFileName(engagement, 'Section IV', 'xlsx'),
      'xlsx',
      await sectionFourXlsx(reportOf(engagement), reportContext(engagement)),
    );
  });

  routes.get('/reports/section-i.docx', async (req, reply) => {
    const { engagement } = engagementOf(req);
    const draft = sectionOneDraft(db, app.config.rootDir, engagement);
    return download(
      reply,
      reportFileName(engagement, 'Section I draft', 'docx'),
      'docx',
      await sectionOneDocx(draft, reportContext(engagement)),
    );
  });
}
