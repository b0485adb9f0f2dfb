import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Alert, Execution, Monitor } from '../api/types';
import { fakeApi, renderSignedIn } from '../test/render';
import { AlertsTable } from './AlertsTable';
import { CancelExecutionModal, cancellable } from './CancelExecutionModal';
import { MuteMonitorModal, muteUntil } from './MuteMonitorModal';

afterEach(() => vi.unstubAllGlobals());

const NOW = new Date('2026-12-05T09:00:00.250Z');
const monitor = { id: 'mon_1', name: 'Order failures', scope: { instanceId: 'ins_1', flowConfigId: null, customerId: null }, triggers: [], channels: [], createdAt: '2026-12-01T00:00:00Z', mutedUntil: null } as Monitor;

describe('muting a monitor', () => {
  it('computes the end of the mute in whole seconds, up to 90 days', () => {
    expect(muteUntil(NOW, '2', 'hours')).toEqual({ until: '2026-12-05T11:00:00Z' });
    expect(muteUntil(NOW, '90', 'days')).toEqual({ until: '2027-03-05T09:00:00Z' });
    expect(muteUntil(NOW, '91', 'days')).toEqual({ error: 'At most 90 days' });
    expect(muteUntil(NOW, '2161', 'hours')).toEqual({ error: 'At most 90 days' });
    for (const bad of ['', '0', '-1', 'abc']) expect(muteUntil(NOW, bad, 'minutes')).toEqual({ error: 'A number greater than 0' });
  });

  it('sends mutedUntil with PATCH, and refuses a mute past 90 days before sending anything', async () => {
    const api = fakeApi((_m, _u, body) => [200, { ...monitor, ...(body as object) }]);
    const onMuted = vi.fn();
    renderSignedIn(<MuteMonitorModal monitor={monitor} onDismiss={() => {}} onMuted={onMuted} now={() => NOW} />);
    fireEvent.change(screen.getByLabelText('Mute for'), { target: { value: '2161' } });
    expect(await screen.findByText('At most 90 days')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Mute' })).toBeDisabled();
    fireEvent.change(screen.getByLabelText('Mute for'), { target: { value: '3' } });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Mute' })).toBeEnabled());
    await userEvent.click(screen.getByRole('button', { name: 'Mute' }));
    await waitFor(() => expect(onMuted).toHaveBeenCalled());
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0].method).toBe('PATCH');
    expect(api.calls[0].url.pathname).toBe('/monitors/mon_1');
    expect(api.calls[0].body).toEqual({ mutedUntil: '2026-12-05T12:00:00Z' });
  });

  it('shows the API\u2019s refusal and leaves the monitor as it was', async () => {
    fakeApi(() => [400, { error: { code: 'invalid_input', message: 'invalid input', details: [{ field: 'mutedUntil', reason: 'must be in the future and at most 90 days ahead' }] } }]);
    const onMuted = vi.fn();
    renderSignedIn(<MuteMonitorModal monitor={monitor} onDismiss={() => {}} onMuted={onMuted} now={() => NOW} />);
    await userEvent.click(screen.getByRole('button', { name: 'Mute' }));
    expect(await screen.findByText(/mutedUntil must be in the future/)).toBeInTheDocument();
    expect(onMuted).not.toHaveBeenCalled();
  });
});

const execution = (over: Partial<Execution>) => ({ id: 'exe_1', status: 'HELD', nextRetryAt: null, ...over }) as Execution;

describe('cancelling one execution', () => {
  it('is offered only for what has not run: queued, held, or failed with a retry pending', () => {
    expect(cancellable(execution({ status: 'QUEUED' }))).toBe(true);
    expect(cancellable(execution({ status: 'HELD' }))).toBe(true);
    expect(cancellable(execution({ status: 'FAILED', nextRetryAt: '2026-12-05T10:00:00Z' }))).toBe(true);
    for (const status of ['RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const) expect(cancellable(execution({ status }))).toBe(false);
  });

  it('posts the cancel and hands back the cancelled execution', async () => {
    const api = fakeApi(() => [200, execution({ status: 'CANCELLED', cancelledBy: 'admin' })]);
    const onCancelled = vi.fn();
    renderSignedIn(<CancelExecutionModal visible execution={execution({})} onDismiss={() => {}} onCancelled={onCancelled} />);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel execution' }));
    await waitFor(() => expect(onCancelled).toHaveBeenCalledWith(expect.objectContaining({ status: 'CANCELLED' })));
    expect(api.calls[0].method).toBe('POST');
    expect(api.calls[0].url.pathname).toBe('/executions/exe_1/cancel');
  });

  it('shows a 409 (it ran meanwhile) and changes nothing', async () => {
    fakeApi(() => [409, { error: { code: 'conflict', message: 'exe_1 is RUNNING: it can no longer be cancelled' } }]);
    const onCancelled = vi.fn();
    renderSignedIn(<CancelExecutionModal visible execution={execution({})} onDismiss={() => {}} onCancelled={onCancelled} />);
    await userEvent.click(screen.getByRole('button', { name: 'Cancel execution' }));
    expect(await screen.findByText('exe_1 is RUNNING: it can no longer be cancelled')).toBeInTheDocument();
    expect(onCancelled).not.toHaveBeenCalled();
  });
});

const alert = (over: Partial<Alert>) => ({
  id: 'alr_1', monitorId: 'mon_1', monitor: 'Order failures', trigger: 'EXECUTION_FAILED', subject: 'failed', instanceId: 'ins_1', customerId: 'cus_1',
  flowConfigId: null, flow: null, executionId: 'exe_1', firedAt: '2026-12-05T08:00:00Z', clearedAt: null, url: null, deliveries: [],
  muted: false, mutedReason: null, acknowledgedBy: null, acknowledgedAt: null, ...over,
}) as Alert;

describe('acknowledging an alert', () => {
  it('posts the acknowledgement and shows who took it once the list is read again', async () => {
    let acked = false;
    const api = fakeApi((method) => {
      if (method === 'POST') {
        acked = true;
        return [200, alert({ acknowledgedBy: 'admin', acknowledgedAt: '2026-12-05T09:00:00Z' })];
      }
      return [200, { items: [acked ? alert({ acknowledgedBy: 'admin', acknowledgedAt: '2026-12-05T09:00:00Z' }) : alert({})], nextCursor: null }];
    });
    renderSignedIn(<AlertsTable query={{ instanceId: 'ins_1' }} />);
    await userEvent.click(await screen.findByRole('button', { name: 'Acknowledge alert alr_1' }));
    expect(await screen.findByText(/^by admin at /)).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Acknowledge alert alr_1' })).toBeNull();
    const post = api.calls.find((c) => c.method === 'POST')!;
    expect(post.url.pathname).toBe('/alerts/alr_1/acknowledge');
  });

  it('a muted alert says it was sent nowhere, and why', async () => {
    fakeApi(() => [200, { items: [alert({ muted: true, mutedReason: 'monitor muted until 2026-12-05T12:00:00Z' })], nextCursor: null }]);
    renderSignedIn(<AlertsTable query={{}} />);
    expect(await screen.findByText('muted: not sent (monitor muted until 2026-12-05T12:00:00Z)')).toBeInTheDocument();
  });
});
