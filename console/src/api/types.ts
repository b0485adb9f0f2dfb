// The shapes of the management API's answers (core/api/Views.java), as the console reads them.

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ApiErrorBody {
  error?: { code?: string; message?: string; details?: { field: string; reason: string }[]; reference?: string };
}

export interface Customer {
  id: string;
  name: string;
  externalId: string | null;
  createdAt: string;
}

export interface Integration {
  id: string;
  name: string;
  latestVersion: number;
  createdAt: string;
  updatedAt: string;
}

export interface RetryPolicy {
  maxAttempts: number;
  delaySeconds: number;
  backoff: string;
  maxDelaySeconds: number;
  jitter: boolean;
  uniqueRequestId: string | null;
}

export interface FlowConfig {
  id: string;
  instanceId: string;
  flow: string;
  webhookUrl: string | null;
  trigger: string;
  schedule: string | null;
  timezone: string | null;
  retry: RetryPolicy | null;
  nextRunAt: string | null;
  security: { type: string; header?: string; secretVariable?: string } | null;
}

export type PauseMode = 'REJECT' | 'HOLD';

export interface Instance {
  id: string;
  name: string;
  customerId: string;
  integrationId: string;
  integrationVersion: number;
  enabled: boolean;
  pauseMode: PauseMode;
  configVariables: Record<string, string>;
  flowConfigs: FlowConfig[];
  createdAt: string;
  lastExecutedAt: string | null;
  /** Only in the answer of pause and unpause. */
  schedulesUpdated?: number;
  /** Only in the answer of unpause. */
  held?: { released: number; more: boolean };
}

