import { z } from 'zod';
import { COMPLEMENTARY_KINDS } from '../../db/schema/index.js';
import type { Vocabulary } from '../../domain/vocabulary.js';
import { stringList, text } from '../../core/http/forms.js';

/** The form, its messages in the engagement's words ("subservice organisation" under ISAE). */
export const complementaryForm = (words: Pick<Vocabulary, 'subserviceOrganization'>) =>
  z
    .object({
      kind: z.enum(COMPLEMENTARY_KINDS, { error: 'Choose CUEC or CSOC.' }),
      reference: text('Reference', 40).transform((s) => s.replace(/\s+/g, ' ')),
      description: text('Description', 2000),
      subserviceOrgId: z
        .string()
        .optional()
        .transform((v) => (v && /^\d+$/.test(v) ? Number(v) : null)),
      criteria: stringList,
    })
    .refine((v) => v.kind === 'cuec' || v.subserviceOrgId !== null, {
      message: `Choose the carved-out ${words.subserviceOrganization} that operates this control.`,
      path: ['subserviceOrgId'],
    });
export type ComplementaryInput = z.infer<ReturnType<typeof complementaryForm>>;
