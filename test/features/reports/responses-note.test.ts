// The standard note on management's responses goes with Section IV only when the report carries responses.
import { describe, expect, it } from 'vitest';
import { responsesNoteOf } from '../../../src/features/reports/labels.js';
import type { SectionFour } from '../../../src/domain/section-four.js';

const context = {
  framework: 'isae3402' as const,
  serviceOrganization: 'Acme Payroll Ltd',
  systemName: 'Payroll',
  period: '1 January 2025 to 31 December 2025',
  paper: 'a4' as const,
};
const row = (managementResponses: string[]) => ({
  controlNumber: 'C-1',
  controlActivity: 'x',
  testsPerformed: [],
  results: ['No exceptions noted.'],
  managementResponses,
});
const report = (responses: string[]): SectionFour => ({
  kind: 'objectives',
  reportType: 'type2',
  groupNoun: 'Control objective',
  groups: [{ reference: 'CO1', title: 't', coverage: 'controls', note: null, rows: [row([]), row(responses)] }],
  cuecs: [],
  csocs: [],
});

describe("the note on management's responses", () => {
  it('is there when a response is, and names the service organization', () => {
    expect(responsesNoteOf(report(['Management agrees.']), context)).toMatch(
      /^Management's responses to exceptions are provided by Acme Payroll Ltd .*performed no procedures on management's responses and, accordingly, expresses no opinion on them\.$/,
    );
  });
  it('is left out when no exception has a response', () => {
    expect(responsesNoteOf(report([]), context)).toBeNull();
  });
});
