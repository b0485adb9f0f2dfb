import Alert from '@cloudscape-design/components/alert';
import AttributeEditor from '@cloudscape-design/components/attribute-editor';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Container from '@cloudscape-design/components/container';
import Form from '@cloudscape-design/components/form';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import KeyValuePairs from '@cloudscape-design/components/key-value-pairs';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Textarea from '@cloudscape-design/components/textarea';
import { useEffect, useState } from 'react';
import { seg } from '../../api/client';
import type { Execution, Instance, LogLine, Page } from '../../api/types';
import { errorText } from '../../components/errors';
import { formatDuration } from '../../components/format';
import { useInterval } from '../../components/hooks';
import { paths, RLink } from '../../components/links';
import { LogTable } from '../../components/LogTable';
import { useApi } from '../../components/session-context';
import { ExecutionStatusBadge } from '../../components/status';
import { StepsTimeline } from '../../components/StepsTimeline';

interface HeaderRow {
  key: string;
  value: string;
}

/** Whether the payload parses as JSON (a JSON content type should carry JSON; other types are sent as typed). */
export function payloadProblem(payload: string, contentType: string): string | null {
  if (!/json/i.test(contentType) || payload.trim() === '') return null;
  try {
    JSON.parse(payload);
    return null;
  } catch (e) {
    return `Not valid JSON: ${(e as Error).message}`;
  }
}

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

/**
 * Runs a flow now with a chosen payload (also while the instance is paused) and shows the run: when
 * it outlasts the request's wait, it is followed every second, its log lines shown as they arrive.
 */
