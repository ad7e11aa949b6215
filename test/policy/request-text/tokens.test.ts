import { describe, expect, it } from 'vitest';
import { cleanChatMarkup, matchPhrases, tokenize } from '../../../src/policy/request-text/tokens.js';

describe('tokenize', () => {
  it('keeps ARNs, s3 URIs and quoted names whole and drops trailing punctuation', () => {
    const tokens = tokenize('Read arn:aws:s3:::billing-reports/*, s3://logs/2024/ and `orders` or "user-profiles". Thanks!');
    expect(tokens.map((t) => [t.kind, t.text])).toEqual([
      ['word', 'Read'],
      ['arn', 'arn:aws:s3:::billing-reports/*'],
      ['separator', ','],
      ['s3-uri', 's3://logs/2024/'],
      ['word', 'and'],
      ['quoted', 'orders'],
      ['word', 'or'],
      ['quoted', 'user-profiles'],
      ['word', 'Thanks'],
    ]);
  });

  it('does not read an apostrophe as a quote', () => {
    expect(tokenize("what's in 'orders'").map((t) => t.text)).toEqual(['what', 's', 'in', 'orders']);
  });
});

describe('cleanChatMarkup', () => {
  it('replaces Slack mentions, channels and links by what a person reads', () => {
    expect(cleanChatMarkup('<@U0BEN> see <#C0ACCESS|access-requests> and <https://x.example/a|the runbook>')).toBe(
      '  see #access-requests and the runbook',
    );
  });
});

describe('matchPhrases', () => {
  it('matches whole tokens, longest phrase first, each token once', () => {
    const tokens = tokenize('list buckets then list the read-logs bucket');
    const hits = matchPhrases(tokens, [
      { phrase: 'list', value: 'list-objects' },
      { phrase: 'list buckets', value: 'list-buckets' },
      { phrase: 'read', value: 'read' },
    ]);
    expect(hits.map((h) => [h.phrase, h.values])).toEqual([
      ['list buckets', ['list-buckets']],
      ['list', ['list-objects']],
    ]);
  });
});
