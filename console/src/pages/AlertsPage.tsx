import Checkbox from '@cloudscape-design/components/checkbox';
import ContentLayout from '@cloudscape-design/components/content-layout';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useMemo } from 'react';
import { AlertsTable } from '../components/AlertsTable';
import { rangeToQuery, RANGES } from '../components/format';
import { useUrlFilters } from '../components/hooks';
import { useIsAdmin } from '../components/session-context';

export default function AlertsPage() {
  const admin = useIsAdmin();
  const [f, setF] = useUrlFilters(['range', 'instance', 'monitor', 'unacknowledged'] as const);
  const range = useMemo(() => rangeToQuery(f.range, '', ''), [f.range]);
  const options: SelectProps.Option[] = RANGES.filter((r) => r.value !== 'custom').map((r) => ({ value: r.value, label: r.label }));
  return (
    <ContentLayout header={<Header variant="h1" description={admin ? 'Alerts of every monitor, newest first.' : 'Alerts about your customer\u2019s instances, newest first.'}>Alerts</Header>}>
      <SpaceBetween size="m">
        <SpaceBetween direction="horizontal" size="l" alignItems="end">
          <FormField label="Fired">
            <Select ariaLabel="Fired within" selectedOption={options.find((o) => o.value === f.range) ?? options[options.length - 1]} options={options} onChange={(e) => setF({ range: e.detail.selectedOption.value })} />
          </FormField>
          <Checkbox checked={f.unacknowledged === '1'} onChange={(e) => setF({ unacknowledged: e.detail.checked ? '1' : '' })}>
            Not acknowledged yet
          </Checkbox>
        </SpaceBetween>
        <AlertsTable
          query={{ since: range.since, instanceId: f.instance || undefined, monitorId: f.monitor || undefined, acknowledged: f.unacknowledged === '1' ? 'false' : undefined }}
        />
      </SpaceBetween>
    </ContentLayout>
  );
}
