import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderBlocks, renderConfirm, renderModal, renderMrkdwn, type RenderContext } from '../../../src/playground/block-kit/index.js';
import { fixture, loadFixtures, safetyProblems, startTags, visibleText } from './html-check.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));

const ctx: RenderContext = {
  userName: (id) => ({ U0BEN: 'Ben Okafor', U0ANA: 'Ana Lima' })[id],
  channelName: (id) => ({ C0ACCESSREQ: 'access-requests', C0SECURITY: 'security' })[id],
};

const blocksOf = (name: string) => renderBlocks(fixture(FIXTURES, name).blocks, ctx);

describe('every fixture', () => {
  for (const f of loadFixtures(FIXTURES)) {
    it(`${f.name}: renders only the renderer's own markup (${f.description})`, () => {
      const html = f.view === undefined ? renderBlocks(f.blocks, ctx) : renderModal(f.view, ctx);
      expect(html.length).toBeGreaterThan(0);
      expect(safetyProblems(html)).toEqual([]);
    });
  }
});

describe('header', () => {
  it('is plain text: asterisks and angle brackets show as typed', () => {
    const html = blocksOf('header');
    expect(html).toContain('<h3 class="bk-header__text">');
    expect(visibleText(html)).toBe('Ana Lima requests *access* to <payments-prod>');
    expect(html).not.toContain('<b>');
  });
});

describe('section with mrkdwn', () => {
  const html = blocksOf('section-mrkdwn');

  it('formats bold, italics, strike and inline code, and leaves snake_case alone', () => {
    expect(html).toContain('<b>bold</b>');
    expect(html).toContain('<i>italic</i>');
    expect(html).toContain('<s>strike</s>');
    expect(html).toContain('<code class="mk-code">inline code</code>');
    expect(visibleText(html)).toContain('snake_case_name stays plain');
  });

  it('shows code blocks verbatim, without formatting inside', () => {
    expect(html).toContain('<pre class="mk-pre">line one\n&lt;not a tag&gt; &amp; *not bold*</pre>');
  });

  it('turns web and mail links into links, decoding Slack’s entities in the URL', () => {
    expect(html).toContain('<a class="mk-link" href="https://example.com/runbook?a=1&amp;b=2" target="_blank" rel="noopener noreferrer">the runbook</a>');
    expect(html).toContain('href="mailto:ops@example.com"');
    expect(html).toContain('>https://example.com/bare</a>');
  });

  it('renders lists, with an indented line continuing its item, and quotes', () => {
    expect(html).toMatch(/<ul class="mk-list"><li>first item<\/li><li>second with <b>bold<\/b><br>continued line<\/li><\/ul>/);
    expect(html).toContain('<ol class="mk-list"><li>numbered</li></ol>');
    expect(html).toContain('<blockquote class="mk-quote">a quote</blockquote>');
  });

  it('names mentioned people and channels, and shows broadcasts, groups and dates by their labels', () => {
    expect(html).toContain('<span class="mk-mention" data-user-id="U0BEN">@Ben Okafor</span>');
    expect(html).toContain('<span class="mk-channel">#access-requests</span>');
    expect(html).toContain('<span class="mk-channel">#security</span>');
    expect(html).toContain('<span class="mk-mention mk-mention--broadcast">@here</span>');
    expect(html).toContain('<span class="mk-mention">@leads</span>');
    expect(visibleText(html)).toContain('Feb 18, 2014');
  });
});

describe('fields, context, divider and image', () => {
  it('lays out fields, mrkdwn ones formatted and plain ones not', () => {
    const html = blocksOf('section-fields');
    expect(startTags(html, 'div').filter((t) => t.includes('bk-field"'))).toHaveLength(4);
    expect(html).toContain('<b>Requester</b><br>Ana Lima');
    expect(visibleText(html)).toContain('*Duration*');
    expect(html).toContain('🟠 Medium');
  });

  it('renders context text and images, the divider and a titled image', () => {
    const html = blocksOf('context-divider-image');
    expect(html).toContain('<img class="bk-img-element" src="https://example.com/icon.png" alt="icon"');
    expect(html).toContain('Request <code class="mk-code">r-7k2m9x4q</code>');
    expect(html).toContain('plain &amp; simple');
    expect(html).toContain('<hr class="bk-divider__rule">');
    expect(html).toContain('<figcaption class="bk-image__title">Findings</figcaption>');
    expect(html).toContain('alt="findings by severity"');
  });
});

