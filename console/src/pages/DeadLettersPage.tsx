import Alert from '@cloudscape-design/components/alert';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import Modal from '@cloudscape-design/components/modal';
import SegmentedControl from '@cloudscape-design/components/segmented-control';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import { useState } from 'react';
import { DEAD_LETTER_QUEUES, type DeadLetter, type DeadLetterQueue } from '../api/types';
import { ErrorAlert, errorText } from '../components/errors';
import { useFlash } from '../components/flash';
import { formatTime } from '../components/format';
import { useLoad, useUrlFilters } from '../components/hooks';
import { useApi } from '../components/session-context';

const LIMIT = 100;

/** Messages that failed every delivery, per queue (admin key only); redrive them once the cause is fixed. */
export default function DeadLettersPage() {
  const api = useApi();
  const flash = useFlash();
  const [f, setF] = useUrlFilters(['queue'] as const);
  const queue = ((DEAD_LETTER_QUEUES as readonly string[]).includes(f.queue) ? f.queue : 'execution') as DeadLetterQueue;
  const list = useLoad<{ items: DeadLetter[] }>((s) => api.get(`/dead-letters`, { queue, limit: LIMIT }, s), [queue]);
  const [selected, setSelected] = useState<DeadLetter[]>([]);
  const [confirm, setConfirm] = useState<'selected' | 'all' | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function redrive(which: 'selected' | 'all') {
    setBusy(true);
    setError(null);
    try {
      const body = which === 'all' ? { queue } : { queue, messageIds: selected.map((d) => d.id) };
      const r = await api.post<{ moved: string[]; notFound: string[] }>('/dead-letters/redrive', body);
      const moved = r.moved.length;
      flash({
        type: 'success',
        content: `${moved} message${moved === 1 ? '' : 's'} moved back to the ${queue} queue${r.notFound.length ? `; ${r.notFound.length} no longer there` : ''}.`,
      });
      setSelected([]);
      setConfirm(null);
      list.reload();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }

  const items = list.data?.items ?? [];
  return (
    <ContentLayout header={<Header variant="h1" description="Messages every delivery failed for (5 receives), kept in each queue's dead-letter queue. Move them back once the cause is fixed; consumers are idempotent.">Dead letters</Header>}>
      <SpaceBetween size="m">
        <SegmentedControl
          label="Queue"
          selectedId={queue}
          onChange={(e) => {
            setSelected([]);
            setF({ queue: e.detail.selectedId });
          }}
          options={DEAD_LETTER_QUEUES.map((q) => ({ id: q, text: q }))}
        />
        <ErrorAlert error={list.error} />
        {error && <Alert type="error">{error}</Alert>}
        <Table
          variant="container"
          header={
            <Header
              counter={list.loading ? undefined : `(${items.length}${items.length >= LIMIT ? '+' : ''})`}
              actions={
                <SpaceBetween direction="horizontal" size="xs">
                  <Button iconName="refresh" ariaLabel="Refresh dead letters" onClick={list.reload} />
                  <Button disabled={selected.length === 0} onClick={() => setConfirm('selected')}>Redrive selected</Button>
                  <Button variant="primary" disabled={items.length === 0} onClick={() => setConfirm('all')}>Redrive all</Button>
                </SpaceBetween>
              }
            >
              {`${queue} dead-letter queue`}
            </Header>
          }
          selectionType="multi"
          selectedItems={selected}
          onSelectionChange={(e) => setSelected(e.detail.selectedItems)}
          ariaLabels={{ tableLabel: 'Dead letters', selectionGroupLabel: 'Dead letters', itemSelectionLabel: (_s, d) => `Select message ${d.id}`, allItemsSelectionLabel: () => 'Select all messages' }}
          items={items}
          trackBy="id"
          loading={list.loading}
          loadingText="Reading the dead-letter queue"
          wrapLines
          columnDefinitions={[
            { id: 'summary', header: 'Message', cell: (d) => d.summary ?? '—' },
            { id: 'sent', header: 'First sent', cell: (d) => formatTime(d.sentAt) },
            { id: 'receives', header: 'Receives', cell: (d) => String(d.receiveCount) },
            { id: 'body', header: 'Body', cell: (d) => <span className="ferry-mono ferry-break">{`${d.body}${d.truncated ? ' …' : ''}`}</span> },
            { id: 'id', header: 'Message id', cell: (d) => <span className="ferry-mono">{d.id}</span> },
          ]}
          empty={<Box textAlign="center" color="inherit">No messages in this dead-letter queue.</Box>}
        />
      </SpaceBetween>
      <Modal
        visible={confirm !== null}
        onDismiss={() => setConfirm(null)}
        header="Redrive"
        footer={
          <Box float="right">
            <SpaceBetween direction="horizontal" size="xs">
              <Button variant="link" onClick={() => setConfirm(null)}>Cancel</Button>
              <Button variant="primary" loading={busy} onClick={() => confirm && void redrive(confirm)}>Redrive</Button>
            </SpaceBetween>
          </Box>
        }
      >
        {confirm === 'all'
          ? `Move every message (up to 100) of the ${queue} dead-letter queue back to its queue?`
          : `Move ${selected.length} selected message${selected.length === 1 ? '' : 's'} back to the ${queue} queue?`}
      </Modal>
    </ContentLayout>
  );
}
