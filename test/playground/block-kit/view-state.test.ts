import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { actionSelection, buildViewState, inputFields, validateInputs } from '../../../src/playground/block-kit/index.js';
import { parseDenyModal, parseRequestModal, denyModal, requestModal } from '../../../src/chat/slack/modals.js';
import { fixture } from './html-check.js';

const FIXTURES = fileURLToPath(new URL('./fixtures', import.meta.url));
const blocks = (fixture(FIXTURES, 'modal-inputs').view as { blocks: unknown[] }).blocks;

describe('view state from what the person entered', () => {
  it('lists the input blocks with their ids and element types', () => {
    expect(inputFields(blocks).map((f) => `${f.blockId}.${f.actionId}:${f.type}${f.optional ? '?' : ''}`)).toEqual([
      'account.value:static_select',
      'justification.value:plain_text_input',
      'ticket.value:plain_text_input?',
      'duration.value:number_input',
      'services.value:multi_static_select',
      'start.value:datetimepicker?',
      'level.value:radio_buttons',
      'colour.value:color_picker',
    ]);
  });

  it('builds Slack’s state.values: values, echoed option objects, null when empty, Unix seconds', () => {
    const state = buildViewState(blocks, {
      account: { value: '111111111111' },
      justification: { value: 'debug the export' },
      ticket: { value: '' },
      duration: { value: '120' },
      services: { value: ['s3', 'kms', 'not-an-option'] },
      start: { value: '1795420800' },
      level: { value: 'Write' },
    });
    expect(state['account']?.['value']).toEqual({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'payments-prod (111111111111)' }, value: '111111111111' } });
    expect(state['justification']?.['value']).toEqual({ type: 'plain_text_input', value: 'debug the export' });
    expect(state['ticket']?.['value']).toEqual({ type: 'plain_text_input', value: null });
    expect(state['duration']?.['value']).toEqual({ type: 'number_input', value: '120' });
    expect(state['services']?.['value']).toEqual({
      type: 'multi_static_select',
      selected_options: [
        { text: { type: 'plain_text', text: 'S3' }, value: 's3' },
        { text: { type: 'plain_text', text: 'KMS' }, value: 'kms' },
      ],
    });
    expect(state['start']?.['value']).toEqual({ type: 'datetimepicker', selected_date_time: 1795420800 });
    expect(state['level']?.['value']).toEqual({ type: 'radio_buttons', selected_option: { text: { type: 'mrkdwn', text: '*Write*' }, value: 'Write' } });
    // Every input block is in the state, even one the page cannot render a control for.
    expect(state['colour']?.['value']).toEqual({ type: 'color_picker', value: null });
  });

  it('is what Warden’s own form parsers accept', () => {
    const form = requestModal([{ id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' }], {}, '{}');
    const state = buildViewState(form.blocks, {
      account: { value: '111111111111' },
      service: { value: 's3' },
      access_level: { value: 'Read' },
      resources: { value: 'billing-reports' },
      duration: { value: '30' },
      justification: { value: 'debug the export' },
    });
    const parsed = parseRequestModal(state, 'ana');
    expect(parsed).toMatchObject({ ok: true, input: { account: '111111111111', service: 's3', accessLevel: 'Read', resources: ['billing-reports'], durationMinutes: 30 } });
    expect(parseDenyModal(buildViewState(denyModal('r-1').blocks, { reason: { value: 'use the export role' } }))).toBe('use the export role');
  });
});

describe('the checks a Slack client makes before submitting', () => {
  it('asks for required fields, lengths, whole numbers in range and at most N choices', () => {
    expect(
      validateInputs(blocks, {
        account: { value: null },
        justification: { value: 'ok' },
        ticket: { value: 'x'.repeat(21) },
        duration: { value: '2.5' },
        services: { value: ['s3', 'kms', 'dynamodb'] },
        level: { value: null },
      }),
    ).toEqual({
      account: 'Please complete this required field.',
      justification: 'Please enter at least 3 characters.',
      ticket: 'Please enter no more than 20 characters.',
      duration: 'Please enter a whole number.',
      services: 'Please choose no more than 2.',
      level: 'Please complete this required field.',
      // The page shows no control for a colour picker, so it cannot ask for one.
    });
    expect(validateInputs(blocks, { duration: { value: '1' } })['duration']).toBe('Please enter a number of at least 5.');
    expect(validateInputs(blocks, { duration: { value: 'abc' } })['duration']).toBe('Please enter a number.');
  });

  it('passes a complete form, optional fields left empty', () => {
    const errors = validateInputs(blocks, {
      account: { value: '111111111111' },
      justification: { value: 'debug the export' },
      ticket: { value: '' },
      duration: { value: '60' },
      services: { value: ['s3'] },
      start: { value: null },
      level: { value: 'Read' },
      colour: { value: '#ff0000' },
    });
    expect(errors).toEqual({});
  });
});

describe('block_actions fields for a choice', () => {
  const select = { type: 'static_select', action_id: 'a', options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }] };

  it('sends the chosen option of a select or overflow, and nothing extra for a button', () => {
    expect(actionSelection(select, '1')).toEqual({ type: 'static_select', selected_option: { text: { type: 'plain_text', text: 'One' }, value: '1' } });
    expect(actionSelection({ ...select, type: 'overflow' }, '1')).toEqual({ type: 'overflow', selected_option: { text: { type: 'plain_text', text: 'One' }, value: '1' } });
    expect(actionSelection({ ...select, type: 'multi_static_select' }, ['1'])).toEqual({ type: 'multi_static_select', selected_options: [{ text: { type: 'plain_text', text: 'One' }, value: '1' }] });
    expect(actionSelection({ type: 'datepicker', action_id: 'd' }, '2026-11-23')).toEqual({ type: 'datepicker', selected_date: '2026-11-23' });
    expect(actionSelection({ type: 'button', action_id: 'b', value: 'r-1' }, null)).toEqual({});
  });
});
