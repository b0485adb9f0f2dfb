import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import Multiselect from '@cloudscape-design/components/multiselect';
import Select from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { seg } from '../../api/client';
import { MONITOR_TRIGGERS, type AlertChannel, type Instance, type Monitor, type MonitorTrigger, type MonitorTriggerType } from '../../api/types';
import { AlertsTable } from '../../components/AlertsTable';
import { ErrorAlert, errorText } from '../../components/errors';
import { useFlash } from '../../components/flash';
import { formatTime } from '../../components/format';
import { useCursorPages } from '../../components/hooks';
import { MuteMonitorModal } from '../../components/MuteMonitorModal';
import { Pager } from '../../components/Pager';
import { useApi } from '../../components/session-context';

export function describeTrigger(t: MonitorTrigger): string {
  switch (t.type) {
    case 'EXECUTION_DURATION_EXCEEDED':
      return `${t.type} > ${t.durationSeconds} s`;
    case 'EXECUTION_OVERDUE':
      return `${t.type} after ${t.overdueMinutes} min`;
    case 'FAILURE_RATE':
      return `${t.type} ≥ ${t.percent}% in ${t.windowMinutes} min${t.minExecutions ? ` (min ${t.minExecutions})` : ''}`;
    case 'LOG_LEVEL_MATCHED':
      return `${t.type} ${t.logSeverity}`;
    default:
      return t.type;
  }
}

/** Muted now: a mute in the past has ended by itself. */
export function isMuted(m: Monitor, now: number = Date.now()): boolean {
  return !!m.mutedUntil && new Date(m.mutedUntil).getTime() > now;
}

function channelText(c: AlertChannel): string {
  if (c.hidden) return `${c.type} (hidden)`;
  if (c.to) return `mailto:${c.to.join(',')}`;
  return c.url ?? c.type;
}

function scopeText(m: Monitor, instance: Instance): string {
  if (m.scope.flowConfigId) return `Flow ${instance.flowConfigs.find((f) => f.id === m.scope.flowConfigId)?.flow ?? m.scope.flowConfigId}`;
  if (m.scope.instanceId) return 'This instance';
  if (m.scope.customerId) return `Customer ${m.scope.customerId}`;
  return 'Everything';
}

