import Box from '@cloudscape-design/components/box';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import TextFilter from '@cloudscape-design/components/text-filter';
import { useMemo } from 'react';
import { seg } from '../api/client';
import type { Customer, Execution, Instance, InstanceActivity, Integration, Page } from '../api/types';
import { formatTime, relative } from './format';
import { useCursorPages, useLoad, useUrlFilters } from './hooks';
import { limiter } from './limiter';
import { paths, RLink } from './links';
import { useApi, useIsAdmin } from './session-context';
import { ExecutionStatusBadge, InstanceState } from './status';
import { ErrorAlert } from './errors';
import { Pager } from './Pager';

const PAGE_SIZE = 25;
const perRow = limiter(4);

/** The earliest next scheduled run of an instance's flow configs (the API computes each one). */
export function nextRun(i: Instance): { at: string; flow: string; timezone: string | null } | null {
  let best: { at: string; flow: string; timezone: string | null } | null = null;
  for (const fc of i.flowConfigs) {
    if (fc.nextRunAt && (!best || fc.nextRunAt < best.at)) best = { at: fc.nextRunAt, flow: fc.flow, timezone: fc.timezone };
  }
  return best;
}

/**
 * Instances, a page at a time. `customerId` fixes the customer (a customer's page); otherwise an
 * admin filters by customer. Every filter (integration, state, name prefix) is the API's, applied
 * across the whole listing as the cursor goes on.
 */
export function InstancesTable({ customerId, title = 'Instances' }: { customerId?: string; title?: string }) {
  const api = useApi();
  const admin = useIsAdmin();
  const [f, setF] = useUrlFilters(['customer', 'integration', 'state', 'name'] as const);
  const customer = customerId ?? f.customer;
  const pages = useCursorPages<Instance>('/instances', {
    customerId: customer || undefined,
    integrationId: f.integration || undefined,
    state: f.state || undefined,
    namePrefix: f.name.trim() || undefined,
    limit: PAGE_SIZE,
  });
  const customers = useLoad<Page<Customer>>((s) => api.get('/customers', { limit: 100 }, s), []);
  const integrations = useLoad<Page<Integration>>((s) => api.get('/integrations', { limit: 100 }, s), []);
  const customerName = useMemo(() => new Map((customers.data?.items ?? []).map((c) => [c.id, c.name])), [customers.data]);
  const integrationName = useMemo(() => new Map((integrations.data?.items ?? []).map((c) => [c.id, c.name])), [integrations.data]);

  const shown = pages.items;

  const customerOptions: SelectProps.Option[] = [
    { value: '', label: 'Any customer' },
    ...(customers.data?.items ?? []).map((c) => ({ value: c.id, label: c.name, description: c.id })),
  ];
  const integrationOptions: SelectProps.Option[] = [
    { value: '', label: 'Any integration' },
    ...(integrations.data?.items ?? []).map((c) => ({ value: c.id, label: c.name, description: c.id })),
  ];
  const stateOptions: SelectProps.Option[] = [
    { value: '', label: 'Any state' },
    { value: 'running', label: 'Running' },
    { value: 'paused', label: 'Paused' },
  ];
  const pick = (opts: SelectProps.Option[], v: string) => opts.find((o) => o.value === v) ?? opts[0];

  return (
    <SpaceBetween size="s">
      <ErrorAlert error={pages.error} />
      <Table
        variant="full-page"
        header={
          <Header counter={pages.loading ? undefined : `(${shown.length}${pages.hasNext ? '+' : ''})`} description="State, last execution, next scheduled run and failures in the last 24 hours of each instance.">
            {title}
          </Header>
        }
        loading={pages.loading}
        loadingText="Loading instances"
        items={shown}
        trackBy="id"
        ariaLabels={{ tableLabel: 'Instances' }}
        filter={
          <SpaceBetween direction="horizontal" size="s">
            <FormField label="Name">
              <TextFilter filteringText={f.name} filteringPlaceholder="Name starts with" filteringAriaLabel="Filter by name" onChange={(e) => setF({ name: e.detail.filteringText })} />
            </FormField>
            {admin && !customerId && (
              <FormField label="Customer">
                <Select ariaLabel="Customer" selectedOption={pick(customerOptions, f.customer)} options={customerOptions} onChange={(e) => setF({ customer: e.detail.selectedOption.value ?? '' })} />
              </FormField>
            )}
            <FormField label="Integration">
              <Select ariaLabel="Integration" selectedOption={pick(integrationOptions, f.integration)} options={integrationOptions} onChange={(e) => setF({ integration: e.detail.selectedOption.value ?? '' })} />
            </FormField>
            <FormField label="State">
              <Select ariaLabel="State" selectedOption={pick(stateOptions, f.state)} options={stateOptions} onChange={(e) => setF({ state: e.detail.selectedOption.value ?? '' })} />
            </FormField>
          </SpaceBetween>
        }
        pagination={
          <Pager pages={pages} />
        }
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (i) => <RLink to={paths.instance(i.id)}>{i.name}</RLink> },
          {
            id: 'customer',
            header: 'Customer',
            cell: (i) => <RLink to={paths.customer(i.customerId)}>{customerName.get(i.customerId) ?? i.customerId}</RLink>,
          },
          { id: 'integration', header: 'Integration', cell: (i) => `${integrationName.get(i.integrationId) ?? i.integrationId} v${i.integrationVersion}` },
          { id: 'state', header: 'State', cell: (i) => <InstanceState instance={i} /> },
          { id: 'last', header: 'Last execution', cell: (i) => <LastExecution instance={i} /> },
          {
            id: 'next',
            header: 'Next run',
            cell: (i) => {
              const n = nextRun(i);
              return n ? <span title={`${n.flow} (${n.timezone ?? 'UTC'})`}>{`${formatTime(n.at)} (${relative(n.at)})`}</span> : '—';
            },
          },
          { id: 'failures', header: 'Failures 24 h', cell: (i) => <Failures24h instanceId={i.id} /> },
        ]}
        empty={
          <Box textAlign="center" color="inherit">
            {pages.hasNext ? 'None on this page (the API stopped reading here); try the next page.' : `No instances${f.name || f.integration || f.state ? ' match the filters' : ''}.`}
          </Box>
        }
      />
    </SpaceBetween>
  );
}

