import { blockIdOf } from './blocks.js';
import { isRecord, rec, records, str, type JsonRecord } from './json-read.js';

export interface FoundElement {
  blockId: string;
  element: JsonRecord;
}

/**
 * The interactive element with this action_id (in this block, when given) among a message's or a
 * view's blocks: in an actions block, a section accessory, or an input block.
 */
export function findElement(blocks: unknown, actionId: string, blockId?: string): FoundElement | undefined {
  if (!Array.isArray(blocks)) return undefined;
  for (const [index, block] of blocks.entries()) {
    if (!isRecord(block)) continue;
    const id = blockIdOf(block, index);
    if (blockId !== undefined && id !== blockId) continue;
    const candidates = [...records(block, 'elements'), rec(block, 'accessory'), rec(block, 'element')];
    const element = candidates.find((c) => c !== undefined && str(c, 'action_id') === actionId);
    if (element) return { blockId: id, element };
  }
  return undefined;
}
