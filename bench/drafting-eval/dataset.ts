/** The labelled requests of bench/data/drafting-eval.json, parsed with zod so a typo in a label fails loudly. */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';

export const EvalCaseSchema = z.object({
  id: z.string().min(1),
  /** The requester's messages in one thread, oldest first. */
  messages: z.array(z.string().min(1)).min(1),
  expected: z.object({
    account: z.string().min(1),
    actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/)).min(1),
    resources: z.array(z.string().min(1)).min(1),
    durationMinutes: z.number().int().min(5),
  }),
  /** Why the label is what it is, when that is not obvious. */
  note: z.string().optional(),
});

export const EvalSetSchema = z.object({
  version: z.literal(1),
  description: z.string(),
  /** Org user id the requests are drafted for. */
  requester: z.string().min(1),
  requests: z.array(EvalCaseSchema).min(1),
});

export type EvalCase = z.infer<typeof EvalCaseSchema>;
export type EvalSet = z.infer<typeof EvalSetSchema>;

export async function loadEvalSet(path: string): Promise<EvalSet> {
  const set = EvalSetSchema.parse(JSON.parse(await readFile(path, 'utf8')));
  const ids = set.requests.map((r) => r.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate) throw new Error(`${path}: request id "${duplicate}" is used twice`);
  return set;
}
