import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table from '@cloudscape-design/components/table';
import type { Query } from '../api/client';
import type { Alert, AlertDelivery } from '../api/types';
import { ErrorAlert } from './errors';
import { formatTime } from './format';
import { useCursorPages } from './hooks';
import { paths, RLink } from './links';
import { Pager } from './Pager';

function delivery(d: AlertDelivery): string {
  const what = d.delivered ? 'delivered' : d.nextAttemptAt ? `failed, next attempt ${formatTime(d.nextAttemptAt)}` : 'failed';
  return `#${d.attempt} ${formatTime(d.at)} → ${d.status ?? 'no answer'} ${what}${d.error ? `: ${d.error}` : ''}`;
}

/** Alerts, newest first, with every delivery attempt to their channels. */
export function AlertsTable({ query, title = 'Alerts', showInstance = true }: { query: Query; title?: string; showInstance?: boolean }) {
  const pages = useCursorPages<Alert>('/alerts', { ...query, limit: 25 });
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
              a.deliveries.length === 0 ? (
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
        ]}
        empty={<Box textAlign="center" color="inherit">No alerts.</Box>}
      />
    </SpaceBetween>
  );
}
