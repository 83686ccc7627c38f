// The shapes the criteria's roll-up (`opinion.ts`) and the proposed opinion (`opinion-proposal.ts`) share:
// controls' outcomes in, each criterion's status out.

import type { Conclusion } from './types.js';

export interface ControlRef {
  controlId: number;
  reference: string;
}

/** The walkthrough's conclusion on design; null (or absent) while the control has no walkthrough. */
export type DesignOutcome = 'suitable' | 'deficient';

export type ReportType = 'type1' | 'type2';

export interface ControlOutcome extends ControlRef {
  /** null: not yet concluded. Ignored for a Type I report, which has no operating conclusions. */
  conclusion: Conclusion | null;
  /** From the control's walkthrough: element (b) of the opinion. Absent counts as null (no walkthrough). */
  design?: DesignOutcome | null;
  /** Criterion ids (SOC 2, ISAE 3000) or objective references (SOC 1, ISAE 3402); compared like referenceKey. */
  mappedTo: string[];
  /** Carried for display only: a non-key control is not thereby compensated, see `coversRiskOf`. */
  key?: boolean;
  /**
   * Other controls whose risk this one also addresses, each named by its reference (compared like
   * referenceKey) or by its controlId written as a decimal string.
   */
  coversRiskOf?: string[];
}

export interface ScopeLimitation {
  criterionId: string;
  description: string;
}

export const CRITERION_STATUSES = [
  'achieved',
  'not-achieved',
  'scope-limited',
  'not-concluded',
  'no-controls',
  'carved-out',
  'not-applicable',
] as const;
export type CriterionStatus = (typeof CRITERION_STATUSES)[number];

/** Which element of the opinion a control fails: (b) design or (c) operating effectiveness. */
export type FailureCause = 'not-suitably-designed' | 'not-operating-effectively';

export interface FailedControl extends ControlRef {
  /** A deficient design decides the cause even when the control also failed in operation. */
  cause: FailureCause;
}

export interface Compensation extends ControlRef {
  cause: FailureCause;
  /** The suitably designed, effective controls that cover this failed control's risk for the criterion. */
  by: ControlRef[];
}

export interface CriterionRollUp {
  id: string;
  title: string;
  status: CriterionStatus;
  /** Deficient or not-effective controls whose risk no other control covers: the cause of 'not-achieved'. */
  failedControls: FailedControl[];
  compensatedBy: Compensation[];
  notConcluded: ControlRef[];
  /** Descriptions of the recorded limitations, listed even when a failure decides the status. */
  scopeLimitations: string[];
  /** Addressed by a carved-out subservice organization's controls (CSOCs). */
  carvedOut?: boolean;
  /** The recorded reason it is not applicable; it decides the status only while no control is mapped to it. */
  notApplicableReason?: string;
  /**
   * Type II only: every control mapped here was concluded 'no-testing' (it did not operate in the period). Not a
   * failure: the criterion stays achieved, and the report discloses that its controls were not tested.
   */
  noTestingPerformed?: boolean;
}

export interface RollUpInput {
  /** Default 'type2'. A Type I roll-up reads design only: operating conclusions neither fail nor hold it open. */
  reportType?: ReportType;
  criteria: { id: string; title: string }[];
  controls: ControlOutcome[];
  scopeLimitations?: ScopeLimitation[];
  /** Criteria covered by a carved-out subservice organization's controls (CSOCs). */
  carvedOut?: string[];
  notApplicable?: NotApplicable[];
}

export interface NotApplicable {
  criterionId: string;
  reason: string;
}
