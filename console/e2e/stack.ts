import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CONSOLE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(CONSOLE_DIR, '..');

export interface RunningStack {
  apiUrl: string;
  adminKey: string;
  /** The emulator's admin user (IAM is enforced): requests to FERRY_AWS_ENDPOINT are signed with it. */
  aws?: { accessKeyId: string; secretAccessKey: string };
  stateDir: string;
  process: ChildProcess;
  log: string;
}

async function sleep(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
}

/**
 * `./ferry local --no-demo` as a person starts it, on free ports, against the emulator at
 * FERRY_AWS_ENDPOINT, with IAM enforced (FERRY_LOCAL_IAM=enforce) and its state (local.json) in a
 * fresh directory; ready once `/health` is 200.
 */
export async function startStack(timeoutMs = 300_000): Promise<RunningStack> {
  const endpoint = process.env.FERRY_AWS_ENDPOINT;
  if (!endpoint) throw new Error('FERRY_AWS_ENDPOINT is not set: run the end-to-end tests with scripts/e2e.sh (or ./ferry test)');
  const stateDir = mkdtempSync(join(tmpdir(), 'ferry-console-e2e-'));
  const log = join(stateDir, 'stack.log');
  const adminKey = randomBytes(32).toString('base64url');
  writeFileSync(log, '');
  const out = openSync(log, 'a');
  const child = spawn(join(REPO, 'ferry'), ['local'], {
    cwd: REPO,
    env: {
      ...process.env,
      FERRY_HTTP_PORT: '0',
      FERRY_LAMBDA_PORT: '0',
      FERRY_STATE_DIR: stateDir,
      FERRY_ADMIN_API_KEY: adminKey,
      FERRY_AWS_ENDPOINT: endpoint,
      // As on AWS: each function acts with its own role from template.yaml.
      FERRY_LOCAL_IAM: 'enforce',
    },
    stdio: ['ignore', out, out],
    detached: true,
  });
  const deadline = Date.now() + timeoutMs;
  const stateFile = join(stateDir, 'local.json');
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`./ferry local exited with ${child.exitCode}:\n${readFileSync(log, 'utf8').slice(-4000)}`);
    }
    if (existsSync(stateFile)) {
      try {
        const state = JSON.parse(readFileSync(stateFile, 'utf8')) as {
          apiUrl: string;
          awsAccessKeyId?: string;
          awsSecretAccessKey?: string;
        };
        const health = await fetch(`${state.apiUrl}/health`);
        const aws = state.awsAccessKeyId && state.awsSecretAccessKey
          ? { accessKeyId: state.awsAccessKeyId, secretAccessKey: state.awsSecretAccessKey }
          : undefined;
        if (health.ok) return { apiUrl: state.apiUrl, adminKey, aws, stateDir, process: child, log };
      } catch {
        // not yet
      }
    }
    await sleep(250);
  }
  await stopStack({ apiUrl: '', adminKey, stateDir, process: child, log });
  throw new Error(`./ferry local was not ready within ${timeoutMs / 1000} s:\n${readFileSync(log, 'utf8').slice(-4000)}`);
}

/**
 * Stops the stack (its whole process group: ./ferry and the JVM it runs), waiting for it to exit,
 * keeps its output in reports/stack.log and removes its state.
 */
export async function stopStack(stack: RunningStack): Promise<void> {
  const child = stack.process;
  const pid = child.pid;
  const signal = (s: NodeJS.Signals) => {
    try {
      if (pid) process.kill(-pid, s);
    } catch {
      // already gone
    }
  };
  if (pid && child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((r) => child.once('exit', () => r()));
    signal('SIGTERM');
    const deadline = sleep(20_000).then(() => 'timeout');
    if ((await Promise.race([exited.then(() => 'exited'), deadline])) === 'timeout') signal('SIGKILL');
  }
  try {
    mkdirSync(join(CONSOLE_DIR, 'reports'), { recursive: true });
    copyFileSync(stack.log, join(CONSOLE_DIR, 'reports', 'stack.log'));
  } catch {
    // no log to keep
  }
  rmSync(stack.stateDir, { recursive: true, force: true });
}
