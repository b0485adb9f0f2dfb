import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import { useMemo, useState } from 'react';
import { seg } from '../api/client';
import { EXECUTION_STATUSES, TRIGGERS, type Execution, type ExecutionFilter, type FlowConfig } from '../api/types';
import { BulkReplayModal, cleanFilter, type BulkKind } from './BulkReplayModal';
import { ErrorAlert } from './errors';
import { formatDuration, formatTime, isValidInstant, RANGES, rangeToQuery } from './format';
import { useCursorPages, useUrlFilters } from './hooks';
import { paths, RLink } from './links';
import { ExecutionStatusBadge, LineageBadges } from './status';
import { Pager } from './Pager';

export type ExecutionsScope =
  | { kind: 'instance'; instanceId: string; flows: FlowConfig[] }
  | { kind: 'customer'; customerId: string }
  | { kind: 'all' };

const FILTERS = ['status', 'trigger', 'flow', 'range', 'since', 'until', 'originals', 'unresolved'] as const;

/** Executions with the API's filters, kept in the URL; a page at a time; bulk replay or cancellation of what the filter matches. */
export function ExecutionsView({ scope, title = 'Executions' }: { scope: ExecutionsScope; title?: string }) {
  const [f, setF] = useUrlFilters(FILTERS);
  const [bulk, setBulk] = useState<BulkKind | null>(null);
  const customRangeBad = f.range === 'custom' && (!isValidInstant(f.since) || !isValidInstant(f.until));
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const range = useMemo(() => rangeToQuery(f.range, f.since, f.until), [f.range, f.since, f.until]);

  const filter: ExecutionFilter = {
    instanceId: scope.kind === 'instance' ? scope.instanceId : undefined,
    customerId: undefined,
    flowConfigId: f.flow || undefined,
    status: (f.status || undefined) as ExecutionFilter['status'],
    trigger: (f.trigger || undefined) as ExecutionFilter['trigger'],
    since: range.since,
    until: range.until,
    originalsOnly: f.originals === '1',
    unresolved: f.unresolved === '1',
  };
  const replayFilter = scope.kind === 'customer' ? { ...filter, customerId: scope.customerId } : filter;
  const path = scope.kind === 'customer' ? `/customers/${seg(scope.customerId)}/executions` : '/executions';
  const pages = useCursorPages<Execution>(customRangeBad ? null : path, { ...cleanFilter(filter), limit: 25 });

  const statusOptions: SelectProps.Option[] = [{ value: '', label: 'Any status' }, ...EXECUTION_STATUSES.map((s) => ({ value: s, label: s }))];
  const triggerOptions: SelectProps.Option[] = [{ value: '', label: 'Any trigger' }, ...TRIGGERS.map((s) => ({ value: s, label: s }))];
  const rangeOptions: SelectProps.Option[] = RANGES.map((r) => ({ value: r.value, label: r.label }));
  const flowOptions: SelectProps.Option[] =
    scope.kind === 'instance' ? [{ value: '', label: 'Any flow' }, ...scope.flows.map((fc) => ({ value: fc.id, label: fc.flow }))] : [];
  const pick = (opts: SelectProps.Option[], v: string) => opts.find((o) => o.value === v) ?? opts[0];

  const columns: TableProps.ColumnDefinition<Execution>[] = [
    { id: 'id', header: 'Execution', cell: (e) => <RLink to={paths.execution(e.id)}>{e.id}</RLink>, width: 280 },
    { id: 'status', header: 'Status', cell: (e) => <ExecutionStatusBadge status={e.status} /> },
    { id: 'trigger', header: 'Trigger', cell: (e) => e.trigger },
    { id: 'flow', header: 'Flow', cell: (e) => e.flow },
  ];
  if (scope.kind !== 'instance') {
    columns.push({ id: 'instance', header: 'Instance', cell: (e) => <RLink to={paths.instance(e.instanceId)}>{e.instanceId}</RLink> });
  }
  columns.push(
    { id: 'queued', header: 'Queued', cell: (e) => formatTime(e.queuedAt) },
    { id: 'duration', header: 'Duration', cell: (e) => formatDuration(e.durationMs) },
    { id: 'lineage', header: 'Retries and replays', cell: (e) => <LineageBadges e={e} /> },
    {
      id: 'origin',
      header: 'Of',
      cell: (e) =>
        e.retryOf ? <RLink to={paths.execution(e.retryOf)}>{`retry of ${e.retryOf}`}</RLink>
          : e.replayOf ? <RLink to={paths.execution(e.replayOf)}>{`replay of ${e.replayOf}`}</RLink> : '—',
    },
    { id: 'error', header: 'Error', cell: (e) => (e.error ? <span className="ferry-break">{e.error.message}</span> : '—'), maxWidth: 360 },
  );

  return (
    <SpaceBetween size="s">
      <ErrorAlert error={pages.error} />
      <Table
        variant="container"
        header={
          <Header
            counter={pages.loading ? undefined : `(${pages.items.length}${pages.hasNext ? '+' : ''})`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh" onClick={pages.reload} />
                <Button onClick={() => setBulk('cancel')} disabled={Object.keys(cleanFilter(replayFilter)).length === 0}>
                  Cancel matching…
                </Button>
                <Button onClick={() => setBulk('replay')} disabled={Object.keys(cleanFilter(replayFilter)).length === 0}>
                  Replay matching…
                </Button>
              </SpaceBetween>
            }
          >
            {title}
          </Header>
        }
        filter={
          <SpaceBetween size="s">
            <SpaceBetween direction="horizontal" size="s">
              <FormField label="Status">
                <Select ariaLabel="Status" selectedOption={pick(statusOptions, f.status)} options={statusOptions} onChange={(e) => setF({ status: e.detail.selectedOption.value })} />
              </FormField>
              <FormField label="Trigger">
                <Select ariaLabel="Trigger" selectedOption={pick(triggerOptions, f.trigger)} options={triggerOptions} onChange={(e) => setF({ trigger: e.detail.selectedOption.value })} />
              </FormField>
              {scope.kind === 'instance' && (
                <FormField label="Flow">
                  <Select ariaLabel="Flow" selectedOption={pick(flowOptions, f.flow)} options={flowOptions} onChange={(e) => setF({ flow: e.detail.selectedOption.value })} />
                </FormField>
              )}
              <FormField label="Queued">
                <Select ariaLabel="Time range" selectedOption={pick(rangeOptions, f.range)} options={rangeOptions} onChange={(e) => setF({ range: e.detail.selectedOption.value })} />
              </FormField>
              {f.range === 'custom' && (
                <>
                  <FormField label="From (inclusive)" errorText={isValidInstant(f.since) ? undefined : 'Not a date and time'}>
                    <Input ariaLabel="From" value={f.since} placeholder="2026-01-31T09:00:00Z" onChange={(e) => setF({ since: e.detail.value })} />
                  </FormField>
                  <FormField label="To (exclusive)" errorText={isValidInstant(f.until) ? undefined : 'Not a date and time'}>
                    <Input ariaLabel="To" value={f.until} placeholder="2026-01-31T10:00:00Z" onChange={(e) => setF({ until: e.detail.value })} />
                  </FormField>
                </>
              )}
            </SpaceBetween>
            <SpaceBetween direction="horizontal" size="l">
              <Checkbox checked={f.originals === '1'} onChange={(e) => setF({ originals: e.detail.checked ? '1' : '' })}>
                Originals only (no retries or replays)
              </Checkbox>
              <Checkbox checked={f.unresolved === '1'} onChange={(e) => setF({ unresolved: e.detail.checked ? '1' : '' })}>
                Failed and not yet successfully retried or replayed
              </Checkbox>
            </SpaceBetween>
          </SpaceBetween>
        }
        pagination={<Pager pages={pages} />}
        items={pages.items}
        loading={pages.loading}
        loadingText="Loading executions"
        trackBy="id"
        ariaLabels={{ tableLabel: 'Executions' }}
        columnDefinitions={columns}
        empty={
          <Box textAlign="center" color="inherit">
            {pages.hasNext ? 'None on this page (the API stopped reading here); try the next page.' : 'No executions match.'}
          </Box>
        }
      />
      <BulkReplayModal visible={bulk !== null} kind={bulk ?? 'replay'} filter={replayFilter} onDismiss={() => setBulk(null)} />
    </SpaceBetween>
  );
}
