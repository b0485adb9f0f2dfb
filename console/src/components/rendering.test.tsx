import { render, screen } from '@testing-library/react';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MemoryRouter } from 'react-router-dom';
import { describe, expect, it } from 'vitest';
import type { LogLine, StepResult } from '../api/types';
import { LogTable } from './LogTable';
import { StepsTimeline } from './StepsTimeline';
import { KeyValueTable, TextBlock } from './text';

const HTML = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><b>bold</b>';

function noMarkupFrom(container: HTMLElement) {
  expect(container.querySelector('img[src="x"]')).toBeNull();
  expect(container.querySelector('script')).toBeNull();
  expect([...container.querySelectorAll('b')].filter((b) => b.textContent === 'bold')).toHaveLength(0);
  expect((window as unknown as { __pwned?: unknown }).__pwned).toBeUndefined();
}

describe('what a sender or a flow controls is text, never markup', () => {
  it('a body', () => {
    const { container } = render(<TextBlock text={HTML} label="Request body" />);
    expect(screen.getByTestId('Request body').textContent).toBe(HTML);
    noMarkupFrom(container);
  });

  it('headers', () => {
    const { container } = render(<KeyValueTable values={{ 'x-source': HTML }} label="Request headers" />);
    expect(container.textContent).toContain(HTML);
    noMarkupFrom(container);
  });

  it('a step\u2019s output and error', () => {
    const step: StepResult = {
      name: 'check', type: 'fail', status: 'FAILED', startedAt: '2026-01-01T00:00:00Z', endedAt: '2026-01-01T00:00:01Z',
      durationMs: 1000, output: { html: HTML }, error: { message: HTML, step: 'check', retryable: false },
    };
    const { container } = render(<StepsTimeline steps={[step]} />);
    expect(screen.getByTestId('check error').textContent).toBe(HTML);
    expect(container.textContent).toContain(JSON.stringify(HTML).slice(1, 20));
    noMarkupFrom(container);
  });

  it('log lines', () => {
    const line: LogLine = { timestamp: '2026-01-01T00:00:00Z', severity: 'WARN', message: HTML, step: 'note', executionId: 'exe_1', instanceId: 'ins_1', flowConfigId: 'flc_1', attempt: 1 };
    const { container } = render(<MemoryRouter><LogTable lines={[line]} /></MemoryRouter>);
    expect(screen.getByTestId('log-message').textContent).toBe(HTML);
    noMarkupFrom(container);
  });
});

describe('the sources', () => {
  it('never hand a string to an HTML sink', () => {
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const f of readdirSync(dir)) {
        const p = join(dir, f);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|tsx)$/.test(f) && !f.endsWith('.test.tsx') && !f.endsWith('.test.ts')) files.push(p);
      }
    };
    walk(join(__dirname, '..'));
    expect(files.length).toBeGreaterThan(10);
    const sinks = /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|new Function|\beval\(/;
    expect(files.filter((f) => sinks.test(readFileSync(f, 'utf8')))).toEqual([]);
  });

  it('keep the API key out of local storage', () => {
    const src = readFileSync(join(__dirname, '..', 'api', 'session.ts'), 'utf8');
    expect(src).toContain('window.sessionStorage');
    expect(src).not.toMatch(/localStorage\s*\./);
  });
});
