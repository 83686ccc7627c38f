import { z } from 'zod';
import { COMPLEMENTARY_KINDS } from '../../db/schema/index.js';
import { stringList, text } from '../shared/forms.js';

export const complementaryForm = z
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
  .refine((v) => v.kind === 'cuec' || v.subserviceOrgId !== null, { message: 'Choose the carved-out subservice organization that operates this control.', path: ['subserviceOrgId'] });
export type ComplementaryInput = z.infer<typeof complementaryForm>;
