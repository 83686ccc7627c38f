// Section IV in Word must grow linearly with the controls: 1,000 controls within 4.5 × the time of 250, and
// under 5 s. Input generated for the pure builder and the writer directly; reading the database is not timed.
import { sectionFour, type ControlForReport, type SectionFourInput } from '../src/domain/section-four.js';
import type { ReportContext } from '../src/features/reports/labels.js';
import { sectionFourDocx } from '../src/features/reports/section-four-docx.js';
import { medianMs, round, type Benchmark } from './harness.js';

const CRITERIA = Array.from({ length: 33 }, (_, i) => `CC${1 + Math.floor(i / 5)}.${1 + (i % 5)}`);
const CONTEXT: ReportContext = {
  framework: 'soc2',
  serviceOrganization: 'Bench Ledger, Inc.',
  systemName: 'Bench platform',
  period: 'January 1, 2025 to December 31, 2025',
  paper: 'letter',
};

function generatedControl(i: number): ControlForReport {
  const failed = i % 10 === 0;
  return {
    reference: `C-${String(i).padStart(4, '0')}`,
    description: `Control activity ${i}: changes to production are approved by someone other than the author and pass automated tests before deployment.`,
    mappedTo: [CRITERIA[i % CRITERIA.length]!, ...(i % 3 === 0 ? [CRITERIA[(i * 7) % CRITERIA.length]!] : [])],
    procedures: [
      { kind: 'inquiry', text: 'Inquired of the control owner regarding the operation of the control.' },
      {
        kind: 'inspection',
        text: 'Inspected the approval record for a sample of changes to determine whether each was approved before deployment.',
      },
      {
        kind: 'reperformance',
        text: 'Reperformed the comparison of the deployment log with the approved change list.',
      },
    ],
    windows: [
      {
        label: 'Whole period',
        sample: { size: 25, populationSize: 1000 + i, itemNoun: 'changes' },
        conclusion: failed ? 'not-effective' : 'no-exceptions',
        resultSentence: failed
          ? 'Exception noted. For 1 of 25 changes sampled, the change was deployed before it was approved.'
          : 'No exceptions noted.',
        exceptions: failed
          ? [
              {
                description: 'The change was deployed before it was approved',
                managementResponse: 'Management agrees and has enabled branch protection.',
              },
            ]
          : [],
      },
    ],
  };
}

function input(controls: number): SectionFourInput {
  return {
    kind: 'criteria',
    scope: CRITERIA.map((reference) => ({ reference, title: `Criterion ${reference}` })),
    controls: Array.from({ length: controls }, (_, i) => generatedControl(i + 1)),
    complementary: [
      {
        kind: 'cuec',
        reference: 'CUEC-01',
        description: 'User entities approve their users.',
        criteria: ['CC6.2'],
        subserviceOrganization: null,
      },
    ],
  };
}

const docxOf = (data: SectionFourInput) => sectionFourDocx(sectionFour(data), CONTEXT);

export const sectionFourBench: Benchmark = {
  name: 'section-four',
  description: 'Section IV DOCX (build + write) for 250, 500 and 1,000 generated controls',
  async run() {
    const inputs = { 250: input(250), 500: input(500), 1000: input(1000) };
    await docxOf(inputs[250]); // warm up
    const t250 = await medianMs(5, () => docxOf(inputs[250]));
    const t500 = await medianMs(5, () => docxOf(inputs[500]));
    const t1000 = await medianMs(5, () => docxOf(inputs[1000]));
    const base = { name: 'same for 250 controls', value: round(t250, 1) };
    return [
      {
        benchmark: 'section-four',
        name: 'Section IV DOCX, 500 controls',
        value: round(t500, 1),
        unit: 'ms',
        baseline: base,
        ratio: round(t500 / t250),
        goal: 'ratio ≤ 2.25 (linear)',
        met: t500 / t250 <= 2.25,
      },
      {
        benchmark: 'section-four',
        name: 'Section IV DOCX, 1,000 controls',
        value: round(t1000, 1),
        unit: 'ms',
        baseline: base,
        ratio: round(t1000 / t250),
        goal: 'ratio ≤ 4.5 (linear) and < 5,000 ms',
        met: t1000 / t250 <= 4.5 && t1000 < 5000,
      },
    ];
  },
};
