import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { seg, type Query } from '../api/client';
import type { Alert, AlertDelivery } from '../api/types';
import { ErrorAlert, errorText } from './errors';
import { useFlash } from './flash';
import { formatTime } from './format';
import { useCursorPages } from './hooks';
import { paths, RLink } from './links';
import { Pager } from './Pager';
import { useApi } from './session-context';

function delivery(d: AlertDelivery): string {
  const what = d.delivered ? 'delivered' : d.nextAttemptAt ? `failed, next attempt ${formatTime(d.nextAttemptAt)}` : 'failed';
  return `#${d.attempt} ${formatTime(d.at)} → ${d.status ?? 'no answer'} ${what}${d.error ? `: ${d.error}` : ''}`;
}

/** Alerts, newest first, with every delivery attempt to their channels; each can be acknowledged once. */
export function AlertsTable({ query, title = 'Alerts', showInstance = true }: { query: Query; title?: string; showInstance?: boolean }) {
  const api = useApi();
  const flash = useFlash();
  const pages = useCursorPages<Alert>('/alerts', { ...query, limit: 25 });
  const [acking, setAcking] = useState<string | null>(null);

  async function acknowledge(a: Alert) {
    setAcking(a.id);
    try {
      const done = await api.post<Alert>(`/alerts/${seg(a.id)}/acknowledge`);
      flash({ type: 'success', content: `Alert ${a.id} acknowledged by ${done.acknowledgedBy ?? 'you'}.` });
      pages.reload();
    } catch (e) {
      flash({ type: 'error', header: 'Could not acknowledge the alert', content: errorText(e) });
    } finally {
      setAcking(null);
    }
  }

  return (
    <SpaceBetween size="s">
      <ErrorAlert error={pages.error} />
      <Table
        variant="container"
        header={
          <Header counter={pages.loading ? undefined : `(${pages.items.length}${pages.hasNext ? '+' : ''})`} actions={<Button iconName="refresh" ariaLabel="Refresh alerts" onClick={pages.reload} />}>
            {title}
          </Header>
        }
        items={pages.items}
        loading={pages.loading}
        loadingText="Loading alerts"
        trackBy="id"
        wrapLines
        ariaLabels={{ tableLabel: title }}
        pagination={<Pager pages={pages} />}
        columnDefinitions={[
          { id: 'fired', header: 'Fired', cell: (a) => formatTime(a.firedAt), width: 170 },
          { id: 'trigger', header: 'Trigger', cell: (a) => a.trigger },
          { id: 'monitor', header: 'Monitor', cell: (a) => a.monitor },
          ...(showInstance ? [{ id: 'instance', header: 'Instance', cell: (a: Alert) => (a.instanceId ? <RLink to={paths.instance(a.instanceId)}>{a.instanceId}</RLink> : '—') }] : []),
          { id: 'execution', header: 'Execution', cell: (a) => (a.executionId ? <RLink to={paths.execution(a.executionId)}>{a.executionId}</RLink> : '—') },
          { id: 'subject', header: 'Subject', cell: (a) => <span className="ferry-break">{a.subject ?? '—'}</span> },
          { id: 'cleared', header: 'Cleared', cell: (a) => (a.clearedAt ? formatTime(a.clearedAt) : '—') },
          {
            id: 'deliveries',
            header: 'Deliveries',
            cell: (a) =>
              a.muted ? (
                <Box color="text-status-inactive">{`muted: not sent${a.mutedReason ? ` (${a.mutedReason})` : ''}`}</Box>
              ) : a.deliveries.length === 0 ? (
                <Box color="text-status-inactive">none yet</Box>
              ) : (
                <SpaceBetween size="xxs">
                  {a.deliveries.map((d, i) => (
                    <StatusIndicator key={i} type={d.delivered ? 'success' : d.nextAttemptAt ? 'pending' : 'error'}>
                      {delivery(d)}
                    </StatusIndicator>
                  ))}
                </SpaceBetween>
              ),
          },
          {
            id: 'acknowledged',
            header: 'Acknowledged',
            cell: (a) =>
              a.acknowledgedAt ? (
                `by ${a.acknowledgedBy ?? '—'} at ${formatTime(a.acknowledgedAt)}`
              ) : (
                <Button variant="inline-link" ariaLabel={`Acknowledge alert ${a.id}`} loading={acking === a.id} onClick={() => void acknowledge(a)}>
                  Acknowledge
                </Button>
              ),
          },
        ]}
        empty={<Box textAlign="center" color="inherit">No alerts.</Box>}
      />
    </SpaceBetween>
  );
}
