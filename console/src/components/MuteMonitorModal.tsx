import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import { seg } from '../api/client';
import type { Monitor } from '../api/types';
import { errorText } from './errors';
import { formatTime } from './format';
import { useApi } from './session-context';

/** The API's longest mute. */
export const MAX_MUTE_DAYS = 90;
export type MuteUnit = 'minutes' | 'hours' | 'days';
const UNIT_MS: Record<MuteUnit, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/**
 * When a mute of `amount` `unit`s from `now` ends, as the API takes it (whole seconds), or why it
 * cannot be: not a positive number, or beyond the longest mute.
 */
export function muteUntil(now: Date, amount: string, unit: MuteUnit): { until: string } | { error: string } {
  const n = Number(amount);
  if (amount.trim() === '' || !Number.isFinite(n) || n <= 0) return { error: 'A number greater than 0' };
  const ms = n * UNIT_MS[unit];
  if (ms > MAX_MUTE_DAYS * UNIT_MS.days) return { error: `At most ${MAX_MUTE_DAYS} days` };
  const until = new Date(Math.floor((now.getTime() + ms) / 1000) * 1000);
  return { until: until.toISOString().replace('.000Z', 'Z') };
}

/** Mutes a monitor for a while: its alerts are still recorded, marked muted, and sent nowhere until then. */
export function MuteMonitorModal({ monitor, onDismiss, onMuted, now = () => new Date() }: {
  monitor: Monitor | null;
  onDismiss: () => void;
  onMuted: (m: Monitor) => void;
  now?: () => Date;
}) {
  const api = useApi();
  const [amount, setAmount] = useState('1');
  const [unit, setUnit] = useState<MuteUnit>('hours');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [monitor]);
  const check = muteUntil(now(), amount, unit);
  const invalid = 'error' in check ? check.error : undefined;

  async function mute() {
    if (!monitor) return;
    const at = muteUntil(now(), amount, unit);
    if ('error' in at) return;
    setBusy(true);
    setError(null);
    try {
      onMuted(await api.patch<Monitor>(`/monitors/${seg(monitor.id)}`, { mutedUntil: at.until }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const units = (['minutes', 'hours', 'days'] as MuteUnit[]).map((u) => ({ value: u, label: u }));
  return (
    <Modal
      visible={monitor !== null}
      onDismiss={onDismiss}
      header="Mute monitor"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Cancel</Button>
            <Button variant="primary" onClick={() => void mute()} loading={busy} disabled={!!invalid}>Mute</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          While "{monitor?.name}" is muted its alerts are still recorded, marked muted, and sent to no channel. The mute ends by itself.
        </Box>
        <SpaceBetween direction="horizontal" size="s">
          <FormField label="Mute for" errorText={invalid} description={`Up to ${MAX_MUTE_DAYS} days.`}>
            <Input type="number" inputMode="decimal" ariaLabel="Mute for" value={amount} onChange={(e) => setAmount(e.detail.value)} invalid={!!invalid} />
          </FormField>
          <FormField label="Unit">
            <Select ariaLabel="Mute unit" selectedOption={units.find((u) => u.value === unit)!} options={units} onChange={(e) => setUnit(e.detail.selectedOption.value as MuteUnit)} />
          </FormField>
        </SpaceBetween>
        {'until' in check && <Box>Muted until {formatTime(check.until)}.</Box>}
        {error && <Alert type="error" header="Not muted">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