export function MonitorsTab({ instance }: { instance: Instance }) {
  const api = useApi();
  const flash = useFlash();
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<Monitor | null>(null);
  const [muting, setMuting] = useState<Monitor | null>(null);
  // The monitors watching the instance: its own, its customer's and those scoped to everything.
  const monitors = useCursorPages<Monitor>('/monitors', { instanceId: instance.id, limit: 25 });

  async function unmute(m: Monitor) {
    try {
      await api.patch(`/monitors/${seg(m.id)}`, { mutedUntil: null });
      flash({ type: 'success', content: `Monitor "${m.name}" unmuted: its alerts are sent again.` });
      monitors.reload();
    } catch (e) {
      flash({ type: 'error', header: 'Could not unmute the monitor', content: errorText(e) });
    }
  }

  async function remove(m: Monitor) {
    try {
      await api.delete(`/monitors/${seg(m.id)}`);
      flash({ type: 'success', content: `Monitor "${m.name}" deleted.` });
      setDeleting(null);
      monitors.reload();
    } catch (e) {
      flash({ type: 'error', header: 'Could not delete the monitor', content: errorText(e) });
    }
  }

  return (
    <SpaceBetween size="l">
      <ErrorAlert error={monitors.error} />
      <Table
        variant="container"
        header={
          <Header
            counter={monitors.loading ? undefined : `(${monitors.items.length}${monitors.hasNext ? '+' : ''})`}
            description="Monitors watching this instance: scoped to it or one of its flows, to its customer, or to everything."
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                <Button iconName="refresh" ariaLabel="Refresh monitors" onClick={monitors.reload} />
                <Button variant="primary" onClick={() => setCreating(true)}>Create monitor</Button>
              </SpaceBetween>
            }
          >
            Monitors
          </Header>
        }
        items={monitors.items}
        pagination={<Pager pages={monitors} />}
        loading={monitors.loading}
        loadingText="Loading monitors"
        trackBy="id"
        wrapLines
        ariaLabels={{ tableLabel: 'Monitors' }}
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (m) => m.name },
          { id: 'triggers', header: 'Triggers', cell: (m) => m.triggers.map(describeTrigger).join(', ') },
          { id: 'scope', header: 'Scope', cell: (m) => scopeText(m, instance) },
          { id: 'channels', header: 'Channels', cell: (m) => (m.channels.length ? m.channels.map(channelText).join(', ') : 'none (alerts are only recorded)') },
          { id: 'muted', header: 'Muted', cell: (m) => (isMuted(m) ? `until ${formatTime(m.mutedUntil)}` : 'no') },
          { id: 'created', header: 'Created', cell: (m) => formatTime(m.createdAt) },
          {
            id: 'actions',
            header: '',
            cell: (m) => (
              <SpaceBetween direction="horizontal" size="xs">
                {isMuted(m) ? (
                  <Button variant="inline-link" ariaLabel={`Unmute monitor ${m.name}`} onClick={() => void unmute(m)}>Unmute</Button>
                ) : (
                  <Button variant="inline-link" ariaLabel={`Mute monitor ${m.name}`} onClick={() => setMuting(m)}>Mute</Button>
                )}
                <Button variant="inline-link" ariaLabel={`Delete monitor ${m.name}`} onClick={() => setDeleting(m)}>Delete</Button>
              </SpaceBetween>
            ),
          },
        ]}
        empty={<Box textAlign="center" color="inherit">No monitors for this instance.</Box>}
      />
      <AlertsTable query={{ instanceId: instance.id }} title="Alerts about this instance" showInstance={false} />
      <CreateMonitorModal
        visible={creating}
        instance={instance}
        onDismiss={() => setCreating(false)}
        onCreated={(m) => {
          setCreating(false);
          flash({ type: 'success', content: `Monitor "${m.name}" created.` });
          monitors.reload();
        }}
      />
      <MuteMonitorModal
        monitor={muting}
        onDismiss={() => setMuting(null)}
        onMuted={(m) => {
          setMuting(null);
          flash({ type: 'success', content: `Monitor "${m.name}" muted until ${formatTime(m.mutedUntil)}.` });
          monitors.reload();
        }}
      />
      <Modal
        visible={deleting !== null}
        onDismiss={() => setDeleting(null)}
        header="Delete monitor"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setDeleting(null)}>Cancel</Button>
              <Button variant="primary" onClick={() => deleting && void remove(deleting)}>Delete</Button>
            </SpaceBetween>
          </Box>
        }
      >
        {deleting ? `Delete the monitor "${deleting.name}"? Its alerts stay.` : ''}
      </Modal>
    </SpaceBetween>
  );
}

const PARAMS: Partial<Record<MonitorTriggerType, { field: keyof MonitorTrigger; label: string; placeholder: string }[]>> = {
  EXECUTION_DURATION_EXCEEDED: [{ field: 'durationSeconds', label: 'Longer than (seconds)', placeholder: '300' }],
  EXECUTION_OVERDUE: [{ field: 'overdueMinutes', label: 'No execution started for (minutes)', placeholder: '60' }],
  FAILURE_RATE: [
    { field: 'percent', label: 'Failure rate at least (%)', placeholder: '20' },
    { field: 'windowMinutes', label: 'Over the last (minutes)', placeholder: '15' },
    { field: 'minExecutions', label: 'With at least (executions, optional)', placeholder: '5' },
  ],
};

