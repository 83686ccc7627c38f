import { z } from 'zod';
import { PAPER_SIZES } from '../../domain/paper.js';
import {
  ENGAGEMENT_ROLES,
  ENGAGEMENT_STATUSES,
  FRAMEWORKS,
  OPTIONAL_CATEGORIES,
  REPORT_TYPES,
  SUBSERVICE_METHODS,
} from '../../db/schema/index.js';
import { optionalIsoDate, optionalText, stringList, text } from '../../core/http/forms.js';

const choice = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Choose a ${label}.` });

const engagementFields = z.object({
  clientName: text('Client'),
  systemName: text('System name'),
  framework: choice(FRAMEWORKS, 'framework'),
  reportType: choice(REPORT_TYPES, 'report type'),
  periodStart: optionalIsoDate('Period start'),
  periodEnd: optionalIsoDate('Period end'),
  asOfDate: optionalIsoDate('As-of date'),
  plannedReportDate: optionalIsoDate('Planned report date'),
  /** Absent: a new engagement takes the firm's paper, an edited one keeps its own. */
  paperSize: z.enum(PAPER_SIZES, { error: 'Choose A4 or US Letter.' }).optional(),
  categories: stringList.pipe(z.array(z.enum(OPTIONAL_CATEGORIES, { error: 'Unknown category.' }))),
  status: choice(ENGAGEMENT_STATUSES, 'status').optional().default('planning'),
});

/** A Type II report covers a period; a Type I report is as of one date, stored as a period of that one day. */
export const engagementForm = engagementFields
  .superRefine((v, ctx) => {
    const missing = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (v.reportType === 'type1') {
      if (!v.asOfDate) missing('asOfDate', 'A Type I report is as of a date: enter the as-of date.');
      return;
    }
    if (!v.periodStart) missing('periodStart', 'Period start is required.');
    if (!v.periodEnd) missing('periodEnd', 'Period end is required.');
    if (v.periodStart && v.periodEnd && v.periodEnd <= v.periodStart)
      missing('periodEnd', 'Period end must be after period start.');
  })
  .transform(({ asOfDate, periodStart, periodEnd, ...v }) =>
    v.reportType === 'type1'
      ? { ...v, periodStart: asOfDate!, periodEnd: asOfDate! }
      : { ...v, periodStart: periodStart!, periodEnd: periodEnd! },
  )
  .refine((v) => !v.plannedReportDate || v.plannedReportDate > v.periodEnd, {
    message: 'The report is dated after the period ends (Type I: after the as-of date).',
    path: ['plannedReportDate'],
  });
export type EngagementInput = z.infer<typeof engagementForm>;

export const newEngagementForm = z.intersection(
  engagementForm,
  z.object({
    partnerUserId: z.coerce
      .number({ error: 'Choose the engagement partner.' })
      .int()
      .positive('Choose the engagement partner.'),
  }),
);

export const addMemberForm = z.object({
  userId: z.coerce.number({ error: 'Choose a person.' }).int().positive('Choose a person.'),
  role: choice(ENGAGEMENT_ROLES, 'role'),
});

export const changeRoleForm = z.object({ role: choice(ENGAGEMENT_ROLES, 'role') });

export const subserviceForm = z.object({
  name: text('Name'),
  services: optionalText('Services', 500),
  method: choice(SUBSERVICE_METHODS, 'method'),
});
