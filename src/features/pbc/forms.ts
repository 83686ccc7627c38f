import { z } from 'zod';
import { PBC_STATUSES } from '../../domain/pbc.js';
import { optionalIsoDate, optionalText, text } from '../../core/http/forms.js';

export const pbcForm = z.object({
  reference: z.string().trim().max(20).optional().default(''),
  description: text('What is requested', 2000),
  controls: z.string().max(2000).optional().default(''),
  ownerName: optionalText('Client owner', 200),
  ownerEmail: z
    .string()
    .trim()
    .max(254)
    .optional()
    .default('')
    .refine((v) => v === '' || /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v), 'Enter a valid email address.'),
  dueDate: optionalIsoDate('Due date'),
  status: z.enum(PBC_STATUSES, { error: 'Choose a status.' }).optional().default('open'),
  answer: optionalText('What answered it', 2000),
});
export type PbcInput = z.infer<typeof pbcForm>;

/** Control references typed as a list: "CC6.2-01, CC6.3-01". */
export function splitControls(value: string): string[] {
  return [
    ...new Set(
      value
        .split(/[,;\n]+/)
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
}
