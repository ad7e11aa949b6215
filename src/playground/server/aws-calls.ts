import { z } from 'zod';
import type { AuditEvent } from '../../access/types.js';
import type { AwsCallView } from '../api-types.js';

/** The detail the dry-run granter records for each AWS call (see src/warden.ts). */
const AwsCallDetail = z.looseObject({
  mode: z.string().default('dry-run'),
  service: z.string(),
  operation: z.string(),
  input: z.record(z.string(), z.unknown()).default({}),
});

export const AWS_CALL_EVENT = 'aws.call';

/** IAM takes policy documents as JSON strings; people read them pretty-printed. */
function prettyDocument(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return undefined;
  }
}

/** The recorded AWS calls, oldest first, with their policy documents pulled out and pretty-printed. */
export function awsCallsFrom(events: readonly AuditEvent[]): AwsCallView[] {
  return events.flatMap((event) => {
    if (event.type !== AWS_CALL_EVENT) return [];
    const detail = AwsCallDetail.safeParse(event.detail);
    if (!detail.success) return [];
    const params: Record<string, unknown> = {};
    const documents: AwsCallView['documents'] = [];
    for (const [key, value] of Object.entries(detail.data.input)) {
      const pretty = key.endsWith('PolicyDocument') ? prettyDocument(value) : undefined;
      if (pretty === undefined) params[key] = value;
      else documents.push({ name: key, json: pretty });
    }
    return [{ id: event.id, at: event.at, requestId: event.requestId, mode: detail.data.mode, service: detail.data.service, operation: detail.data.operation, params, documents }];
  });
}
