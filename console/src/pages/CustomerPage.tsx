import Box from '@cloudscape-design/components/box';
import BreadcrumbGroup from '@cloudscape-design/components/breadcrumb-group';
import ContentLayout from '@cloudscape-design/components/content-layout';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Spinner from '@cloudscape-design/components/spinner';
import Tabs from '@cloudscape-design/components/tabs';
import { useNavigate, useParams } from 'react-router-dom';
import { seg } from '../api/client';
import type { Customer } from '../api/types';
import { ErrorAlert, isNotFound } from '../components/errors';
import { ExecutionsView } from '../components/ExecutionsView';
import { useLoad } from '../components/hooks';
import { InstancesTable } from '../components/InstancesTable';
import { href, paths, useFollow } from '../components/links';
import { LogSearchView } from '../components/LogSearchView';
import { useApi, useIsAdmin } from '../components/session-context';
import NotFoundPage from './NotFoundPage';

const TABS = ['instances', 'executions', 'logs'] as const;

export default function CustomerPage() {
  const { id = '', tab = 'instances' } = useParams();
  const api = useApi();
  const admin = useIsAdmin();
  const navigate = useNavigate();
  const follow = useFollow();
  const loaded = useLoad<Customer>((s) => api.get(`/customers/${seg(id)}`, undefined, s), [id]);
  if (loaded.error && isNotFound(loaded.error)) return <NotFoundPage what={`customer ${id}`} />;
  const c = loaded.data;
  if (!c) return loaded.error ? <ErrorAlert error={loaded.error} /> : <Spinner size="large" />;
  const active = (TABS as readonly string[]).includes(tab) ? tab : 'instances';
  return (
    <ContentLayout
      header={
        <SpaceBetween size="s">
          {admin && (
            <BreadcrumbGroup onFollow={follow} items={[{ text: 'Customers', href: href(paths.customers()) }, { text: c.name, href: href(paths.customer(c.id)) }]} />
          )}
          <Header variant="h1" description={<Box variant="span" color="text-body-secondary">{`${c.id}${c.externalId ? ` · external id ${c.externalId}` : ''}`}</Box>}>
            {c.name}
          </Header>
        </SpaceBetween>
      }
    >
      <Tabs
        activeTabId={active}
        onChange={(e) => navigate(paths.customer(c.id, e.detail.activeTabId === 'instances' ? undefined : e.detail.activeTabId))}
        tabs={[
          { id: 'instances', label: 'Instances', href: href(paths.customer(c.id)), content: active === 'instances' && <InstancesTable customerId={c.id} title="Instances" /> },
          { id: 'executions', label: 'Executions', href: href(paths.customer(c.id, 'executions')), content: active === 'executions' && <ExecutionsView scope={{ kind: 'customer', customerId: c.id }} /> },
          { id: 'logs', label: 'Logs', href: href(paths.customer(c.id, 'logs')), content: active === 'logs' && <LogSearchView scope={{ kind: 'customer', customerId: c.id }} /> },
        ]}
      />
    </ContentLayout>
  );
}
