import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Textarea from '@cloudscape-design/components/textarea';
import { useEffect, useMemo, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError, seg } from '../api/client';
import type { Execution, LogLine, Page } from '../api/types';
import { CancelExecutionModal, cancellable } from '../components/CancelExecutionModal';
import { ErrorAlert, errorText, isNotFound } from '../components/errors';
import { useFlash } from '../components/flash';
import { base64Length, formatDuration, formatTimeMs, prettyBody, relative } from '../components/format';
import { useInterval, useLoad } from '../components/hooks';
import { href, paths, RLink, useFollow } from '../components/links';
import { LogTable } from '../components/LogTable';
import { useApi } from '../components/session-context';
import { ExecutionStatusBadge } from '../components/status';
import { StepsTimeline } from '../components/StepsTimeline';
import { KeyValueTable, TextBlock } from '../components/text';
import NotFoundPage from './NotFoundPage';

const ACTIVE = new Set(['QUEUED', 'RUNNING']);
/** Retries are `<original>_r<attempt>` (attempts 2 to 11: at most 10 retries). */
const MAX_ATTEMPT = 11;

export default function ExecutionPage() {
  const { id = '' } = useParams();
  const api = useApi();
  const follow = useFollow();
  const loaded = useLoad<Execution>((s) => api.get(`/executions/${seg(id)}`, undefined, s), [id]);
  const e = loaded.data;
  // A test run writes its lines as they come: read them again at each poll while it runs.
  const [tick, setTick] = useState(0);
  const liveLines = !!e && e.trigger === 'TEST' && ACTIVE.has(e.status);
  const logs = useLoad<Page<LogLine>>((s) => api.get(`/executions/${seg(id)}/logs`, undefined, s), [id, e?.status, liveLines ? tick : 0]);
  const origin = e ? (e.retryOf ?? e.id) : null;
  const retries = useLoad<Execution[]>(
    async (signal) => {
      if (!e || !origin) return [];
      if (!e.retryOf && e.retriesRemaining === null && !e.nextRetryAt) return [];
      // The API does not list an execution's retries; they have derived ids, so look them up in order.
      const found: Execution[] = [];
      for (let attempt = 2; attempt <= MAX_ATTEMPT; attempt++) {
        try {
          found.push(await api.get<Execution>(`/executions/${seg(`${origin}_r${attempt}`)}`, undefined, signal));
        } catch (err) {
          if (err instanceof ApiError && err.status === 404) break;
          throw err;
        }
      }
      return found;
    },
    [origin, e?.status, e?.nextRetryAt, e?.retriesRemaining],
  );
  // Follow a run while it is queued or running, and a pending retry until it exists.
  useInterval(() => {
    loaded.reload();
    setTick((t) => t + 1);
  }, e && ACTIVE.has(e.status) ? 1500 : 5000, !!e && (ACTIVE.has(e.status) || !!e.nextRetryAt));
  const [replayOpen, setReplayOpen] = useState(false);
  const [cancelOpen, setCancelOpen] = useState(false);

  if (loaded.error && isNotFound(loaded.error)) return <NotFoundPage what={`execution ${id}`} />;
  if (!e) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spinner size="large" />;

  const lineage: { label: string; value: React.ReactNode }[] = [];
  if (e.retryOf) lineage.push({ label: 'Retry of', value: <RLink to={paths.execution(e.retryOf)}>{e.retryOf}</RLink> });
  if (e.replayOf) lineage.push({ label: 'Replay of', value: <RLink to={paths.execution(e.replayOf)}>{e.replayOf}</RLink> });
  const otherRetries = (retries.data ?? []).filter((r) => r.id !== e.id);
  if (otherRetries.length > 0 || e.retryOf) {
    lineage.push({
      label: e.retryOf ? 'Other attempts' : 'Retries',
      value: otherRetries.length ? (
        <SpaceBetween size="xxs">
          {otherRetries.map((r) => (
            <SpaceBetween key={r.id} direction="horizontal" size="xs">
              <RLink to={paths.execution(r.id)}>{r.id}</RLink>
              <ExecutionStatusBadge status={r.status} />
            </SpaceBetween>
          ))}
        </SpaceBetween>
      ) : 'none',
    });
  }
  lineage.push({
    label: 'Replays',
    value: e.replays && e.replays.length ? (
      <SpaceBetween size="xxs">
        {e.replays.map((r) => <RLink key={r} to={paths.execution(r)}>{r}</RLink>)}
      </SpaceBetween>
    ) : 'none',
  });
  if (e.status === 'FAILED') lineage.push({ label: 'Resolved', value: e.resolved ? 'Yes: a retry or replay succeeded' : 'No' });
  if (e.nextRetryAt) lineage.push({ label: 'Next retry', value: `${formatTimeMs(e.nextRetryAt)} (${relative(e.nextRetryAt)}), ${e.retriesRemaining ?? 0} left after it` });
  else if (e.retriesRemaining !== null && e.retriesRemaining !== undefined) lineage.push({ label: 'Retries remaining', value: String(e.retriesRemaining) });
  if (e.cancelledBy) lineage.push({ label: 'Cancelled', value: `by ${e.cancelledBy}${e.cancelledAt ? ` at ${formatTimeMs(e.cancelledAt)}` : ''}` });
  if (e.replayJobId) lineage.push({ label: 'Bulk replay job', value: <RLink to={paths.replayJob(e.replayJobId)}>{e.replayJobId}</RLink> });

  return (
    <ContentLayout
      header={
        <SpaceBetween size="s">
          <BreadcrumbGroup
            onFollow={follow}
            items={[
              { text: 'Instances', href: href(paths.instances()) },
              { text: e.instanceId, href: href(paths.instance(e.instanceId)) },
              { text: 'Executions', href: href(paths.instance(e.instanceId, 'executions')) },
              { text: e.id, href: href(paths.execution(e.id)) },
            ]}
          />
          <Header
            variant="h1"
            description={`${e.flow} · ${e.trigger}${e.attempt > 1 ? ` · attempt ${e.attempt}` : ''}`}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh" onClick={loaded.reload} />
                {cancellable(e) && <Button onClick={() => setCancelOpen(true)}>Cancel execution</Button>}
                <Button onClick={() => setReplayOpen(true)} disabled={!e.request}>Replay</Button>
              </SpaceBetween>
            }
          >
            <SpaceBetween direction="horizontal" size="s" alignItems="center">
              <span className="ferry-mono">{e.id}</span>
              <Box variant="span" fontSize="body-m" fontWeight="normal">
                <ExecutionStatusBadge status={e.status} />
              </Box>
            </SpaceBetween>
          </Header>
        </SpaceBetween>
      }
    >
      <SpaceBetween size="l">
        {e.error && (
          <Alert type="error" header={`Failed${e.error.step ? ` in step ${e.error.step}` : ''}${e.error.retryable ? ' (retryable)' : ''}`}>
            <span className="ferry-break" data-testid="execution-error">{e.error.message}</span>
          </Alert>
        )}
        <Container header={<Header variant="h2">Summary</Header>}>
          <KeyValuePairs
            columns={4}
            items={[
              { label: 'Status', value: <ExecutionStatusBadge status={e.status} /> },
              { label: 'Trigger', value: e.trigger },
              { label: 'Attempt', value: String(e.attempt) },
              { label: 'Instance', value: <RLink to={paths.instance(e.instanceId)}>{e.instanceId}</RLink> },
              { label: 'Queued', value: formatTimeMs(e.queuedAt) },
              { label: 'Started', value: formatTimeMs(e.startedAt) },
              { label: 'Ended', value: formatTimeMs(e.endedAt) },
              { label: 'Duration', value: formatDuration(e.durationMs) },
              { label: 'Flow', value: e.flow },
              { label: 'Integration version', value: e.integrationVersion == null ? 'not yet known' : String(e.integrationVersion) },
              { label: 'Customer', value: <RLink to={paths.customer(e.customerId)}>{e.customerId}</RLink> },
            ]}
          />
        </Container>
        <Container header={<Header variant="h2">Lineage</Header>}>
          <KeyValuePairs columns={3} items={lineage} />
        </Container>
        <RequestView e={e} />
        <Container header={<Header variant="h2" counter={`(${e.steps?.length ?? 0})`}>Steps</Header>}>
          <StepsTimeline steps={e.steps ?? []} />
        </Container>
        <ErrorAlert error={logs.error} />
        <LogTable
          lines={logs.data?.items ?? []}
          loading={logs.loading && !logs.data}
          linkExecutions={false}
          header={<Header variant="h2" description={liveLines ? 'A test run: lines appear as it writes them.' : ACTIVE.has(e.status) ? 'Lines are written when the run ends.' : undefined}>Log lines</Header>}
          empty={liveLines ? 'Running: no lines yet.' : ACTIVE.has(e.status) ? 'Running: its lines are written when it ends.' : 'No log lines.'}
        />
      </SpaceBetween>
      <CancelExecutionModal visible={cancelOpen} execution={e} onDismiss={() => setCancelOpen(false)} onCancelled={() => { setCancelOpen(false); loaded.reload(); }} />
      <ReplayModal visible={replayOpen} execution={e} onDismiss={() => setReplayOpen(false)} onReplayed={() => { setReplayOpen(false); loaded.reload(); }} />
    </ContentLayout>
  );
}

