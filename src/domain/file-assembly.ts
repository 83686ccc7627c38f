// The engagement file after the report: assembled and locked within N days of the report date (firm policy,
// 60 by default), then kept for M years from the report date (AU-C 230 / ISA 230: at least five years from
// the report date; 7 by default). Dates are calendar dates (YYYY-MM-DD), no time zones.
import { addDaysIso, addYearsIso, toEpochDay } from './periods.js';
import type { IsoDate } from './types.js';

export interface FilePolicy {
  assemblyDays: number;
  retentionYears: number;
}

export const DEFAULT_FILE_POLICY: FilePolicy = { assemblyDays: 60, retentionYears: 7 };

export interface ReportDateSources {
  /** When the partner approved the opinion (an ISO timestamp or date), if approved. */
  approvedAt: string | null;
  plannedReportDate: IsoDate | null;
}

export interface FileDates {
  reportDate: IsoDate;
  /** True when the date is the approval's; false when it is only the planned report date. */
  approved: boolean;
  assemblyDeadline: IsoDate;
  retainUntil: IsoDate;
}

/** The report date: the approval's calendar day when the opinion is approved, else the planned date. */
export function reportDateOf(sources: ReportDateSources): { date: IsoDate; approved: boolean } | null {
  if (sources.approvedAt) return { date: sources.approvedAt.slice(0, 10), approved: true };
  if (sources.plannedReportDate) return { date: sources.plannedReportDate, approved: false };
  return null;
}

export function assemblyDeadline(reportDate: IsoDate, policy: FilePolicy = DEFAULT_FILE_POLICY): IsoDate {
  return addDaysIso(reportDate, policy.assemblyDays);
}

export function retainUntil(reportDate: IsoDate, policy: FilePolicy = DEFAULT_FILE_POLICY): IsoDate {
  return addYearsIso(reportDate, policy.retentionYears);
}

export function fileDates(sources: ReportDateSources, policy: FilePolicy = DEFAULT_FILE_POLICY): FileDates | null {
  const report = reportDateOf(sources);
  if (!report) return null;
  toEpochDay(report.date); // refuses a malformed date here rather than in a template
  return {
    reportDate: report.date,
    approved: report.approved,
    assemblyDeadline: assemblyDeadline(report.date, policy),
    retainUntil: retainUntil(report.date, policy),
  };
}

export interface ArchiveState {
  lockedAt: string | null;
  approvedAt: string | null;
  archivedAt: string | null;
}

/** Why the engagement cannot be archived yet, or null when it can: only an approved, locked file is archived. */
export function archiveRefusal(state: ArchiveState): string | null {
  if (state.archivedAt) return `The engagement was archived on ${state.archivedAt.slice(0, 10)}.`;
  if (!state.approvedAt || !state.lockedAt)
    return 'Only an engagement whose opinion the partner has approved (and so locked) can be archived.';
  return null;
}
