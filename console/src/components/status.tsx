import Badge from '@cloudscape-design/components/badge';
import SpaceBetween from '@cloudscape-design/components/space-between';
import StatusIndicator, { type StatusIndicatorProps } from '@cloudscape-design/components/status-indicator';
import type { Execution, ExecutionStatus, Instance } from '../api/types';
import { formatTime } from './format';

const EXECUTION: Record<ExecutionStatus, StatusIndicatorProps.Type> = {
  SUCCEEDED: 'success',
  FAILED: 'error',
  RUNNING: 'in-progress',
  QUEUED: 'pending',
  HELD: 'stopped',
  CANCELLED: 'stopped',
};

export function ExecutionStatusBadge({ status }: { status: ExecutionStatus | string | null | undefined }) {
  if (!status) return <>—</>;
  const type = EXECUTION[status as ExecutionStatus] ?? 'info';
  return <StatusIndicator type={type}>{status}</StatusIndicator>;
}

export function StepStatusBadge({ status }: { status: string }) {
  const type: StatusIndicatorProps.Type = status === 'SUCCEEDED' ? 'success' : status === 'FAILED' ? 'error' : 'stopped';
  return <StatusIndicator type={type}>{status}</StatusIndicator>;
}

export function InstanceState({ instance }: { instance: Pick<Instance, 'enabled' | 'pauseMode'> }) {
  if (instance.enabled) return <StatusIndicator type="success">Running</StatusIndicator>;
  return (
    <StatusIndicator type="stopped">
      {`Paused (${instance.pauseMode === 'HOLD' ? 'HOLD: webhooks held' : 'REJECT: webhooks answered 503'})`}
    </StatusIndicator>
  );
}

/** The retry and replay marks of an execution in a list: attempt, retry of, replay of, pending retry. */
export function LineageBadges({ e }: { e: Execution }) {
  const marks: React.ReactNode[] = [];
  if (e.trigger === 'RETRY' || e.attempt > 1) marks.push(<Badge key="a" color="blue">{`attempt ${e.attempt}`}</Badge>);
  if (e.replayOf) marks.push(<Badge key="r" color="grey">replay</Badge>);
  if (e.nextRetryAt) marks.push(<Badge key="n" color="severity-medium">{`retry at ${formatTime(e.nextRetryAt)}`}</Badge>);
  if (e.replays && e.replays.length > 0) marks.push(<Badge key="p" color="grey">{`${e.replays.length} replay${e.replays.length > 1 ? 's' : ''}`}</Badge>);
  if (e.status === 'FAILED' && e.resolved) marks.push(<Badge key="ok" color="green">resolved</Badge>);
  if (marks.length === 0) return <>—</>;
  return <SpaceBetween direction="horizontal" size="xxs">{marks}</SpaceBetween>;
}
