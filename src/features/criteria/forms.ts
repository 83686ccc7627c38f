import { z } from 'zod';
import { text } from '../../core/http/forms.js';

export const objectiveForm = z.object({
  reference: text('Reference', 40).transform((s) => s.replace(/\s+/g, ' ')),
  text: text('Objective', 1000),
});

export const moveForm = z.object({ direction: z.enum(['up', 'down'], { error: 'Move up or down.' }) });
