import Box from '@cloudscape-design/components/box';
import StatusIndicator from '@cloudscape-design/components/status-indicator';
import Table, { type TableProps } from '@cloudscape-design/components/table';
import type { LogLine, Severity } from '../api/types';
import { formatTimeMs } from './format';
import { paths, RLink } from './links';

const SEVERITY: Record<Severity, 'info' | 'success' | 'warning' | 'error' | 'stopped'> = {
  DEBUG: 'stopped',
  INFO: 'info',
  WARN: 'warning',
  ERROR: 'error',
};

/** Log lines as text, each linked to its execution (unless they all belong to one). */
export function LogTable({ lines, loading, linkExecutions = true, header, empty, pagination, filter }: {
  lines: LogLine[];
  loading?: boolean;
  linkExecutions?: boolean;
  header?: React.ReactNode;
  empty?: string;
  pagination?: React.ReactNode;
  filter?: React.ReactNode;
}) {
  const cols: TableProps.ColumnDefinition<LogLine>[] = [
    { id: 'time', header: 'Time', cell: (l) => <span className="ferry-mono">{formatTimeMs(l.timestamp)}</span>, width: 200 },
    { id: 'severity', header: 'Severity', cell: (l) => <StatusIndicator type={SEVERITY[l.severity] ?? 'info'}>{l.severity}</StatusIndicator>, width: 110 },
    { id: 'step', header: 'Step', cell: (l) => l.step ?? '—', width: 120 },
    { id: 'message', header: 'Message', cell: (l) => <span className="ferry-mono ferry-break" data-testid="log-message">{l.message}</span> },
  ];
  if (linkExecutions) {
    cols.push({ id: 'execution', header: 'Execution', cell: (l) => <RLink to={paths.execution(l.executionId)}>{l.executionId}</RLink>, width: 260 });
  }
  return (
    <Table
      variant="container"
      header={header}
      filter={filter}
      pagination={pagination}
      items={lines}
      loading={loading}
      loadingText="Loading log lines"
      ariaLabels={{ tableLabel: 'Log lines' }}
      wrapLines
      columnDefinitions={cols}
      empty={<Box textAlign="center" color="inherit">{empty ?? 'No log lines.'}</Box>}
    />
  );
}
