// The control matrix screen: one row per control, filtered and sorted from the query string.
import { CONTROL_TYPES, FREQUENCIES, NATURES, RISKS } from '../../domain/types.js';
import { compareReferences, referenceKey } from '../../domain/criteria.js';
import { TEST_STATUSES, testStatus, type TestStatus } from '../../domain/test-plan.js';
import type { Tx } from '../../db/connection.js';
import { criteriaOf, listControls, proceduresByControl, walkthroughsByControl, type ControlRow } from './queries.js';

export interface MatrixLine {
  control: ControlRow;
  criteria: string[];
  procedureCount: number;
  status: TestStatus;
}

/** Four queries for the whole matrix, however many controls: no query per row. */
export function matrixLines(db: Tx, engagementId: number): MatrixLine[] {
  const rows = listControls(db, engagementId);
  const criteria = criteriaOf(
    db,
    rows.map((r) => r.id),
  );
  const procedures = proceduresByControl(db, engagementId);
  const walkthroughs = walkthroughsByControl(db, engagementId);
  return rows.map((control) => {
    const procedureCount = procedures.get(control.id)?.length ?? 0;
    return {
      control,
      criteria: criteria.get(control.id) ?? [],
      procedureCount,
      status: testStatus(procedureCount, walkthroughs.get(control.id) ?? null),
    };
  });
}

export const SORT_KEYS = [
  'reference',
  'description',
  'owner',
  'frequency',
  'nature',
  'type',
  'key',
  'risk',
  'criteria',
  'status',
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface MatrixQuery {
  criterion: string;
  frequency: string;
  nature: string;
  key: '' | 'yes' | 'no';
  status: string;
  sort: SortKey;
  dir: 'asc' | 'desc';
}

const oneOf = <T extends string>(values: readonly T[], v: unknown): T | '' =>
  typeof v === 'string' && (values as readonly string[]).includes(v) ? (v as T) : '';

/** Unknown values are ignored rather than refused: a stale bookmark still opens the matrix. */
export function readMatrixQuery(query: unknown): MatrixQuery {
  const q = (query ?? {}) as Record<string, unknown>;
  return {
    criterion: typeof q.criterion === 'string' ? q.criterion.trim().slice(0, 40) : '',
    frequency: oneOf(FREQUENCIES, q.frequency),
    nature: oneOf(NATURES, q.nature),
    key: oneOf(['yes', 'no'] as const, q.key),
    status: oneOf(TEST_STATUSES, q.status),
    sort: oneOf(SORT_KEYS, q.sort) || 'reference',
    dir: q.dir === 'desc' ? 'desc' : 'asc',
  };
}

export function isFiltered(q: MatrixQuery): boolean {
  return Boolean(q.criterion || q.frequency || q.nature || q.key || q.status);
}

export function filterLines(lines: MatrixLine[], q: MatrixQuery): MatrixLine[] {
  const criterion = q.criterion ? referenceKey(q.criterion) : '';
  return lines.filter(
    ({ control: c, criteria, status }) =>
      (!criterion || criteria.some((r) => referenceKey(r) === criterion)) &&
      (!q.frequency || c.frequency === q.frequency) &&
      (!q.nature || c.nature === q.nature) &&
      (!q.key || c.isKey === (q.key === 'yes')) &&
      (!q.status || status === q.status),
  );
}

const rank = (values: readonly string[]) => (v: string) => values.indexOf(v);
const BY: Record<SortKey, (a: MatrixLine, b: MatrixLine) => number> = {
  reference: (a, b) => compareReferences(a.control.reference, b.control.reference),
  description: (a, b) => a.control.description.localeCompare(b.control.description),
  owner: (a, b) => a.control.owner.localeCompare(b.control.owner),
  frequency: (a, b) => rank(FREQUENCIES)(a.control.frequency) - rank(FREQUENCIES)(b.control.frequency),
  nature: (a, b) => rank(NATURES)(a.control.nature) - rank(NATURES)(b.control.nature),
  type: (a, b) => rank(CONTROL_TYPES)(a.control.controlType) - rank(CONTROL_TYPES)(b.control.controlType),
  key: (a, b) => Number(b.control.isKey) - Number(a.control.isKey),
  risk: (a, b) => rank(RISKS)(b.control.risk) - rank(RISKS)(a.control.risk),
  criteria: (a, b) => compareReferences(a.criteria[0] ?? '~', b.criteria[0] ?? '~'),
  status: (a, b) => rank(TEST_STATUSES)(a.status) - rank(TEST_STATUSES)(b.status),
};

/** Ties fall back to the reference, so the order is stable whatever the column. */
export function sortLines(lines: MatrixLine[], q: MatrixQuery): MatrixLine[] {
  const sign = q.dir === 'desc' ? -1 : 1;
  return [...lines].sort((a, b) => sign * BY[q.sort](a, b) || BY.reference(a, b));
}

/** The query string for a link that changes some of the current filters or the sort. */
export function matrixHref(base: string, q: MatrixQuery, change: Partial<MatrixQuery>): string {
  const next = { ...q, ...change };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(next)) {
    if (v && !(k === 'sort' && v === 'reference') && !(k === 'dir' && v === 'asc')) params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${base}?${qs}` : base;
}
