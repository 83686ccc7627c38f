// The firm's extension policy, read in this one place by the workpaper's evaluation and the sampling calculator.
// Today it is the default of domain/evaluation.ts; the firm's methodology settings (and the copy of them an
// engagement keeps) will answer here, so both screens follow the same setting.
import { DEFAULT_MAX_DEVIATIONS_TO_EXTEND } from '../../domain/evaluation.js';

export interface ExtensionPolicy {
  /** An extension is proposed once, only after at most this many deviations. */
  maxDeviationsToExtend: number;
}

/** The policy for an engagement's workpapers, or the firm's for the calculator (no engagement). */
export function extensionPolicy(_engagementId: number | null): ExtensionPolicy {
  return { maxDeviationsToExtend: DEFAULT_MAX_DEVIATIONS_TO_EXTEND };
}
