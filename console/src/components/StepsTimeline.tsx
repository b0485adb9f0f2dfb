import Box from '@cloudscape-design/components/box';
import ExpandableSection from '@cloudscape-design/components/expandable-section';
import SpaceBetween from '@cloudscape-design/components/space-between';
import type { StepResult } from '../api/types';
import { formatDuration, formatTimeMs, jsonText } from './format';
import { StepStatusBadge } from './status';
import { TextBlock } from './text';

/**
 * An execution's steps in order, each placed on one time axis (from the first step's start to the
 * last one's end) with its duration, output and error. Outputs and errors are flow data: text only.
 */
export function StepsTimeline({ steps }: { steps: StepResult[] }) {
  if (steps.length === 0) return <Box color="text-status-inactive">No step ran.</Box>;
  const starts = steps.map((s) => (s.startedAt ? new Date(s.startedAt).getTime() : NaN)).filter((t) => !Number.isNaN(t));
  const ends = steps.map((s) => (s.endedAt ? new Date(s.endedAt).getTime() : NaN)).filter((t) => !Number.isNaN(t));
  const t0 = starts.length ? Math.min(...starts) : 0;
  const span = Math.max(1, (ends.length ? Math.max(...ends) : t0) - t0);
  return (
    <SpaceBetween size="s">
      {steps.map((s, i) => {
        const start = s.startedAt ? new Date(s.startedAt).getTime() - t0 : 0;
        const left = Math.min(100, (start / span) * 100);
        const width = Math.max(0.8, Math.min(100 - left, (Math.max(s.durationMs, 0) / span) * 100));
        const cls = s.status === 'FAILED' ? 'failed' : s.status === 'SKIPPED' ? 'skipped' : '';
        return (
          <div key={`${i}-${s.name}`} data-testid="step">
            <ExpandableSection
              defaultExpanded={s.status === 'FAILED'}
              headerText={s.name}
              headerInfo={`${s.type} · ${formatDuration(s.durationMs)}`}
              headerDescription={s.startedAt ? `started ${formatTimeMs(s.startedAt)}` : undefined}
              headerActions={<StepStatusBadge status={s.status} />}
              variant="container"
            >
              <SpaceBetween size="s">
                <div className="ferry-timeline-track" aria-label={`${s.name} on the execution's time axis`}>
                  <div className={`ferry-timeline-bar ${cls}`} style={{ left: `${left}%`, width: `${width}%` }} />
                </div>
                {s.error && (
                  <div>
                    <Box variant="awsui-key-label">Error{s.error.retryable ? ' (retryable)' : ' (not retryable)'}</Box>
                    <TextBlock text={s.error.message} label={`${s.name} error`} />
                  </div>
                )}
                {s.output !== null && s.output !== undefined && (
                  <div>
                    <Box variant="awsui-key-label">Output</Box>
                    <TextBlock text={jsonText(s.output)} label={`${s.name} output`} />
                  </div>
                )}
                {s.status === 'SKIPPED' && <Box color="text-status-inactive">Skipped: its condition was false.</Box>}
              </SpaceBetween>
            </ExpandableSection>
          </div>
        );
      })}
    </SpaceBetween>
  );
}
