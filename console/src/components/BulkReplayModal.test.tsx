import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeApi, renderSignedIn } from '../test/render';
import { BulkReplayModal, cleanFilter } from './BulkReplayModal';

afterEach(() => vi.unstubAllGlobals());

const job = (over: object) => ({ id: null, name: null, status: null, dryRun: true, matched: 3, dispatched: 0, skipped: 0, succeeded: 0, failed: 0, ratePerSecond: null, filter: {}, createdAt: null, updatedAt: null, ...over });

describe('bulk replay', () => {
  it('counts the matches with a dry run before it can start, then starts with the rate', async () => {
    const api = fakeApi((_m, _u, body) => ((body as { dryRun?: boolean }).dryRun ? [200, job({})] : [202, job({ id: 'rpj_1', status: 'RUNNING', dryRun: false })]));
    renderSignedIn(<BulkReplayModal visible filter={{ instanceId: 'ins_1', unresolved: true, originalsOnly: false }} onDismiss={() => {}} />);
    const start = () => screen.getByRole('button', { name: 'Start replay' });
    expect(start()).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Count matches (dry run)' }));
    expect(await screen.findByText('3 executions match.')).toBeInTheDocument();
    expect(api.calls[0].body).toEqual({ filter: { instanceId: 'ins_1', unresolved: true }, dryRun: true });
    fireEvent.change(screen.getByLabelText('Replays per second'), { target: { value: '2000' } });
    await waitFor(() => expect(start()).toBeDisabled());
    fireEvent.change(screen.getByLabelText('Replays per second'), { target: { value: '20' } });
    await waitFor(() => expect(start()).toBeEnabled());
    await userEvent.click(start());
    await waitFor(() => expect(api.calls).toHaveLength(2));
    expect(api.calls[1].body).toEqual({ filter: { instanceId: 'ins_1', unresolved: true }, ratePerSecond: 20 });
  });

  it('a filter is cleaned of what is not set', () => {
    expect(cleanFilter({ instanceId: 'i', status: undefined, originalsOnly: false, unresolved: true, since: '' })).toEqual({ instanceId: 'i', unresolved: true });
  });
});

describe('bulk cancellation', () => {
  it('counts the matches with a dry run on /cancellations before it can start, then starts the job there', async () => {
    const api = fakeApi((_m, _u, body) => ((body as { dryRun?: boolean }).dryRun ? [200, job({ kind: 'CANCEL', matched: 2 })] : [202, job({ id: 'rpj_9', kind: 'CANCEL', status: 'RUNNING', dryRun: false })]));
    renderSignedIn(<BulkReplayModal visible kind="cancel" filter={{ instanceId: 'ins_1', status: 'HELD' }} onDismiss={() => {}} />);
    const start = () => screen.getByRole('button', { name: 'Start cancelling' });
    expect(start()).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Count matches (dry run)' }));
    expect(await screen.findByText('2 executions match.')).toBeInTheDocument();
    expect(api.calls[0].url.pathname).toBe('/cancellations');
    expect(api.calls[0].body).toEqual({ filter: { instanceId: 'ins_1', status: 'HELD' }, dryRun: true });
    fireEvent.change(screen.getByLabelText('Job name'), { target: { value: 'drop the test orders' } });
    await userEvent.click(start());
    await waitFor(() => expect(api.calls).toHaveLength(2));
    expect(api.calls[1].url.pathname).toBe('/cancellations');
    expect(api.calls[1].body).toEqual({ filter: { instanceId: 'ins_1', status: 'HELD' }, name: 'drop the test orders' });
  });

  it('a dry run that matches nothing cannot start a job', async () => {
    fakeApi(() => [200, job({ kind: 'CANCEL', matched: 0 })]);
    renderSignedIn(<BulkReplayModal visible kind="cancel" filter={{ instanceId: 'ins_1', status: 'HELD' }} onDismiss={() => {}} />);
    await userEvent.click(screen.getByRole('button', { name: 'Count matches (dry run)' }));
    expect(await screen.findByText(/0 executions match\. Nothing to cancel\./)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Start cancelling' })).toBeDisabled();
  });
});