function LastExecution({ instance }: { instance: Instance }) {
  const api = useApi();
  const last = useLoad<Page<Execution>>(
    (s) => perRow(() => api.get(`/executions`, { instanceId: instance.id, limit: 1 }, s)),
    [instance.id, instance.lastExecutedAt],
  );
  const e = last.data?.items[0];
  if (last.loading && !last.data) return <Box color="text-status-inactive">…</Box>;
  if (!e) return <>{instance.lastExecutedAt ? formatTime(instance.lastExecutedAt) : 'Never'}</>;
  return (
    <SpaceBetween direction="horizontal" size="xs">
      <RLink to={paths.execution(e.id)}>{relative(e.queuedAt)}</RLink>
      <ExecutionStatusBadge status={e.status} />
    </SpaceBetween>
  );
}

/**
 * FAILED executions queued in the last 24 hours, as the instance's activity counts them (up to its
 * bound, then "1000+"). The shortest range and one bucket: the count of failures is read on its own.
 */
function Failures24h({ instanceId }: { instanceId: string }) {
  const api = useApi();
  const range = useMemo(() => {
    const until = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 60_000);
    return { since: new Date(until.getTime() - 60_000).toISOString(), until: until.toISOString() };
  }, []);
  const activity = useLoad<InstanceActivity>(
    (s) => perRow(() => api.get(`/instances/${seg(instanceId)}/activity`, { ...range, bucketMinutes: 1 }, s)),
    [instanceId, range],
  );
  if (activity.loading && !activity.data) return <Box color="text-status-inactive">…</Box>;
  if (activity.error || !activity.data) return <Box color="text-status-inactive">?</Box>;
  const f = activity.data.failuresLast24h;
  const n = f.count;
  const text = `${n}${f.truncated ? '+' : ''}`;
  if (n === 0) return <>0</>;
  return (
    <RLink to={`${paths.instance(instanceId, 'executions')}?status=FAILED&range=24h`}>
      <Box color="text-status-error" variant="span">{text}</Box>
    </RLink>
  );
}

