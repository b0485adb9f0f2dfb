import Box from '@cloudscape-design/components/box';
import Header from '@cloudscape-design/components/header';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Table from '@cloudscape-design/components/table';
import type { Customer } from '../api/types';
import { ErrorAlert } from '../components/errors';
import { formatTime } from '../components/format';
import { useCursorPages } from '../components/hooks';
import { paths, RLink } from '../components/links';
import { Pager } from '../components/Pager';

export default function CustomersPage() {
  const pages = useCursorPages<Customer>('/customers', { limit: 50 });
  return (
    <SpaceBetween size="s">
      <ErrorAlert error={pages.error} />
      <Table
        variant="full-page"
        header={<Header variant="awsui-h1-sticky" counter={pages.loading ? undefined : `(${pages.items.length}${pages.hasNext ? '+' : ''})`}>Customers</Header>}
        items={pages.items}
        loading={pages.loading}
        loadingText="Loading customers"
        trackBy="id"
        ariaLabels={{ tableLabel: 'Customers' }}
        pagination={<Pager pages={pages} />}
        columnDefinitions={[
          { id: 'name', header: 'Name', cell: (c) => <RLink to={paths.customer(c.id)}>{c.name}</RLink> },
          { id: 'external', header: 'External id', cell: (c) => c.externalId ?? '—' },
          { id: 'id', header: 'Id', cell: (c) => <span className="ferry-mono">{c.id}</span> },
          { id: 'created', header: 'Created', cell: (c) => formatTime(c.createdAt) },
        ]}
        empty={<Box textAlign="center" color="inherit">No customers.</Box>}
      />
    </SpaceBetween>
  );
}