describe('interactive elements', () => {
  it('marks buttons with their action, block and style for the page to send block_actions', () => {
    const html = blocksOf('actions');
    const buttons = startTags(html, 'button');
    expect(buttons).toContain('<button type="button" class="bk-button bk-button--primary" data-bk-action="button" data-block-id="warden_actions" data-action-id="request.approve">');
    expect(buttons).toContain('<button type="button" class="bk-button bk-button--danger" data-bk-action="button" data-block-id="warden_actions" data-action-id="request.deny">');
    expect(buttons.some((b) => b.includes('data-url="https://example.com/docs"'))).toBe(true);
  });

  it('renders overflow menus, grouped selects and date pickers', () => {
    const html = blocksOf('actions');
    expect(html).toContain('<details class="bk-overflow">');
    expect(html).toContain('data-bk-action="overflow" data-block-id="warden_actions" data-action-id="more" data-option-value="snooze">Snooze</button>');
    expect(html).toContain('<optgroup label="Short"><option value="30">30 minutes</option></optgroup>');
    expect(html).toContain('<input class="bk-text bk-picker" type="date" value="2026-11-23" data-bk-action="datepicker"');
  });

  it('gives blocks without a block_id the positional id the event sender uses', () => {
    const html = blocksOf('section-accessories');
    expect(html).toContain('data-block-id="with-button" data-action-id="open"');
    expect(html).toContain('<option value="222222222222" selected>sandbox</option>');
    expect(html).toContain('<img class="bk-img-element" src="https://example.com/cat.png" alt="a cat"');
    expect(renderBlocks([{ type: 'divider' }, { type: 'actions', elements: [{ type: 'button', action_id: 'a', text: { type: 'plain_text', text: 'A' } }] }], ctx)).toContain('data-block-id="block-1" data-action-id="a"');
  });

  it('renders a confirm dialog with its own words and style', () => {
    const confirm = (fixture(FIXTURES, 'actions').blocks?.[0] as { elements: { confirm?: unknown }[] }).elements[1]?.confirm;
    const html = renderConfirm(confirm, ctx);
    expect(visibleText(html)).toBe('Deny this request? Ana will be told why. Keep it Deny');
    expect(html).toContain('<b>why</b>');
    expect(html).toContain('class="bk-button bk-button--danger" data-bk-confirm="confirm"');
    expect(safetyProblems(renderConfirm(undefined, ctx))).toEqual([]);
    expect(visibleText(renderConfirm(undefined, ctx))).toBe('Are you sure? Cancel Yes');
  });
});

