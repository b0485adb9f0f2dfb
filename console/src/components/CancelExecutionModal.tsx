import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Modal from '@cloudscape-design/components/modal';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useState } from 'react';
import { seg } from '../api/client';
import type { Execution } from '../api/types';
import { errorText } from './errors';
import { useFlash } from './flash';
import { useApi } from './session-context';

/**
 * Whether an execution can still be cancelled: it has not run (queued or held) or it failed and
 * its retry is pending. The API decides a race with a run starting (409 and nothing changes).
 */
export function cancellable(e: Pick<Execution, 'status' | 'nextRetryAt'>): boolean {
  return e.status === 'QUEUED' || e.status === 'HELD' || (e.status === 'FAILED' && !!e.nextRetryAt);
}

/** Asks before cancelling one execution; a refusal (it ran meanwhile) is shown and nothing changes. */
export function CancelExecutionModal({ execution, visible, onDismiss, onCancelled }: {
  execution: Execution;
  visible: boolean;
  onDismiss: () => void;
  onCancelled: (e: Execution) => void;
}) {
  const api = useApi();
  const flash = useFlash();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setError(null), [visible]);

  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      const e = await api.post<Execution>(`/executions/${seg(execution.id)}/cancel`);
      flash({ type: 'success', content: `Execution ${e.id} cancelled: it will not run.` });
      onCancelled(e);
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  const what = execution.status === 'FAILED' ? 'Its pending retry will not run.' : 'It will never run, and an unpause does not release it.';
  return (
    <Modal
      visible={visible}
      onDismiss={onDismiss}
      header="Cancel execution"
      footer={
        <Box float="right">
          <SpaceBetween direction="horizontal" size="xs">
            <Button variant="link" onClick={onDismiss}>Keep it</Button>
            <Button variant="primary" onClick={() => void cancel()} loading={busy}>Cancel execution</Button>
          </SpaceBetween>
        </Box>
      }
    >
      <SpaceBetween size="m">
        <Box>
          Cancel <span className="ferry-mono">{execution.id}</span> ({execution.status})? {what}
        </Box>
        {error && <Alert type="error" header="Not cancelled">{error}</Alert>}
      </SpaceBetween>
    </Modal>
  );
}
