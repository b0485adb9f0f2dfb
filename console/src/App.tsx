import AppLayout from '@cloudscape-design/components/app-layout';
import SideNavigation, { type SideNavigationProps } from '@cloudscape-design/components/side-navigation';
import Spinner from '@cloudscape-design/components/spinner';
import TopNavigation from '@cloudscape-design/components/top-navigation';
import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router-dom';
import { FlashProvider, Flashes } from './components/flash';
import { BASE, href, useFollow } from './components/links';
import { SessionProvider, useSession } from './components/session-context';
import { SignInPage } from './pages/SignInPage';

// One chunk per page: the first page loads only what it shows.
const InstancesPage = lazy(() => import('./pages/InstancesPage'));
const InstancePage = lazy(() => import('./pages/instance/InstancePage'));
const ExecutionPage = lazy(() => import('./pages/ExecutionPage'));
const ExecutionsPage = lazy(() => import('./pages/ExecutionsPage'));
const CustomersPage = lazy(() => import('./pages/CustomersPage'));
const CustomerPage = lazy(() => import('./pages/CustomerPage'));
const AlertsPage = lazy(() => import('./pages/AlertsPage'));
const DeadLettersPage = lazy(() => import('./pages/DeadLettersPage'));
const ReplayJobPage = lazy(() => import('./pages/ReplayJobPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

export function App() {
  return (
    <SessionProvider>
      <FlashProvider>
        <Shell />
      </FlashProvider>
    </SessionProvider>
  );
}

function Shell() {
  const { session, signOut } = useSession();
  const location = useLocation();
  const follow = useFollow();
  if (!session) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />} />
      </Routes>
    );
  }
  const admin = session.role === 'admin';
  const items: SideNavigationProps.Item[] = [
    { type: 'link', text: 'Instances', href: href('/instances') },
    { type: 'link', text: 'Executions', href: href('/executions') },
    { type: 'link', text: admin ? 'Customers' : 'My customer', href: href(admin ? '/customers' : `/customers/${encodeURIComponent(session.customerId ?? '')}`) },
    { type: 'link', text: 'Alerts', href: href('/alerts') },
  ];
  if (admin) {
    items.push({ type: 'divider' }, { type: 'section', text: 'Operator', items: [{ type: 'link', text: 'Dead letters', href: href('/dead-letters') }] });
  }
  const active = `${BASE}/${location.pathname.split('/')[1] ?? ''}`;
  return (
    <>
      <div id="top-nav">
        <TopNavigation
          identity={{ href: href('/instances'), title: 'Ferry console', onFollow: follow }}
          utilities={[
            {
              type: 'menu-dropdown',
              text: admin ? 'Admin key' : `Customer key: ${session.customerName ?? session.customerId ?? ''}`,
              iconName: 'user-profile',
              items: [{ id: 'sign-out', text: 'Sign out' }],
              onItemClick: (e) => e.detail.id === 'sign-out' && signOut(),
            },
          ]}
        />
      </div>
      <AppLayout
        headerSelector="#top-nav"
        toolsHide
        navigation={<SideNavigation activeHref={active} items={items} onFollow={follow} header={{ href: href('/instances'), text: 'Ferry' }} />}
        notifications={<Flashes />}
        content={
          <Suspense fallback={<Spinner size="large" />}>
            <Routes>
              <Route path="/" element={<Navigate to="/instances" replace />} />
              <Route path="/sign-in" element={<AfterSignIn />} />
              <Route path="/instances" element={<InstancesPage />} />
              <Route path="/instances/:id" element={<InstancePage />} />
              <Route path="/instances/:id/:tab" element={<InstancePage />} />
              <Route path="/executions" element={<ExecutionsPage />} />
              <Route path="/executions/:id" element={<ExecutionPage />} />
              <Route path="/customers" element={<CustomersPage />} />
              <Route path="/customers/:id" element={<CustomerPage />} />
              <Route path="/customers/:id/:tab" element={<CustomerPage />} />
              <Route path="/alerts" element={<AlertsPage />} />
              <Route path="/dead-letters" element={admin ? <DeadLettersPage /> : <NotFoundPage />} />
              <Route path="/replays/:id" element={<ReplayJobPage />} />
              <Route path="/cancellations/:id" element={<ReplayJobPage kind="cancel" />} />
              <Route path="*" element={<NotFoundPage />} />
            </Routes>
          </Suspense>
        }
      />
    </>
  );
}

/** After signing in: the page the person was sent away from, else the instances. */
function AfterSignIn() {
  const [params] = useSearchParams();
  const next = params.get('next') ?? '';
  const safe = next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/sign-in') ? next : '/instances';
  return <Navigate to={safe} replace />;
}