/** The request exactly as received: body (pretty when JSON, raw otherwise, base64 when binary), headers, query. */
function RequestView({ e }: { e: Execution }) {
  const r = e.request;
  const body = useMemo(() => (r && r.bodyEncoding === 'utf8' ? prettyBody(r.body) : null), [r]);
  if (!r) return null;
  return (
    <Container header={<Header variant="h2" description="Exactly as received.">Request</Header>}>
      <SpaceBetween size="m">
        <KeyValuePairs
          columns={3}
          items={[
            { label: 'Method', value: r.method ?? '—' },
            { label: 'Content type', value: r.contentType ?? '—' },
            {
              label: 'Body',
              value: r.bodyEncoding === 'base64' ? `${base64Length(r.body)} bytes, not UTF-8 text: shown as base64` : body?.json ? 'JSON, shown indented' : `${r.body.length} characters`,
            },
          ]}
        />
        <div>
          <Box variant="awsui-key-label">Body</Box>
          {r.body === '' ? <Box color="text-status-inactive">Empty</Box> : <TextBlock text={r.bodyEncoding === 'base64' ? r.body : body?.text ?? r.body} label="Request body" />}
        </div>
        <div>
          <Box variant="awsui-key-label">Headers</Box>
          <KeyValueTable values={r.headers} keyHeader="Header" label="Request headers" empty="No headers" />
        </div>
        <div>
          <Box variant="awsui-key-label">Query</Box>
          <KeyValueTable values={r.query} keyHeader="Parameter" label="Request query" empty="No query parameters" />
        </div>
      </SpaceBetween>
    </Container>
  );
}

