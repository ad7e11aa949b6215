import { describe, expect, it } from 'vitest';
import { teamsMarkdown } from '../../../src/playground/web/teams/markdown.js';

describe('teamsMarkdown', () => {
  it('renders the subset Warden uses', () => {
    expect(teamsMarkdown('**Ana** asks for `s3:GetObject`')).toBe('<strong>Ana</strong> asks for <code class="tm-code">s3:GetObject</code>');
    expect(teamsMarkdown('Why:\n- one\n- two\nend')).toBe('Why:<ul class="tm-list"><li>one</li><li>two</li></ul>end');
    expect(teamsMarkdown('see [docs](https://example.com/a)')).toContain('<a class="mk-link" href="https://example.com/a"');
  });

  it('shows what people typed as text, never as markup', () => {
    const html = teamsMarkdown('<script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('href="javascript');
    expect(html).toContain('&lt;script&gt;');
  });
});
