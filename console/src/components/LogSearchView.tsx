import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Select, { type SelectProps } from '@cloudscape-design/components/select';
import SpaceBetween from '@cloudscape-design/components/space-between';
import { useEffect, useMemo, useState } from 'react';
import { seg } from '../api/client';
import { SEVERITIES, type LogLine } from '../api/types';
import { ErrorAlert } from './errors';
import { isValidInstant, RANGES, rangeToQuery } from './format';
import { useCursorPages, useUrlFilters } from './hooks';
import { LogTable } from './LogTable';
import { Pager } from './Pager';

/**
 * Log search across an instance or a customer's instances: words and "quoted phrases" (all must
 * occur), a minimum severity and a time range, oldest line first, a page at a time.
 */
export function LogSearchView({ scope }: { scope: { kind: 'instance'; instanceId: string } | { kind: 'customer'; customerId: string } }) {
  const [f, setF] = useUrlFilters(['q', 'severity', 'range', 'since', 'until'] as const);
  const [text, setText] = useState(f.q);
  useEffect(() => setText(f.q), [f.q]);
  const range = useMemo(() => rangeToQuery(f.range, f.since, f.until), [f.range, f.since, f.until]);
  const bad = f.range === 'custom' && (!isValidInstant(f.since) || !isValidInstant(f.until));
  const path = scope.kind === 'instance' ? `/instances/${seg(scope.instanceId)}/logs` : `/customers/${seg(scope.customerId)}/logs`;
  const pages = useCursorPages<LogLine>(bad ? null : path, {
    q: f.q || undefined,
    severity: f.severity || undefined,
    since: range.since,
    until: range.until,
    limit: 50,
  });
  const severityOptions: SelectProps.Option[] = [
    { value: '', label: 'Any severity' },
    ...SEVERITIES.map((s) => ({ value: s, label: s === 'ERROR' ? 'ERROR' : `${s} and above` })),
  ];
  const rangeOptions: SelectProps.Option[] = RANGES.map((r) => ({ value: r.value, label: r.label }));
  const pick = (opts: SelectProps.Option[], v: string) => opts.find((o) => o.value === v) ?? opts[0];

  return (
    <SpaceBetween size="s">
      <ErrorAlert error={pages.error} />
      <LogTable
        lines={pages.items}
        loading={pages.loading}
        header={
          <Header
            counter={pages.loading ? undefined : `(${pages.items.length}${pages.hasNext ? '+' : ''})`}
            description="Oldest first. Lines are written when their execution ends."
            actions={<Button iconName="refresh" ariaLabel="Refresh" onClick={pages.reload} />}
          >
            Logs
          </Header>
        }
        filter={
          <form
            onSubmit={(e) => {
              e.preventDefault();
              setF({ q: text.trim() });
            }}
          >
            <SpaceBetween direction="horizontal" size="s">
              <FormField label="Text" description={'Every word must occur; "quote" a phrase'}>
                <SpaceBetween direction="horizontal" size="xs">
                  <Input type="search" ariaLabel="Search text" value={text} placeholder='e.g. "HTTP 503" order' onChange={(e) => setText(e.detail.value)} />
                  <Button formAction="submit" ariaLabel="Search">Search</Button>
                </SpaceBetween>
              </FormField>
              <FormField label="Minimum severity">
                <Select ariaLabel="Minimum severity" selectedOption={pick(severityOptions, f.severity)} options={severityOptions} onChange={(e) => setF({ severity: e.detail.selectedOption.value })} />
              </FormField>
              <FormField label="Time">
                <Select ariaLabel="Time range" selectedOption={pick(rangeOptions, f.range)} options={rangeOptions} onChange={(e) => setF({ range: e.detail.selectedOption.value })} />
              </FormField>
              {f.range === 'custom' && (
                <>
                  <FormField label="From (inclusive)" errorText={isValidInstant(f.since) ? undefined : 'Not a date and time'}>
                    <Input ariaLabel="From" value={f.since} placeholder="2026-01-31T09:00:00Z" onChange={(e) => setF({ since: e.detail.value })} />
                  </FormField>
                  <FormField label="To (exclusive)" errorText={isValidInstant(f.until) ? undefined : 'Not a date and time'}>
                    <Input ariaLabel="To" value={f.until} placeholder="2026-01-31T10:00:00Z" onChange={(e) => setF({ until: e.detail.value })} />
                  </FormField>
                </>
              )}
            </SpaceBetween>
          </form>
        }
        pagination={<Pager pages={pages} />}
        empty={pages.hasNext ? 'Nothing on this page yet (the search reads on); try the next page.' : 'No log lines match.'}
      />
      <Box variant="small" color="text-body-secondary">
        A line matches when every word occurs in its message, step, execution, flow config or instance id, in any case.
      </Box>
    </SpaceBetween>
  );
}