describe('unknown block types and malformed blocks', () => {
  const html = blocksOf('unknown-and-malformed');

  it('show a labelled placeholder instead of failing', () => {
    const labels = [...html.matchAll(/Unsupported (block|element) <code>([^<]*)<\/code>/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(labels).toEqual([
      'block rich_text',
      'block video',
      'block &lt;img src=x onerror=alert(1)&gt;',
      'block without a type',
      'block not an object',
      'block not an object',
      'element workflow_button',
      'element users_select',
    ]);
  });

  it('still render what they can, and never load a script URL as an image', () => {
    expect(html).toContain('<h3 class="bk-header__text"></h3>');
    expect(html).not.toContain('javascript:');
    expect(visibleText(html)).toContain('🖼 bad');
  });

  it('copes with anything that is not a list of blocks', () => {
    expect(renderBlocks(undefined, ctx)).toBe('');
    expect(renderBlocks({ type: 'header' }, ctx)).toBe('');
  });
});

describe('escaping', () => {
  const html = blocksOf('hostile-text');

  it('shows every attempt at markup as text', () => {
    expect(safetyProblems(html)).toEqual([]);
    const text = visibleText(html);
    expect(text).toContain("<script>alert('h')</script>");
    expect(text).toContain('<script>alert(1)</script> <!channel>');
    expect(text).toContain('<img src=x onerror=alert(1)>');
    expect(text).toContain('<b>not html</b>');
    expect(html).not.toContain('mk-mention--broadcast');
  });

  it('never links anything but web and mail addresses', () => {
    expect(html).not.toMatch(/href="javascript/i);
    expect(visibleText(html)).toContain('<javascript:alert(1)|click>');
    expect(html).toContain('href="https://x.example/&quot; onmouseover=&quot;alert(1)"');
  });

  it('drops the renderer’s own placeholder characters from input', () => {
    expect(visibleText(html)).toContain('0 placeholders typed by someone');
    expect(html).toContain('<span class="mk-text">0 placeholders typed by someone</span>');
  });

  it('escapes text a person typed, as Slack clients send it (&lt; &gt; &amp;)', () => {
    const typed = renderMrkdwn('&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; &amp;lt;', ctx);
    expect(typed).toBe('<span class="mk-text">&lt;script&gt;alert(1)&lt;/script&gt; &lt;!channel&gt; &amp;lt;</span>');
  });

  it('shows an unknown control sequence as typed', () => {
    expect(visibleText(renderMrkdwn('<script> and <!unknown>', ctx))).toBe('<script> and <!unknown>');
  });
});

describe('modal', () => {
  const html = renderModal(fixture(FIXTURES, 'modal-inputs').view, { ...ctx, errors: { duration: 'Give a whole number of minutes, at least 5.' } });

  it('has the title, the close and submit buttons the view names', () => {
    expect(html).toContain('<h2 class="bk-modal__title" id="bk-modal-title">Request AWS access</h2>');
    expect(html).toContain('data-view-id="V0TESTVIEW"');
    expect(html).toContain('<button type="button" class="bk-button" data-bk-modal="close">Cancel</button>');
    expect(html).toContain('<button type="submit" class="bk-button bk-button--primary" data-bk-modal="submit">Draft</button>');
  });

  it('renders each input with its label, hint, limits and initial value', () => {
    expect(html).toContain('<label class="bk-input__label" id="bk-input-account-value-label" for="bk-input-account-value">Account</label><select class="bk-select" id="bk-input-account-value" data-bk-control="static_select">');
    expect(html).toContain('<option value="222222222222" selected>sandbox (222222222222)</option>');
    expect(html).toContain('<textarea class="bk-textarea" rows="4" minlength="3" id="bk-input-justification-value" data-bk-control="plain_text_input">debug &lt;the&gt; export</textarea>');
    expect(html).toContain('<p class="bk-input__hint">Why you need it.</p>');
    expect(html).toContain('Ticket <span class="bk-input__optional">(optional)</span>');
    expect(html).toContain('placeholder="OPS-123" maxlength="20"');
    expect(html).toContain('type="number" inputmode="decimal" step="1" value="60" min="5" max="480"');
    expect(html).toContain('<select class="bk-select bk-select--multi" multiple size="3"');
    expect(html).toContain('<option value="s3" selected>S3</option>');
    expect(html).toContain('type="datetime-local" value=""');
    expect(html).toContain('<div class="bk-choices" role="radiogroup" aria-labelledby="bk-input-level-value-label"');
    expect(html).toContain('<input type="radio" name="bk-input-level-value:value" value="Read"><span>Read</span><span class="bk-choice__hint">look, don&#39;t touch</span>');
    expect(html).toContain('<span><span class="mk-text"><b>Write</b></span></span>');
    expect(html).toContain('Unsupported element <code>color_picker</code>');
  });

  it('shows the bot’s validation errors under their field', () => {
    expect(html).toContain('data-bk-input="number_input" data-block-id="duration" data-action-id="value"');
    expect(html).toMatch(/bk-input__field--invalid" data-bk-input="number_input" data-block-id="duration"[\s\S]*<p class="bk-input__error" role="alert">Give a whole number of minutes, at least 5.<\/p>/);
    expect(html.match(/bk-input__error/g)).toHaveLength(1);
  });

  it('shows a datetimepicker’s initial time in the page’s time zone', () => {
    const at = Date.UTC(2026, 10, 23, 9, 30) / 1000;
    const view = { id: 'V1', blocks: [{ type: 'input', block_id: 'start', label: { type: 'plain_text', text: 'Start' }, element: { type: 'datetimepicker', action_id: 'value', initial_date_time: at } }] };
    const local = new Date(at * 1000);
    const expected = `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}T${String(local.getHours()).padStart(2, '0')}:30`;
    expect(renderModal(view, ctx)).toContain(`value="${expected}"`);
  });

  it('falls back to "Modal" and a Close button for a bare view', () => {
    const bare = renderModal({}, ctx);
    expect(visibleText(bare)).toBe('Modal × Close');
    expect(safetyProblems(bare)).toEqual([]);
  });
});