function ReplayModal({ visible, execution, onDismiss, onReplayed }: { visible: boolean; execution: Execution; onDismiss: () => void; onReplayed: () => void }) {
  const api = useApi();
  const flash = useFlash();
  const binary = execution.request?.bodyEncoding === 'base64';
  const [mode, setMode] = useState<'same' | 'edited'>('same');
  const [body, setBody] = useState(execution.request?.body ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMode('same');
    setBody(execution.request?.body ?? '');
    setError(null);
  }, [visible, execution.request]);

  async function replay() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<{ executionId: string; status: string }>(`/executions/${seg(execution.id)}/replay`, mode === 'edited' ? { body } : {});
      flash({
        type: 'success',
        content: (
          <span>
            {`Replay ${answer.executionId} queued (${answer.status}). `}
            <RLink to={paths.execution(answer.executionId)}>Open the replay</RLink>
          </span>
        ),
      });
      onReplayed();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Replay this execution"
      size="medium"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Cancel</Button>
            <Button variant="primary" onClick={() => void replay()} loading={busy}>Replay</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>A new REPLAY execution runs the flow on the instance's current integration version, with the same headers and query.</Box>
        <RadioGroup
          value={mode}
          onChange={(e) => setMode(e.detail.value as 'same' | 'edited')}
          items={[
            { value: 'same', label: 'Same request' },
            { value: 'edited', label: 'Edited body', disabled: binary, description: binary ? 'The body is binary; it can only be replayed as it is.' : undefined },
          ]}
        />
        {mode === 'edited' && (
          <FormField label="Body" stretch>
            <Textarea ariaLabel="Replay body" value={body} rows={10} spellcheck={false} onChange={(e) => setBody(e.detail.value)} />
          </FormField>
        )}
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
