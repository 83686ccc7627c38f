import { z } from 'zod';
import { ENGAGEMENT_ROLES, ENGAGEMENT_STATUSES, FRAMEWORKS, OPTIONAL_CATEGORIES, REPORT_TYPES, SUBSERVICE_METHODS } from '../../db/schema/index.js';
import { isoDate, optionalIsoDate, optionalText, stringList, text } from '../shared/forms.js';

const choice = <T extends readonly [string, ...string[]]>(values: T, label: string) =>
  z.enum(values, { error: `Choose a ${label}.` });

export const engagementForm = z
  .object({
    clientName: text('Client'),
    systemName: text('System name'),
    framework: choice(FRAMEWORKS, 'framework'),
    reportType: choice(REPORT_TYPES, 'report type'),
    periodStart: isoDate('Period start'),
    periodEnd: isoDate('Period end'),
    plannedReportDate: optionalIsoDate('Planned report date'),
    categories: stringList.pipe(z.array(z.enum(OPTIONAL_CATEGORIES, { error: 'Unknown category.' }))),
    status: choice(ENGAGEMENT_STATUSES, 'status').optional().default('planning'),
  })
  .refine((v) => v.periodEnd > v.periodStart, { message: 'Period end must be after period start.', path: ['periodEnd'] })
  .refine((v) => !v.plannedReportDate || v.plannedReportDate > v.periodEnd, {
    message: 'The report is dated after the period ends.',
    path: ['plannedReportDate'],
  });
export type EngagementInput = z.infer<typeof engagementForm>;

export const newEngagementForm = z.intersection(
  engagementForm,
  z.object({ partnerUserId: z.coerce.number({ error: 'Choose the engagement partner.' }).int().positive('Choose the engagement partner.') }),
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
