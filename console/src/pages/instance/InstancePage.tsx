import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import Button from '@cloudscape-design/components/button';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Tabs from '@cloudscape-design/components/tabs';
import { useEffect, useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { seg } from '../../api/client';
import type { Instance } from '../../api/types';
import { ErrorAlert, isNotFound } from '../../components/errors';
import { ExecutionsView } from '../../components/ExecutionsView';
import { useFlash } from '../../components/flash';
import { useLoad } from '../../components/hooks';
import { href, paths, useFollow } from '../../components/links';
import { LogSearchView } from '../../components/LogSearchView';
import { useApi } from '../../components/session-context';
import { InstanceState } from '../../components/status';
import { DeleteInstanceModal, PauseModal } from './actions';
import { MonitorsTab } from './MonitorsTab';
import { SummaryTab } from './SummaryTab';
import { TestTab } from './TestTab';
import NotFoundPage from '../NotFoundPage';

const TABS = ['summary', 'test', 'executions', 'logs', 'monitors'] as const;
type Tab = (typeof TABS)[number];

export default function InstancePage() {
  const { id = '', tab = 'summary' } = useParams();
  const api = useApi();
  const navigate = useNavigate();
  const follow = useFollow();
  const flash = useFlash();
  const loaded = useLoad<Instance>((s) => api.get(`/instances/${seg(id)}`, undefined, s), [id]);
  // The answer of pause/unpause is the instance as it is now: shown at once, without another read.
  const [override, setOverride] = useState<Instance | null>(null);
  useEffect(() => setOverride(null), [loaded.data]);
  const instance = override ?? loaded.data;
  const [pauseOpen, setPauseOpen] = useState(false);
  const [deleteOpen, setDeleteOpen] = useState(false);
  const [busy, setBusy] = useState(false);

  if (loaded.error && isNotFound(loaded.error)) return <NotFoundPage what={`instance ${id}`} />;
  if (!instance) {
    return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spinner size="large" />;
  }
  const active: Tab = (TABS as readonly string[]).includes(tab) ? (tab as Tab) : 'summary';

  async function unpause() {
    setBusy(true);
    try {
      const answer = await api.post<Instance>(`/instances/${seg(id)}/unpause`);
      setOverride(answer);
      const held = answer.held ? `, ${answer.held.released} held execution${answer.held.released === 1 ? '' : 's'} released${answer.held.more ? ' (more being released)' : ''}` : '';
      flash({ type: 'success', content: `Unpaused: ${answer.schedulesUpdated ?? 0} schedule${answer.schedulesUpdated === 1 ? '' : 's'} enabled${held}.` });
    } catch (e) {
      flash({ type: 'error', header: 'Unpause failed', content: (e as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <ContentLayout
      header={
        <SpaceBetween size="s">
          <BreadcrumbGroup
            onFollow={follow}
            items={[
              { text: 'Instances', href: href(paths.instances()) },
              { text: instance.name, href: href(paths.instance(instance.id)) },
            ]}
          />
          <Header
            variant="h1"
            description={<Box variant="span" color="text-body-secondary">{instance.id}</Box>}
            actions={
              <SpaceBetween direction="horizontal" size="xs">
                {instance.enabled ? (
                  <Button onClick={() => setPauseOpen(true)}>Pause</Button>
                ) : (
                  <Button onClick={() => void unpause()} loading={busy}>
                    Unpause
                  </Button>
                )}
                <Button onClick={() => setDeleteOpen(true)}>Delete</Button>
              </SpaceBetween>
            }
          >
            <SpaceBetween direction="horizontal" size="s" alignItems="center">
              <span>{instance.name}</span>
              <Box variant="span" fontSize="body-m" fontWeight="normal">
                <InstanceState instance={instance} />
              </Box>
            </SpaceBetween>
          </Header>
        </SpaceBetween>
      }
    >
      <Tabs
        activeTabId={active}
        onChange={(e) => navigate(paths.instance(instance.id, e.detail.activeTabId === 'summary' ? undefined : e.detail.activeTabId))}
        tabs={[
          { id: 'summary', label: 'Summary', href: href(paths.instance(instance.id)), content: active === 'summary' && <SummaryTab instance={instance} /> },
          { id: 'test', label: 'Test', href: href(paths.instance(instance.id, 'test')), content: active === 'test' && <TestTab instance={instance} /> },
          {
            id: 'executions',
            label: 'Executions',
            href: href(paths.instance(instance.id, 'executions')),
            content: active === 'executions' && <ExecutionsView scope={{ kind: 'instance', instanceId: instance.id, flows: instance.flowConfigs }} />,
          },
          { id: 'logs', label: 'Logs', href: href(paths.instance(instance.id, 'logs')), content: active === 'logs' && <LogSearchView scope={{ kind: 'instance', instanceId: instance.id }} /> },
          { id: 'monitors', label: 'Monitors', href: href(paths.instance(instance.id, 'monitors')), content: active === 'monitors' && <MonitorsTab instance={instance} /> },
        ]}
      />
      <PauseModal
        visible={pauseOpen}
        instance={instance}
        onDismiss={() => setPauseOpen(false)}
        onPaused={(answer) => {
          setPauseOpen(false);
          setOverride(answer);
          flash({
            type: 'success',
            content: `Paused (${answer.pauseMode}): ${answer.schedulesUpdated ?? 0} schedule${answer.schedulesUpdated === 1 ? '' : 's'} disabled.`,
          });
        }}
      />
      <DeleteInstanceModal
        visible={deleteOpen}
        instance={instance}
        onDismiss={() => setDeleteOpen(false)}
        onDeleted={(more) => {
          setDeleteOpen(false);
          flash({
            type: 'success',
            content: more
              ? `Instance "${instance.name}" is being deleted: it is gone from the API, and its remaining executions are deleted in the background.`
              : `Instance "${instance.name}" and everything kept for it were deleted.`,
          });
          navigate(paths.instances());
        }}
      />
    </ContentLayout>
  );
}
