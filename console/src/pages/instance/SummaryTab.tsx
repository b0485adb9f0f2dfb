import BarChart from '@cloudscape-design/components/bar-chart';
import Box from '@cloudscape-design/components/box';
import ColumnLayout from '@cloudscape-design/components/column-layout';
import Container from '@cloudscape-design/components/container';
import CopyToClipboard from '@cloudscape-design/components/copy-to-clipboard';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useMemo } from 'react';
import { seg } from '../../api/client';
import type { Customer, Instance, InstanceActivity, Integration } from '../../api/types';
import { chartBuckets } from '../../components/activity';
import { formatDuration, formatTime, relative } from '../../components/format';
import { useLoad } from '../../components/hooks';
import { paths, RLink } from '../../components/links';
import { useApi } from '../../components/session-context';
import { InstanceState } from '../../components/status';
import { KeyValueTable } from '../../components/text';


export function SummaryTab({ instance }: { instance: Instance }) {
  const api = useApi();
  const customer = useLoad<Customer>((s) => api.get(`/customers/${seg(instance.customerId)}`, undefined, s), [instance.customerId]);
  const integration = useLoad<Integration>((s) => api.get(`/integrations/${seg(instance.integrationId)}`, { version: instance.integrationVersion }, s), [instance.integrationId, instance.integrationVersion]);
  const schedules = instance.flowConfigs.filter((fc) => fc.schedule);
  const webhooks = instance.flowConfigs;

  return (
    <SpaceBetween size="l">
      <Container header={<Header variant="h2">Details</Header>}>
        <KeyValuePairs
          columns={4}
          items={[
            { label: 'State', value: <InstanceState instance={instance} /> },
            { label: 'Pause mode', value: instance.pauseMode === 'HOLD' ? 'HOLD (webhooks held while paused)' : 'REJECT (503 while paused)' },
            { label: 'Customer', value: <RLink to={paths.customer(instance.customerId)}>{customer.data?.name ?? instance.customerId}</RLink> },
            { label: 'Integration', value: `${integration.data?.name ?? instance.integrationId} · version ${instance.integrationVersion}${integration.data && integration.data.latestVersion > instance.integrationVersion ? ` (latest ${integration.data.latestVersion})` : ''}` },
            { label: 'Instance id', value: <span className="ferry-mono">{instance.id}</span> },
            { label: 'Created', value: formatTime(instance.createdAt) },
            { label: 'Last execution', value: instance.lastExecutedAt ? `${formatTime(instance.lastExecutedAt)} (${relative(instance.lastExecutedAt)})` : 'Never' },
          ]}
        />
      </Container>
      <ActivityChart instanceId={instance.id} />
      <Table
        variant="container"
        header={<Header variant="h2" counter={`(${webhooks.length})`} description="Each flow of the integration, as this instance runs it.">Flow configs</Header>}
        items={webhooks}
        trackBy="id"
        ariaLabels={{ tableLabel: 'Flow configs' }}
        wrapLines
        columnDefinitions={[
          { id: 'flow', header: 'Flow', cell: (fc) => fc.flow },
          { id: 'trigger', header: 'Trigger', cell: (fc) => fc.trigger },
          {
            id: 'url',
            header: 'Webhook URL',
            cell: (fc) =>
              fc.webhookUrl ? (
                <CopyToClipboard
                  variant="inline"
                  textToCopy={fc.webhookUrl}
                  copyButtonAriaLabel={`Copy the webhook URL of ${fc.flow}`}
                  copySuccessText="Webhook URL copied"
                  copyErrorText="Could not copy"
                />
              ) : '—',
          },
          { id: 'security', header: 'Security', cell: (fc) => (fc.security ? (fc.security.type === 'none' ? 'none' : `${fc.security.type} in ${fc.security.header} (${fc.security.secretVariable})`) : '—') },
          {
            id: 'retry',
            header: 'Retries',
            cell: (fc) => (fc.retry && fc.retry.maxAttempts > 0 ? `${fc.retry.maxAttempts} × from ${fc.retry.delaySeconds} s (${fc.retry.backoff})` : 'none'),
          },
          { id: 'id', header: 'Id', cell: (fc) => <span className="ferry-mono">{fc.id}</span> },
        ]}
      />
      <Table
        variant="container"
        header={<Header variant="h2" counter={`(${schedules.length})`}>Schedules</Header>}
        items={schedules}
        trackBy="id"
        ariaLabels={{ tableLabel: 'Schedules' }}
        columnDefinitions={[
          { id: 'flow', header: 'Flow', cell: (fc) => fc.flow },
          { id: 'expr', header: 'Schedule', cell: (fc) => <span className="ferry-mono">{fc.schedule}</span> },
          { id: 'tz', header: 'Time zone', cell: (fc) => fc.timezone ?? 'UTC' },
          { id: 'state', header: 'Schedule state', cell: () => (instance.enabled ? 'Enabled' : 'Disabled (paused)') },
          { id: 'next', header: 'Next run', cell: (fc) => (fc.nextRunAt ? `${formatTime(fc.nextRunAt)} (${relative(fc.nextRunAt)})` : instance.enabled ? '—' : 'None while paused') },
        ]}
        empty={<Box textAlign="center" color="inherit">No scheduled flows.</Box>}
      />
      <Container header={<Header variant="h2" description="Secret values are never shown.">Config variables</Header>}>
        <KeyValueTable values={instance.configVariables} keyHeader="Variable" label="Config variables" empty="No config variables." />
      </Container>
    </SpaceBetween>
  );
}

