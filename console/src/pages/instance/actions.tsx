import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Input from '@cloudscape-design/components/input';
import Modal from '@cloudscape-design/components/modal';
import RadioGroup from '@cloudscape-design/components/radio-group';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import { seg } from '../../api/client';
import type { Instance, PauseMode } from '../../api/types';
import { errorText } from '../../components/errors';
import { useApi } from '../../components/session-context';

/** Pause: the pause mode says what webhooks get meanwhile; schedules are disabled either way. */
export function PauseModal({ visible, instance, onDismiss, onPaused }: {
  visible: boolean;
  instance: Instance;
  onDismiss: () => void;
  onPaused: (answer: Instance) => void;
}) {
  const api = useApi();
  const [mode, setMode] = useState<PauseMode>(instance.pauseMode);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setMode(instance.pauseMode);
    setError(null);
  }, [visible, instance.pauseMode]);

  async function pause() {
    setBusy(true);
    setError(null);
    try {
      if (mode !== instance.pauseMode) await api.request('PATCH', `/instances/${seg(instance.id)}`, { body: { pauseMode: mode } });
      onPaused(await api.post<Instance>(`/instances/${seg(instance.id)}/pause`));
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
      header={`Pause ${instance.name}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Cancel</Button>
            <Button variant="primary" onClick={() => void pause()} loading={busy}>Pause</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>Its schedules are disabled (and do not catch up later); nothing that arrives is lost.</Box>
        <FormField label="While paused, webhooks are">
          <RadioGroup
            value={mode}
            onChange={(e) => setMode(e.detail.value as PauseMode)}
            items={[
              { value: 'REJECT', label: 'Rejected', description: 'Answered 503 with Retry-After: the sender tries again later.' },
              { value: 'HOLD', label: 'Held', description: 'Stored as HELD and run in arrival order on unpause.' },
            ]}
          />
        </FormField>
        {error && <Alert type="error">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}

/** Delete: the button stays disabled until the instance's exact name is typed (the API checks it too). */
export function DeleteInstanceModal({ visible, instance, onDismiss, onDeleted }: {
  visible: boolean;
  instance: Instance;
  onDismiss: () => void;
  onDeleted: (more: boolean) => void;
}) {
  const api = useApi();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setTyped('');
    setError(null);
  }, [visible]);
  const matches = typed === instance.name;

  async function remove() {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.delete<{ more?: boolean } | undefined>(`/instances/${seg(instance.id)}`, { confirm: typed });
      onDeleted(!!answer?.more);
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
      header={`Delete ${instance.name}`}
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Cancel</Button>
            <Button variant="primary" onClick={() => void remove()} loading={busy} disabled={!matches}>Delete</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (matches) void remove();
        }}
      >
        <SpaceBetween size="m">
          <Alert type="warning">
            This deletes the instance with its executions, payloads, logs, schedules, monitors and their alerts. It cannot be undone.
          </Alert>
          <FormField
            label={<span>Type the instance's name, <strong>{instance.name}</strong>, to confirm</span>}
            errorText={typed !== '' && !matches ? 'Not the instance\u2019s exact name' : undefined}
          >
            <Input value={typed} onChange={(e) => setTyped(e.detail.value)} ariaLabel="Instance name to confirm" placeholder={instance.name} autoFocus />
          </FormField>
          {error && <Alert type="error">{error}</Alert>}
        </SpaceBetween>
      </form>
    </Modal>
  );
}
