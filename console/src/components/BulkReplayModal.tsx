import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import type { ExecutionFilter, ReplayJob } from '../api/types';
import { errorText } from './errors';
import { paths } from './links';
import { useApi } from './session-context';
import { KeyValueTable } from './text';

export const MAX_RATE = 1000;

/** The filter as the API takes it: only the fields that are set. */
export function cleanFilter(f: ExecutionFilter): ExecutionFilter {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(f)) if (v !== undefined && v !== '' && v !== false && v !== null) out[k] = v;
  return out as ExecutionFilter;
}

/**
 * Replays every execution the filter matches as one rate-limited job: a dry run counts them first,
 * and only then can the job be started; its live progress is the job's own page.
 */
export function BulkReplayModal({ visible, filter, onDismiss }: { visible: boolean; filter: ExecutionFilter; onDismiss: () => void }) {
  const api = useApi();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [rate, setRate] = useState('');
  const [count, setCount] = useState<number | null>(null);
  const [busy, setBusy] = useState<'count' | 'start' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const clean = cleanFilter(filter);
  const filterKey = JSON.stringify(clean);
  useEffect(() => {
    setCount(null);
    setError(null);
  }, [filterKey, visible]);

  const rateNumber = rate.trim() === '' ? null : Number(rate);
  const rateError = rateNumber !== null && (!Number.isFinite(rateNumber) || rateNumber <= 0 || rateNumber > MAX_RATE)
    ? `A number greater than 0 and at most ${MAX_RATE}, or empty for no limit`
    : undefined;

  async function dryRun() {
    setBusy('count');
    setError(null);
    try {
      const job = await api.post<ReplayJob>('/replays', { filter: clean, dryRun: true });
      setCount(job.matched);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  async function start() {
    setBusy('start');
    setError(null);
    try {
      const body: Record<string, unknown> = { filter: clean };
      if (name.trim()) body.name = name.trim();
      if (rateNumber !== null) body.ratePerSecond = rateNumber;
      const job = await api.post<ReplayJob>('/replays', body);
      onDismiss();
      if (job.id) navigate(paths.replayJob(job.id));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  }

  const filterRows: Record<string, string> = {};
  for (const [k, v] of Object.entries(clean)) filterRows[k] = String(v);

  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Replay matching executions"
      size="medium"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              Cancel
            </Button>
            <Button onClick={() => void dryRun()} loading={busy === 'count'} disabled={Object.keys(clean).length === 0}>
              Count matches (dry run)
            </Button>
            <Button variant="primary" onClick={() => void start()} loading={busy === 'start'} disabled={count === null || count === 0 || !!rateError}>
              Start replay
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>Each match is run again as a new REPLAY execution on the instance's current integration version. The filter is fixed when the job starts, so its own replays never match.</Box>
        <KeyValueTable values={filterRows} keyHeader="Filter" label="Replay filter" empty="No filter: set at least one." />
        <FormField label="Rate" description="Replays started per second (up to 1,000). Empty: as fast as the job runs.">
          <Input type="number" inputMode="decimal" value={rate} onChange={(e) => setRate(e.detail.value)} ariaLabel="Replays per second" placeholder="e.g. 20" invalid={!!rateError} />
        </FormField>
        {rateError && <Box color="text-status-error">{rateError}</Box>}
        <FormField label="Name (optional)">
          <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Job name" placeholder="e.g. replay after the ERP outage" />
        </FormField>
        {count !== null && (
          <Alert type={count > 0 ? 'info' : 'warning'} header="Dry run">
            {count === 1 ? '1 execution matches.' : `${count} executions match.`}
            {count === 0 ? ' Nothing to replay.' : ''}
          </Alert>
        )}
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
