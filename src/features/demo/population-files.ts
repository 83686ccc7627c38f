// Deterministic demo files, written as a client would send them: a change-ticket extract and a
// terminated-users list, each with the flaws an auditor must catch.
import { addDaysIso } from '../../domain/periods.js';

/** A tiny deterministic generator so the demo is the same on every machine. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const COMPONENTS = [
  'ledger-api',
  'billing-service',
  'web-app',
  'reporting',
  'auth-service',
  'bank-feeds',
  'tax-engine',
  'mobile-app',
  'data-pipeline',
  'infrastructure',
];
const CHANGE_KINDS = [
  'Bug fix',
  'Feature release',
  'Security patch',
  'Configuration change',
  'Dependency upgrade',
  'Database migration',
];
const PEOPLE = [
  'A. Novak',
  'B. Tanaka',
  'C. Mensah',
  'D. Kowalski',
  'E. Haddad',
  'F. Lindqvist',
  'G. Moreau',
  'H. Singh',
];

function businessDay(date: string): string {
  let d = date;
  const dow = () => new Date(`${d}T00:00:00Z`).getUTCDay();
  while (dow() === 0 || dow() === 6) d = addDaysIso(d, 1);
  return d;
}

function csvLine(values: (string | number)[]): string {
  return values.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',');
}

/** 1,200 change tickets over 2025, two of them dated outside the period (a late-December and a January one). */
export function changeTicketsCsv(): string {
  const rnd = lcg(2025);
  const lines = [csvLine(['Change ID', 'Deployed', 'Summary', 'Requested by', 'Approved by', 'Risk'])];
  for (let i = 1; i <= 1200; i++) {
    let date = businessDay(addDaysIso('2025-01-01', Math.floor(((i - 1) * 364) / 1200)));
    if (i === 7) date = '2024-12-30';
    if (i === 1194) date = '2026-01-02';
    const requester = PEOPLE[Math.floor(rnd() * PEOPLE.length)]!;
    const approver = PEOPLE[(PEOPLE.indexOf(requester) + 1 + Math.floor(rnd() * (PEOPLE.length - 1))) % PEOPLE.length]!;
    const summary = `${CHANGE_KINDS[Math.floor(rnd() * CHANGE_KINDS.length)]}: ${COMPONENTS[Math.floor(rnd() * COMPONENTS.length)]}`;
    lines.push(
      csvLine([
        `CHG-${String(i).padStart(5, '0')}`,
        date,
        summary,
        requester,
        approver,
        rnd() < 0.15 ? 'High' : 'Standard',
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

const FIRST = [
  'Olivia',
  'Liam',
  'Emma',
  'Noah',
  'Ava',
  'Lucas',
  'Mia',
  'Ethan',
  'Sofia',
  'Mateo',
  'Amara',
  'Kenji',
  'Zara',
  'Ibrahim',
  'Freya',
];
const LAST = [
  'Garcia',
  'Nguyen',
  'Schmidt',
  'Okoro',
  'Rossi',
  'Dubois',
  'Kim',
  'Patel',
  'Silva',
  'Johansson',
  'Ali',
  'Murphy',
];

/** 86 leavers in 2025 from the HR system, with the date access was removed (extra column, kept with items). */
export function terminatedUsersCsv(): string {
  const rnd = lcg(86);
  const lines = [csvLine(['Employee ID', 'Termination date', 'Name', 'Department', 'Access removed'])];
  for (let i = 1; i <= 86; i++) {
    const date = businessDay(addDaysIso('2025-01-03', Math.floor(((i - 1) * 360) / 86)));
    const removed = addDaysIso(date, Math.floor(rnd() * 2));
    const name = `${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`;
    lines.push(
      csvLine([
        `E${String(1040 + i * 7)}`,
        date,
        name,
        ['Engineering', 'Finance', 'Sales', 'Support', 'Operations'][i % 5]!,
        removed,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}

const ROLES = [
  'Support Analyst',
  'Software Engineer',
  'Account Executive',
  'Accountant',
  'SRE',
  'Product Manager',
  'Data Analyst',
];

/** 124 new hires in 2025 from the HR system (start dates), for the background-check control. */
export function newHiresCsv(): string {
  const rnd = lcg(124);
  const lines = [csvLine(['Employee ID', 'Start date', 'Name', 'Role', 'Office'])];
  for (let i = 1; i <= 124; i++) {
    const date = businessDay(addDaysIso('2025-01-06', Math.floor(((i - 1) * 355) / 124)));
    const name = `${FIRST[Math.floor(rnd() * FIRST.length)]} ${LAST[Math.floor(rnd() * LAST.length)]}`;
    lines.push(
      csvLine([
        `E${String(2000 + i * 3)}`,
        date,
        name,
        ROLES[Math.floor(rnd() * ROLES.length)]!,
        ['Dublin', 'Austin', 'Remote'][i % 3]!,
      ]),
    );
  }
  return `${lines.join('\n')}\n`;
}