export type ExecutionStatus = 'QUEUED' | 'HELD' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';
export const EXECUTION_STATUSES: ExecutionStatus[] = ['QUEUED', 'HELD', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED'];
export type Trigger = 'WEBHOOK' | 'SCHEDULE' | 'TEST' | 'RETRY' | 'REPLAY';
export const TRIGGERS: Trigger[] = ['WEBHOOK', 'SCHEDULE', 'TEST', 'RETRY', 'REPLAY'];

export interface ExecutionError {
  message: string;
  step: string | null;
  retryable: boolean;
}

export interface ExecutionRequest {
  method: string | null;
  body: string;
  bodyEncoding: 'utf8' | 'base64';
  headers: Record<string, string>;
  query: Record<string, string>;
  contentType: string | null;
}

export interface StepResult {
  name: string;
  type: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number;
  output: unknown;
  error: ExecutionError | null;
}

export interface Execution {
  id: string;
  instanceId: string;
  customerId: string;
  flowConfigId: string;
  flow: string;
  trigger: Trigger;
  status: ExecutionStatus;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  error: ExecutionError | null;
  attempt: number;
  retryOf: string | null;
  nextRetryAt: string | null;
  retriesRemaining: number | null;
  replayOf: string | null;
  replays: string[] | null;
  resolved: boolean;
  cancelledBy: string | null;
  cancelledAt?: string | null;
  /** null until its run records the version it ran on. */
  integrationVersion: number | null;
  replayJobId?: string;
  /** Detail answers only. */
  request?: ExecutionRequest | null;
  steps?: StepResult[];
}

export type Severity = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
export const SEVERITIES: Severity[] = ['DEBUG', 'INFO', 'WARN', 'ERROR'];

export interface LogLine {
  timestamp: string;
  severity: Severity;
  message: string;
  step: string | null;
  executionId: string;
  instanceId: string;
  flowConfigId: string;
  attempt: number;
}

export interface ExecutionFilter {
  instanceId?: string;
  customerId?: string;
  flowConfigId?: string;
  status?: ExecutionStatus;
  trigger?: Trigger;
  since?: string;
  until?: string;
  originalsOnly?: boolean;
  unresolved?: boolean;
}

export interface ReplayJob {
  id: string | null;
  /** REPLAY (a bulk replay) or CANCEL (a bulk cancellation). */
  kind?: 'REPLAY' | 'CANCEL';
  name: string | null;
  status: 'RUNNING' | 'COMPLETED' | 'CANCELLED' | null;
  dryRun: boolean;
  matched: number;
  dispatched: number;
  skipped: number;
  succeeded: number;
  failed: number;
  ratePerSecond: number | null;
  filter: ExecutionFilter;
  createdAt: string | null;
  updatedAt: string | null;
}

export const MONITOR_TRIGGERS = [
  'EXECUTION_STARTED',
  'EXECUTION_COMPLETED',
  'EXECUTION_FAILED',
  'EXECUTION_FAILED_RETRY_PENDING',
  'EXECUTION_DURATION_EXCEEDED',
  'EXECUTION_OVERDUE',
  'EXECUTION_STUCK',
  'FAILURE_RATE',
  'LOG_LEVEL_MATCHED',
  'INSTANCE_DISABLED',
  'INSTANCE_ENABLED',
  'INSTANCE_REMOVED',
] as const;
export type MonitorTriggerType = (typeof MONITOR_TRIGGERS)[number];

export interface MonitorTrigger {
  type: MonitorTriggerType;
  durationSeconds?: number;
  overdueMinutes?: number;
  percent?: number;
  windowMinutes?: number;
  minExecutions?: number;
  logSeverity?: Severity;
}

export interface AlertChannel {
  type: string;
  /** Absent when the channel is hidden from this key (a monitor another key created). */
  url?: string;
  /** An email channel's addresses. */
  to?: string[];
  hidden?: boolean;
  headers: Record<string, string>;
  template: string | null;
  secret: string | null;
}

export interface Monitor {
  id: string;
  name: string;
  scope: { instanceId: string | null; flowConfigId: string | null; customerId: string | null };
  triggers: MonitorTrigger[];
  channels: AlertChannel[];
  createdAt: string;
  /** While muted, alerts are recorded but sent to no channel; null when not muted. */
  mutedUntil?: string | null;
}

export interface AlertDelivery {
  channel: number;
  url: string;
  attempt: number;
  at: string;
  status: number | null;
  delivered: boolean;
  error: string | null;
  nextAttemptAt: string | null;
}

export interface Alert {
  id: string;
  monitorId: string;
  monitor: string;
  trigger: MonitorTriggerType;
  subject: string | null;
  instanceId: string | null;
  customerId: string | null;
  flowConfigId: string | null;
  flow: string | null;
  executionId: string | null;
  firedAt: string;
  clearedAt: string | null;
  url: string | null;
  deliveries: AlertDelivery[];
  muted?: boolean;
  mutedReason?: string | null;
  acknowledgedBy?: string | null;
  acknowledgedAt?: string | null;
}

export const DEAD_LETTER_QUEUES = ['execution', 'retry', 'monitor', 'replay-job', 'schedule'] as const;
export type DeadLetterQueue = (typeof DEAD_LETTER_QUEUES)[number];

export interface DeadLetter {
  id: string;
  queue: DeadLetterQueue;
  sentAt: string | null;
  receiveCount: number;
  summary: string | null;
  body: string;
  truncated: boolean;
}

export type StatusCounts = Record<ExecutionStatus, number>;

/** `GET /instances/{id}/activity`: counted when read, within its bound (`truncated`). */
export interface InstanceActivity {
  instanceId: string;
  since: string;
  until: string;
  bucketMinutes: number;
  buckets: { start: string; counts: StatusCounts }[];
  byStatus: StatusCounts;
  total: number;
  durationMs: { count: number; p50: number | null; p90: number | null; p99: number | null; max: number | null };
  failuresLast24h: { count: number; truncated: boolean; max: number };
  truncated: boolean;
  countedFrom: string;
  maxExecutions: number;
  at: string;
}

/** `GET /whoami`. */
export interface Whoami {
  kind: 'admin' | 'customer';
  customerId: string | null;
  customerName: string | null;
  keyId: string | null;
  keyName: string;
  keyPrefix: string;
}
