import { describe, expect, it } from 'vitest';
import { buildViewState, renderModal, validateInputs } from '../../../src/playground/block-kit/index.js';
import { requestModal } from '../../../src/chat/slack/modals.js';
import { parseRequestModal } from '../../../src/chat/slack/modals.js';
import { sampleOrg } from '../../support/org.js';
import { safetyProblems, startTags, visibleText } from './html-check.js';

const ctx = { userName: () => undefined, channelName: () => undefined };
const form = requestModal(sampleOrg.accounts, {}, '{}', { resourcePicker: true });

describe('an external select in a modal', () => {
  it('renders a search box with the element’s minimum query length and an empty list of matches', () => {
    const html = renderModal(form, ctx);
    expect(safetyProblems(html)).toEqual([]);
    expect(html).not.toContain('Unsupported element');
    const [query] = startTags(html, 'input').filter((t) => t.includes('data-bk-external-query'));
    expect(query).toContain('data-bk-external-query="1"');
    expect(query).toContain('placeholder="Type part of a name"');
    const [matches] = startTags(html, 'select').filter((t) => t.includes('data-bk-external-results'));
    expect(matches).toContain('multiple');
    expect(visibleText(html)).toContain('Search the account');
  });

  it('shows initial options as chosen matches', () => {
    const html = renderModal(
      {
        type: 'modal',
        title: { type: 'plain_text', text: 'Pick' },
        blocks: [
          {
            type: 'input',
            block_id: 'b',
            label: { type: 'plain_text', text: 'Queue' },
            element: { type: 'external_select', action_id: 'q', initial_option: { text: { type: 'plain_text', text: 'orders <main>' }, value: 'arn:aws:sqs:eu-west-1:111111111111:orders' } },
          },
        ],
      },
      ctx,
    );
    expect(safetyProblems(html)).toEqual([]);
    expect(startTags(html, 'option')).toEqual(['<option value="arn:aws:sqs:eu-west-1:111111111111:orders" selected>']);
    expect(visibleText(html)).toContain('orders <main>');
    // A single external select: one match at a time; the default minimum query length is Slack's 3.
    expect(startTags(html, 'select')[0]).not.toContain('multiple');
    expect(startTags(html, 'input')[0]).toContain('data-bk-external-query="3"');
  });

  it('submits the chosen values as selected_options, which the request form reads as resources', () => {
    const raw = {
      account: { value: '111111111111' },
      service: { value: 'sqs' },
      access_level: { value: 'Read' },
      picked_resources: { value: ['arn:aws:sqs:eu-west-1:111111111111:orders'] },
      resources: { value: '' },
      duration: { value: '60' },
      justification: { value: 'stuck messages' },
    };
    // The picker and the names field are both optional: the page sends the form as it is.
    expect(validateInputs(form.blocks, raw)).toEqual({});
    const state = buildViewState(form.blocks, raw);
    expect(state['picked_resources']?.['value']).toEqual({
      type: 'multi_external_select',
      selected_options: [{ text: { type: 'plain_text', text: 'arn:aws:sqs:eu-west-1:111111111111:orders' }, value: 'arn:aws:sqs:eu-west-1:111111111111:orders' }],
    });
    const parsed = parseRequestModal(state, 'ana');
    expect(parsed.ok && parsed.input.resources).toEqual(['arn:aws:sqs:eu-west-1:111111111111:orders']);
  });
});
