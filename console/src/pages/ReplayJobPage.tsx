import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import ProgressBar from '@cloudscape-design/components/progress-bar';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import { useState } from 'react';
import { useParams } from 'react-router-dom';
import { seg } from '../api/client';
import type { ReplayJob } from '../api/types';
import { ErrorAlert, errorText, isNotFound } from '../components/errors';
import { formatTime } from '../components/format';
import { useInterval, useLoad } from '../components/hooks';
import { paths, RLink } from '../components/links';
import { useApi } from '../components/session-context';
import { KeyValueTable } from '../components/text';
import NotFoundPage from './NotFoundPage';

/**
 * A bulk job's live progress. A bulk replay: dispatched of matched, then how the replays ended; a
 * bulk cancellation: cancelled of matched, and those skipped as already running or ended. Either
 * can be stopped while it runs.
 */
export default function ReplayJobPage({ kind = 'replay' }: { kind?: 'replay' | 'cancel' }) {
  const { id = '' } = useParams();
  const api = useApi();
  const route = kind === 'replay' ? '/replays' : '/cancellations';
  const loaded = useLoad<ReplayJob>((s) => api.get(`${route}/${seg(id)}`, undefined, s), [id, route]);
  const [override, setOverride] = useState<ReplayJob | null>(null);
  const job = override && loaded.data && override.updatedAt && loaded.data.updatedAt && override.updatedAt > loaded.data.updatedAt ? override : loaded.data;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const finishedReplays = job ? job.succeeded + job.failed : 0;
  // Poll while it dispatches, and afterwards while its replays are still finishing.
  useInterval(loaded.reload, 1000, !!job && (job.status === 'RUNNING' || (kind === 'replay' && job.status === 'COMPLETED' && finishedReplays < job.dispatched)));
  if (loaded.error && isNotFound(loaded.error)) return <NotFoundPage what={`${kind === 'replay' ? 'replay' : 'cancellation'} job ${id}`} />;
  if (!job) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spinner size="large" />;

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      setOverride(await api.post<ReplayJob>(`${route}/${seg(id)}/cancel`));
      loaded.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const pct = job.matched === 0 ? 100 : Math.round((job.dispatched / job.matched) * 100);
  const status = job.status === 'RUNNING' ? <StatusIndicator type="in-progress">RUNNING</StatusIndicator>
    : job.status === 'COMPLETED' ? <StatusIndicator type="success">COMPLETED</StatusIndicator>
      : <StatusIndicator type="stopped">{job.status ?? '—'}</StatusIndicator>;
  const filterRows: Record<string, string> = {};
  for (const [k, v] of Object.entries(job.filter)) filterRows[k] = String(v);
  return (
    <ContentLayout
      header={
        <Header
          variant="h1"
          description={job.name ?? (kind === 'replay' ? 'Bulk replay' : 'Bulk cancellation')}
          actions={job.status === 'RUNNING' && <Button onClick={() => void cancel()} loading={busy}>{kind === 'replay' ? 'Cancel job' : 'Stop job'}</Button>}
        >
          <span className="ferry-mono">{job.id}</span>
        </Header>
      }
    >
      <SpaceBetween size="l">
        {error && <Alert type="error">{error}</Alert>}
        <Container header={<Header variant="h2">Progress</Header>}>
          <SpaceBetween size="m">
            {kind === 'replay' ? (
              <ProgressBar
                value={pct}
                label="Replays dispatched"
                description={`${job.dispatched} of ${job.matched} matched${job.skipped ? `, ${job.skipped} skipped (instance deleted)` : ''}`}
                status={job.status === 'RUNNING' ? 'in-progress' : job.status === 'COMPLETED' ? 'success' : 'error'}
                resultText={job.status === 'COMPLETED' ? 'Every match dispatched' : 'Cancelled'}
                additionalInfo={`Rate: ${job.ratePerSecond ? `${job.ratePerSecond} per second` : 'no limit'}`}
              />
            ) : (
              <ProgressBar
                value={job.matched === 0 ? 100 : Math.round(((job.dispatched + job.skipped) / job.matched) * 100)}
                label="Executions cancelled"
                description={`${job.dispatched} cancelled, ${job.skipped} skipped (already running or ended), of ${job.matched} matched`}
                status={job.status === 'RUNNING' ? 'in-progress' : job.status === 'COMPLETED' ? 'success' : 'error'}
                resultText={job.status === 'COMPLETED' ? 'Every match handled' : 'Stopped'}
                additionalInfo={`Rate: ${job.ratePerSecond ? `${job.ratePerSecond} per second` : 'no limit'}`}
              />
            )}
            <KeyValuePairs
              columns={4}
              items={[
                { label: 'Status', value: status },
                ...(kind === 'replay'
                  ? [
                      { label: 'Replays succeeded', value: String(job.succeeded) },
                      { label: 'Replays failed', value: String(job.failed) },
                      { label: 'Still running', value: String(Math.max(0, job.dispatched - finishedReplays)) },
                    ]
                  : [
                      { label: 'Cancelled', value: String(job.dispatched) },
                      { label: 'Skipped', value: String(job.skipped) },
                    ]),
                { label: 'Started', value: formatTime(job.createdAt) },
                { label: 'Updated', value: formatTime(job.updatedAt) },
              ]}
            />
          </SpaceBetween>
        </Container>
        <Container header={<Header variant="h2">Filter</Header>}>
          <SpaceBetween size="s">
            <KeyValueTable values={filterRows} keyHeader="Filter" label="Job filter" />
            {job.filter.instanceId && (
              <Box>
                {kind === 'replay' ? (
                  <RLink to={`${paths.instance(job.filter.instanceId, 'executions')}?trigger=REPLAY`}>See the instance's replays</RLink>
                ) : (
                  <RLink to={`${paths.instance(job.filter.instanceId, 'executions')}?status=CANCELLED`}>See the instance's cancelled executions</RLink>
                )}
              </Box>
            )}
          </SpaceBetween>
        </Container>
      </SpaceBetween>
    </ContentLayout>
  );
}