function CreateMonitorModal({ visible, instance, onDismiss, onCreated }: {
  visible: boolean;
  instance: Instance;
  onDismiss: () => void;
  onCreated: (m: Monitor) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [types, setTypes] = useState<MonitorTriggerType[]>(['EXECUTION_FAILED']);
  const [params, setParams] = useState<Record<string, string>>({});
  const [logSeverity, setLogSeverity] = useState<'WARN' | 'ERROR'>('ERROR');
  const [flowConfigId, setFlowConfigId] = useState('');
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function create() {
    setBusy(true);
    setError(null);
    try {
      const triggers = types.map((type) => {
        const t: Record<string, unknown> = { type };
        for (const p of PARAMS[type] ?? []) {
          const v = params[`${type}.${p.field}`];
          if (v !== undefined && v.trim() !== '') t[p.field] = Number(v);
        }
        if (type === 'LOG_LEVEL_MATCHED') t.logSeverity = logSeverity;
        return t;
      });
      const body: Record<string, unknown> = {
        name: name.trim(),
        triggers,
        scope: flowConfigId ? { instanceId: instance.id, flowConfigId } : { instanceId: instance.id },
        channels: url.trim() ? [{ type: 'webhook', url: url.trim(), ...(secret ? { secret } : {}) }] : [],
      };
      const m = await api.post<Monitor>('/monitors', body);
      setName('');
      setUrl('');
      setSecret('');
      onCreated(m);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const flowOptions = [{ value: '', label: 'All flows' }, ...instance.flowConfigs.map((fc) => ({ value: fc.id, label: fc.flow }))];
  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Create monitor"
      size="medium"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Cancel</Button>
            <Button variant="primary" onClick={() => void create()} loading={busy} disabled={!name.trim() || types.length === 0}>Create</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <FormField label="Name">
          <Input ariaLabel="Monitor name" value={name} onChange={(e) => setName(e.detail.value)} placeholder="Order failures" />
        </FormField>
        <FormField label="Flow">
          <Select ariaLabel="Monitor flow" selectedOption={flowOptions.find((o) => o.value === flowConfigId) ?? flowOptions[0]} options={flowOptions} onChange={(e) => setFlowConfigId(e.detail.selectedOption.value ?? '')} />
        </FormField>
        <FormField label="Alert when">
          <Multiselect
            ariaLabel="Triggers"
            selectedOptions={types.map((t) => ({ value: t, label: t }))}
            options={MONITOR_TRIGGERS.map((t) => ({ value: t, label: t }))}
            onChange={(e) => setTypes(e.detail.selectedOptions.map((o) => o.value as MonitorTriggerType))}
            placeholder="Choose triggers"
          />
        </FormField>
        {types.flatMap((t) =>
          (PARAMS[t] ?? []).map((p) => (
            <FormField key={`${t}.${p.field}`} label={`${t}: ${p.label}`}>
              <Input type="number" ariaLabel={`${t} ${p.label}`} value={params[`${t}.${p.field}`] ?? ''} placeholder={p.placeholder} onChange={(e) => setParams({ ...params, [`${t}.${p.field}`]: e.detail.value })} />
            </FormField>
          )),
        )}
        {types.includes('LOG_LEVEL_MATCHED') && (
          <FormField label="LOG_LEVEL_MATCHED: a line at least">
            <Select ariaLabel="Log severity" selectedOption={{ value: logSeverity, label: logSeverity }} options={[{ value: 'WARN', label: 'WARN' }, { value: 'ERROR', label: 'ERROR' }]} onChange={(e) => setLogSeverity(e.detail.selectedOption.value as 'WARN' | 'ERROR')} />
          </FormField>
        )}
        <FormField label="Webhook channel (optional)" description="Alerts are POSTed here as JSON; without one they are only recorded.">
          <Input ariaLabel="Channel URL" value={url} onChange={(e) => setUrl(e.detail.value)} placeholder="https://alerts.example.com/ferry" />
        </FormField>
        <FormField label="Signing secret (optional)" description="Signs each alert with x-ferry-signature: sha256=…">
          <Input type="password" ariaLabel="Channel secret" value={secret} onChange={(e) => setSecret(e.detail.value)} />
        </FormField>
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
