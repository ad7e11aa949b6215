import { z } from 'zod';
import { FINDING_STATUSES, SEVERITIES, TOOLS } from './finding.js';
import { MAPPING_SOURCES } from './wafr/mapper.js';
import { PILLARS, type PillarId } from './wafr/catalog-types.js';

/** A stored finding as read back from any scan store: untrusted until it parses. */
export const ScanFindingSchema = z.object({
  key: z.string(),
  tools: z.array(z.enum(TOOLS)).min(1),
  checkId: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  status: z.enum(FINDING_STATUSES),
  resource: z.string(),
  region: z.string(),
  account: z.string(),
  service: z.string(),
  remediation: z.string(),
  detail: z.string(),
  practices: z.array(z.string()),
  pillars: z.array(z.enum(PILLARS.map((p) => p.id) as [PillarId, ...PillarId[]])),
  mappedBy: z.enum(MAPPING_SOURCES),
  raw: z.object({ file: z.string(), line: z.number().int(), record: z.number().int().optional() }),
});
