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

export type BulkKind = 'replay' | 'cancel';

const WORDS: Record<BulkKind, { header: string; start: string; rate: string; unit: string; what: string; none: string; route: string }> = {
  replay: {
    header: 'Replay matching executions',
    start: 'Start replay',
    rate: 'Replays per second',
    unit: 'Replays started per second',
    what: "Each match is run again as a new REPLAY execution on the instance's current integration version. The filter is fixed when the job starts, so its own replays never match.",
    none: ' Nothing to replay.',
    route: '/replays',
  },
  cancel: {
    header: 'Cancel matching executions',
    start: 'Start cancelling',
    rate: 'Cancellations per second',
    unit: 'Executions cancelled per second',
    what: 'Each match that has not run (queued, held, or failed with its retry pending) ends CANCELLED and never runs; matches already running or finished are skipped and left as they are.',
    none: ' Nothing to cancel.',
    route: '/cancellations',
  },
};

/**
 * Replays (or cancels) every execution the filter matches as one rate-limited job: a dry run
 * counts them first, and only then can the job be started; its live progress is the job's own page.
 */
export function BulkReplayModal({ visible, filter, onDismiss, kind = 'replay' }: { visible: boolean; filter: ExecutionFilter; onDismiss: () => void; kind?: BulkKind }) {
  const words = WORDS[kind];
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
      const job = await api.post<ReplayJob>(words.route, { filter: clean, dryRun: true });
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
      const job = await api.post<ReplayJob>(words.route, body);
      onDismiss();
      if (job.id) navigate(kind === 'replay' ? paths.replayJob(job.id) : paths.cancellationJob(job.id));
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
      header={words.header}
      size="medium"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>
              {kind === 'replay' ? 'Cancel' : 'Close'}
            </Button>
            <Button onClick={() => void dryRun()} loading={busy === 'count'} disabled={Object.keys(clean).length === 0}>
              Count matches (dry run)
            </Button>
            <Button variant="primary" onClick={() => void start()} loading={busy === 'start'} disabled={count === null || count === 0 || !!rateError}>
              {words.start}
            </Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>{words.what}</Box>
        <KeyValueTable values={filterRows} keyHeader="Filter" label={kind === 'replay' ? 'Replay filter' : 'Cancellation filter'} empty="No filter: set at least one." />
        <FormField label="Rate" description={`${words.unit} (up to 1,000). Empty: as fast as the job runs.`}>
          <Input type="number" inputMode="decimal" value={rate} onChange={(e) => setRate(e.detail.value)} ariaLabel={words.rate} placeholder="e.g. 20" invalid={!!rateError} />
        </FormField>
        {rateError && <Box color="text-status-error">{rateError}</Box>}
        <FormField label="Name (optional)">
          <Input value={name} onChange={(e) => setName(e.detail.value)} ariaLabel="Job name" placeholder={kind === 'replay' ? 'e.g. replay after the ERP outage' : 'e.g. drop the test orders'} />
        </FormField>
        {count !== null && (
          <Alert type={count > 0 ? 'info' : 'warning'} header="Dry run">
            {count === 1 ? '1 execution matches.' : `${count} executions match.`}
            {count === 0 ? words.none : ''}
          </Alert>
        )}
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
