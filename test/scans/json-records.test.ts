import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { IssueLog } from '../../src/scans/parsers/issues.js';
import { readJsonRecords, type JsonRecord } from '../../src/scans/parsers/json-records.js';

const OCSF = readFileSync('../shared/fixtures/scans/prowler/example_output_aws.ocsf.json', 'utf8');

/** Feeds `text` in chunks of `size` characters, so records and tokens straddle chunk edges. */
async function* chunks(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

async function read(text: string, size = 7, maxRecordChars?: number) {
  const issues = new IssueLog();
  const records: JsonRecord[] = [];
  for await (const r of readJsonRecords(chunks(text, size), { file: 'f.json', issues, ...(maxRecordChars ? { maxRecordChars } : {}) })) records.push(r);
  return { records, issues };
}

/** The check ids of the records that are Prowler findings (after damage, a nested object may be framed as a record; the Prowler parser rejects those). */
function codes(records: JsonRecord[]): string[] {
  return records.flatMap((r) => {
    const code = (r.value as { metadata?: { event_code?: string } }).metadata?.event_code;
    return code ? [code] : [];
  });
}

const ALL = [
  'accessanalyzer_enabled',
  'account_maintain_current_contact_details',
  'account_maintain_different_contact_details_to_security_billing_and_operations',
  'account_security_contact_information_is_registered',
  'account_security_questions_are_registered_in_the_aws_account',
];

/** Line (1-based) of the n-th occurrence of `needle`. */
function lineOf(text: string, needle: string, nth = 0): number {
  let at = -1;
  for (let k = 0; k <= nth; k++) at = text.indexOf(needle, at + 1);
  return text.slice(0, at).split('\n').length;
}

describe('readJsonRecords', () => {
  it('reads every record of the real Prowler file, whatever the chunk size', async () => {
    for (const size of [1, 7, 4096, 1 << 20]) {
      const { records, issues } = await read(OCSF, size);
      expect(codes(records)).toEqual(ALL);
      expect(issues.total).toBe(0);
    }
    const { records } = await read(OCSF);
    expect(records[1]!.at).toEqual({ line: lineOf(OCSF, '\n  {', 1) + 1, column: 3 });
    expect(records.map((r) => r.index)).toEqual([0, 1, 2, 3, 4]);
  });

  it('a truncated file keeps the complete records and says where it was cut', async () => {
    const cut = OCSF.indexOf('"event_code": "account_security_contact_information_is_registered"');
    const { records, issues } = await read(OCSF.slice(0, cut));
    expect(codes(records)).toEqual(ALL.slice(0, 3));
    expect(issues.total).toBe(1);
    expect(issues.kept[0]).toMatchObject({ file: 'f.json', record: 3, at: { line: lineOf(OCSF, '\n  {', 3) + 1, column: 3 } });
    expect(issues.kept[0]!.message).toMatch(/truncated/);
  });

  it('a file cut between records, before "]", keeps them all and says it is truncated', async () => {
    const cut = OCSF.lastIndexOf('}') + 1;
    const { records, issues } = await read(OCSF.slice(0, cut));
    expect(codes(records)).toEqual(ALL);
    expect(issues.kept.map((i) => i.message)).toEqual([expect.stringMatching(/before the closing "\]"/)]);
  });

  it('a corrupted value costs only its record, and the error points at it', async () => {
    const bad = OCSF.replace('"severity": "Medium"', '"severity": Mdium');
    const { records, issues } = await read(bad);
    expect(codes(records)).toEqual([ALL[0], ...ALL.slice(2)]);
    expect(issues.total).toBe(1);
    const line = lineOf(bad, 'Mdium');
    expect(issues.kept[0]).toMatchObject({ record: 1, at: { line, column: bad.split('\n')[line - 1]!.indexOf('Mdium') + 1 } });
    expect(issues.kept[0]!.message).toMatch(/invalid JSON/);
  });

  it('a lost closing brace does not swallow the records after it', async () => {
    // Remove the "}" closing record 1 (the line "  }," before record 2).
    const second = OCSF.indexOf('\n  {', OCSF.indexOf('\n  {') + 1);
    const third = OCSF.indexOf('\n  },', second);
    const bad = OCSF.slice(0, third) + '\n  ,' + OCSF.slice(third + 4);
    const { records, issues } = await read(bad);
    expect(codes(records)).toEqual([ALL[0], ...ALL.slice(2)]);
    expect(issues.total).toBe(1);
  });

  it('garbage between records is reported and skipped', async () => {
    const second = OCSF.indexOf('\n  {', OCSF.indexOf('\n  {') + 1);
    const bad = OCSF.slice(0, second) + '\n  @@garbage@@' + OCSF.slice(second);
    const { records, issues } = await read(bad);
    expect(codes(records)).toEqual(ALL);
    expect(issues.total).toBe(1);
    expect(issues.kept[0]!.message).toMatch(/unexpected "@"/);
  });

  it('an unterminated string resynchronises at the next record', async () => {
    const bad = OCSF.replace('"status_code": "FAIL"', '"status_code": "FAIL');
    for (const size of [7, 4096]) {
      const { records, issues } = await read(bad, size);
      expect(codes(records)).toEqual(ALL.slice(1));
      expect(issues.total).toBe(1);
      const line = lineOf(bad, '"status_code": "FAIL');
      expect(issues.kept[0]).toMatchObject({ record: 0, at: { line, column: bad.split('\n')[line - 1]!.length + 1 } });
      // Positions after the damage are still right.
      expect(records[0]!.at.line).toBe(lineOf(bad, '\n  {', 1) + 1);
    }
  });

  it('minified arrays and NDJSON work too, and recover from damage', async () => {
    const values = JSON.parse(OCSF) as unknown[];
    const minified = JSON.stringify(values);
    expect(codes((await read(minified)).records)).toEqual(ALL);
    const damaged = minified.replace('"severity":"Medium"', '"severity":Mdium');
    const r1 = await read(damaged);
    expect(codes(r1.records)).toEqual([ALL[0], ...ALL.slice(2)]);
    const ndjson = values.map((v) => JSON.stringify(v)).join('\n') + '\n';
    expect(codes((await read(ndjson)).records)).toEqual(ALL);
    const r2 = await read(ndjson.replace('"severity":"Medium"', '"severity":Mdium'));
    expect(codes(r2.records)).toEqual([ALL[0], ...ALL.slice(2)]);
  });

  it('an oversized record is skipped and the next records are still read', async () => {
    const values = JSON.parse(OCSF) as { message: string }[];
    values[2]!.message = 'x'.repeat(50_000);
    const text = JSON.stringify(values, null, 2);
    const { records, issues } = await read(text, 4096, 20_000);
    expect(codes(records)).toEqual([...ALL.slice(0, 2), ...ALL.slice(3)]);
    expect(issues.kept[0]!.message).toMatch(/longer than 20000/);
  });

  it('strings with escaped quotes, backslashes and brackets read the same at every chunk boundary', async () => {
    const tricky = ['a\\"b', '\\', '\\\\', 'x\\\\"', '{[}]', 'q"uo"te', 'ünïcödé ✓', 'tab\tnl\n', ''];
    const values = tricky.map((text, i) => ({ metadata: { event_code: `c${i}` }, text, nested: [{ text }, text] }));
    const json = JSON.stringify(values, null, 2);
    for (const size of [1, 2, 3, 5, 7, 11, 13]) {
      const { records, issues } = await read(json, size);
      expect(issues.total).toBe(0);
      expect(records.map((r) => r.value)).toEqual(values);
    }
  });

  it('an empty file and a non-JSON file are reported, not thrown', async () => {
    expect((await read('')).issues.kept[0]!.message).toMatch(/empty/);
    const { records, issues } = await read('hello, world');
    expect(records).toEqual([]);
    expect(issues.kept[0]!.message).toMatch(/does not start with/);
  });
});