export function TestTab({ instance }: { instance: Instance }) {
  const api = useApi();
  const [flowConfigId, setFlowConfigId] = useState(instance.flowConfigs[0]?.id ?? '');
  const [payload, setPayload] = useState('{\n  "id": 1\n}');
  const [contentType, setContentType] = useState('application/json');
  const [headers, setHeaders] = useState<HeaderRow[]>([]);
  const [running, setRunning] = useState<number | null>(null);
  const [elapsed, setElapsed] = useState(0);
  const [result, setResult] = useState<Execution | null>(null);
  const [logs, setLogs] = useState<LogLine[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useInterval(() => running !== null && setElapsed(Date.now() - running), 200, running !== null);
  const resultId = result?.id;
  const resultStatus = result?.status;
  useEffect(() => {
    if (!resultId) return;
    const ctl = new AbortController();
    api.get<Page<LogLine>>(`/executions/${seg(resultId)}/logs`, undefined, ctl.signal).then((p) => setLogs(p.items), () => setLogs((l) => l ?? []));
    return () => ctl.abort();
  }, [api, resultId, resultStatus]);
  // A test still running when the request answered (202): follow it, its log lines arriving as the run writes them.
  const following = !!result && !TERMINAL.has(result.status);
  useInterval(
    () => {
      if (!resultId) return;
      api.get<Execution>(`/executions/${seg(resultId)}`).then(setResult, () => undefined);
      api.get<Page<LogLine>>(`/executions/${seg(resultId)}/logs`).then((p) => setLogs(p.items), () => undefined);
    },
    1000,
    following,
  );

  const problem = payloadProblem(payload, contentType);
  const headerProblems = headers.map((h) => (h.key.trim() === '' && h.value !== '' ? 'A header needs a name' : undefined));

  async function run() {
    setError(null);
    setResult(null);
    setLogs(null);
    const start = Date.now();
    setRunning(start);
    setElapsed(0);
    try {
      const hs: Record<string, string> = {};
      for (const h of headers) if (h.key.trim()) hs[h.key.trim()] = h.value;
      const done = await api.post<Execution>(`/flow-configs/${seg(flowConfigId)}/test`, { body: payload, headers: hs, contentType });
      setResult(done);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setRunning(null);
    }
  }

  const options = instance.flowConfigs.map((fc) => ({ value: fc.id, label: fc.flow, description: `${fc.trigger}${fc.schedule ? ` · ${fc.schedule}` : ''}` }));
  return (
    <SpaceBetween size="l">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <Form
          actions={
            <Button variant="primary" formAction="submit" loading={running !== null} disabled={!flowConfigId || !!problem}>
              Run test
            </Button>
          }
        >
          <Container header={<Header variant="h2" description="Runs the flow now with this request, even while the instance is paused. Test runs are not retried and raise no alerts.">Test a flow</Header>}>
            <SpaceBetween size="m">
              <FormField label="Flow">
                <Select ariaLabel="Flow to test" selectedOption={options.find((o) => o.value === flowConfigId) ?? null} options={options} onChange={(e) => setFlowConfigId(e.detail.selectedOption.value ?? '')} />
              </FormField>
              <FormField label="Content type">
                <Input ariaLabel="Content type" value={contentType} onChange={(e) => setContentType(e.detail.value)} />
              </FormField>
              <FormField label="Body" errorText={problem ?? undefined} stretch>
                <Textarea ariaLabel="Test body" value={payload} rows={8} spellcheck={false} onChange={(e) => setPayload(e.detail.value)} />
              </FormField>
              <FormField label="Headers">
                <AttributeEditor
                  items={headers}
                  onAddButtonClick={() => setHeaders([...headers, { key: '', value: '' }])}
                  onRemoveButtonClick={(e) => setHeaders(headers.filter((_, i) => i !== e.detail.itemIndex))}
                  addButtonText="Add header"
                  removeButtonText="Remove"
                  empty="No headers besides the content type."
                  definition={[
                    {
                      label: 'Name',
                      control: (h, i) => (
                        <Input ariaLabel={`Header ${i + 1} name`} value={h.key} placeholder="x-request-id" onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, key: e.detail.value } : x)))} />
                      ),
                      errorText: (_h, i) => headerProblems[i],
                    },
                    {
                      label: 'Value',
                      control: (h, i) => (
                        <Input ariaLabel={`Header ${i + 1} value`} value={h.value} onChange={(e) => setHeaders(headers.map((x, j) => (j === i ? { ...x, value: e.detail.value } : x)))} />
                      ),
                    },
                  ]}
                />
              </FormField>
            </SpaceBetween>
          </Container>
        </Form>
      </form>
      {running !== null && (
        <Alert type="info" header="Running">
          {`Running for ${formatDuration(elapsed)}. The API answers when the run ends, or after 10 s with the run still going; then it is followed here, its log lines shown as they arrive.`}
        </Alert>
      )}
      {error && <Alert type="error" header="The test could not run">{error}</Alert>}
      {result && (
        <SpaceBetween size="l">
          <Container
            header={
              <Header
                variant="h2"
                description={following ? 'Still running: followed every second.' : undefined}
                actions={<RLink to={paths.execution(result.id)}>Open the execution</RLink>}
              >
                Result
              </Header>
            }
          >
            <KeyValuePairs
              columns={4}
              items={[
                { label: 'Status', value: <ExecutionStatusBadge status={result.status} /> },
                { label: 'Duration', value: formatDuration(result.durationMs) },
                { label: 'Execution', value: <span className="ferry-mono">{result.id}</span> },
                { label: 'Error', value: result.error ? <span className="ferry-break">{result.error.message}</span> : '—' },
              ]}
            />
          </Container>
          <Container header={<Header variant="h2">Steps</Header>}>
            <StepsTimeline steps={result.steps ?? []} />
          </Container>
          <LogTable lines={logs ?? []} loading={logs === null} linkExecutions={false} header={<Header variant="h2">Log lines</Header>} />
        </SpaceBetween>
      )}
      {!result && running === null && !error && <Box color="text-status-inactive">The run's steps and log lines appear here.</Box>}
    </SpaceBetween>
  );
}