/** Executions of the last 24 hours by hour and status, with duration percentiles, as the API counts them. */
function ActivityChart({ instanceId }: { instanceId: string }) {
  const api = useApi();
  const loaded = useLoad<InstanceActivity>((s) => api.get(`/instances/${seg(instanceId)}/activity`, { bucketMinutes: 60 }, s), [instanceId]);
  const data = loaded.data;
  const buckets = useMemo(() => (data ? chartBuckets(data) : []), [data]);
  const a = { total: data?.total ?? 0, p50: data?.durationMs.p50 ?? null, p90: data?.durationMs.p90 ?? null, p99: data?.durationMs.p99 ?? null };
  const sample = { loading: loaded.loading, data: data ? { more: data.truncated } : undefined, error: loaded.error };
  const hourLabel = (t: number) => {
    const d = new Date(t);
    return `${String(d.getHours()).padStart(2, '0')}:00`;
  };
  const series = (['succeeded', 'failed', 'other'] as const).map((k) => ({
    title: k === 'succeeded' ? 'Succeeded' : k === 'failed' ? 'Failed' : 'Other (queued, held, running, cancelled)',
    type: 'bar' as const,
    data: buckets.map((b) => ({ x: hourLabel(b.start), y: b[k] })),
    color: k === 'succeeded' ? '#037f0c' : k === 'failed' ? '#d91515' : '#8d99a8',
  }));
  return (
    <Container
      header={
        <Header
          variant="h2"
          description={
            data?.truncated
              ? `The newest ${data.total} executions, queued since ${formatTime(data.countedFrom)} (the API counts at most ${data.maxExecutions} a read).`
              : 'Executions queued in the last 24 hours, by hour and status.'
          }
        >
          Activity
        </Header>
      }
    >
      <SpaceBetween size="m">
        <ColumnLayout columns={4} variant="text-grid">
          <div>
            <Box variant="awsui-key-label">Executions (24 h)</Box>
            <Box variant="awsui-value-large">{sample.loading && !sample.data ? '…' : `${a.total}${sample.data?.more ? '+' : ''}`}</Box>
          </div>
          <div>
            <Box variant="awsui-key-label">Duration p50</Box>
            <Box variant="awsui-value-large">{formatDuration(a.p50)}</Box>
          </div>
          <div>
            <Box variant="awsui-key-label">Duration p90</Box>
            <Box variant="awsui-value-large">{formatDuration(a.p90)}</Box>
          </div>
          <div>
            <Box variant="awsui-key-label">Duration p99</Box>
            <Box variant="awsui-value-large">{formatDuration(a.p99)}</Box>
          </div>
        </ColumnLayout>
        <BarChart
          series={series}
          stackedBars
          xScaleType="categorical"
          height={180}
          hideFilter
          statusType={sample.loading && !sample.data ? 'loading' : sample.error ? 'error' : 'finished'}
          loadingText="Reading executions"
          errorText="Could not read the executions"
          ariaLabel="Executions per hour by status"
          xTitle="Hour queued"
          yTitle="Executions"
          empty={<Box textAlign="center" color="inherit">No executions in the last 24 hours</Box>}
        />
      </SpaceBetween>
    </Container>
  );
}
