import { sendWebhook } from './api';
import { adminApi, choose, expect, field, row, seeded, signInAdmin, test } from './fixtures';

test('mute a monitor: its alert is recorded muted and sent nowhere; acknowledge the alert; unmute', async ({ page }) => {
  const s = seeded();
  const api = adminApi();
  await api.post('/monitors', { name: 'Holding failures', scope: { instanceId: s.holding.id }, triggers: [{ type: 'EXECUTION_FAILED' }], channels: [] });
  await signInAdmin(page, `/console/instances/${s.holding.id}/monitors`);
  const monitor = row(page, 'Holding failures');
  await expect(monitor).toContainText('This instance');
  await monitor.getByRole('button', { name: 'Mute monitor Holding failures' }).click();
  const dialog = page.getByRole('dialog');
  await field(page, 'Mute for').fill('91');
  await choose(page, 'Unit', 'days');
  await expect(dialog.getByText('At most 90 days')).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Mute', exact: true })).toBeDisabled();
  await field(page, 'Mute for').fill('2');
  await choose(page, 'Unit', 'hours');
  await dialog.getByRole('button', { name: 'Mute', exact: true }).click();
  await expect(page.getByText(/Monitor "Holding failures" muted until /)).toBeVisible();
  await expect(monitor).toContainText(/until \d{4}-\d{2}-\d{2} /);
  const muted = await api.get(`/monitors?instanceId=${s.holding.id}`);
  const until = new Date(muted.items.find((m: { name: string }) => m.name === 'Holding failures').mutedUntil).getTime();
  expect(until - Date.now()).toBeGreaterThan(110 * 60_000);
  expect(until - Date.now()).toBeLessThanOrEqual(120 * 60_000);

  const failed = await sendWebhook(s.holding.flows['On order'].webhookUrl!, { id: 1001, fail: true, reason: 'muted on purpose' }, { 'x-source': 'shop' });
  const alerts = page.getByRole('table', { name: 'Alerts about this instance' });
  const alert = alerts.getByRole('row').filter({ hasText: failed });
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh alerts' }).click();
    await expect(alert).toContainText('muted: not sent', { timeout: 2_000 });
  }).toPass({ timeout: 90_000 });
  await alert.getByRole('button', { name: /^Acknowledge alert / }).click();
  await expect(page.getByText(/acknowledged by admin\./)).toBeVisible();
  await expect(alert).toContainText(/by admin at \d{4}-/);
  await expect(alert.getByRole('button', { name: /^Acknowledge alert / })).toHaveCount(0);

  await monitor.getByRole('button', { name: 'Unmute monitor Holding failures' }).click();
  await expect(page.getByText('Monitor "Holding failures" unmuted: its alerts are sent again.')).toBeVisible();
  await expect(monitor.getByRole('button', { name: 'Mute monitor Holding failures' })).toBeVisible();
  const unmuted = await api.get(`/monitors?instanceId=${s.holding.id}`);
  expect(unmuted.items.find((m: { name: string }) => m.name === 'Holding failures').mutedUntil).toBeNull();
});

test('cancel a held execution, then cancel what the filter matches: a dry run counts them, then the job\u2019s progress', async ({ page }) => {
  const s = seeded();
  const api = adminApi();
  await api.call('PATCH', `/instances/${s.holding.id}`, { pauseMode: 'HOLD' });
  await api.post(`/instances/${s.holding.id}/pause`, { reason: 'cancel test' });
  const url = s.holding.flows['On order'].webhookUrl!;
  const held: string[] = [];
  for (const id of [1101, 1102, 1103]) held.push(await sendWebhook(url, { id, total: 1 }, { 'x-source': 'shop' }));

  await signInAdmin(page, `/console/executions/${held[0]}`);
  await expect(page.getByText('HELD').first()).toBeVisible();
  await page.getByRole('button', { name: 'Cancel execution' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('It will never run');
  await dialog.getByRole('button', { name: 'Cancel execution' }).click();
  await expect(page.getByText(`Execution ${held[0]} cancelled: it will not run.`)).toBeVisible();
  await expect(page.getByText('CANCELLED').first()).toBeVisible();
  await expect(page.getByText(/^by admin at /)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel execution' })).toHaveCount(0);

  await page.goto(`/console/instances/${s.holding.id}/executions?status=HELD`);
  const table = page.getByRole('table', { name: 'Executions' });
  await expect(table.getByRole('row')).toHaveCount(3);
  await page.getByRole('button', { name: 'Cancel matching…' }).click();
  const bulk = page.getByRole('dialog');
  await expect(bulk.getByRole('button', { name: 'Start cancelling' })).toBeDisabled();
  await bulk.getByRole('button', { name: 'Count matches (dry run)' }).click();
  await expect(bulk.getByText('2 executions match.')).toBeVisible();
  await field(page, 'Cancellations per second').fill('20');
  await field(page, 'Job name').fill('drop the held orders');
  await bulk.getByRole('button', { name: 'Start cancelling' }).click();
  await expect(page).toHaveURL(/\/console\/cancellations\/cnj_/);
  await expect(page.getByText('drop the held orders')).toBeVisible();
  await expect(page.getByText('COMPLETED').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('2 cancelled, 0 skipped (already running or ended), of 2 matched')).toBeVisible();
  await page.getByRole('link', { name: "See the instance's cancelled executions" }).click();
  await expect(page).toHaveURL(/status=CANCELLED/);
  await expect(table.getByRole('row')).toHaveCount(4);
  for (const id of held) expect((await api.get(`/executions/${id}`)).status).toBe('CANCELLED');

  // An unpause releases nothing cancelled.
  await api.post(`/instances/${s.holding.id}/unpause`);
  for (const id of held) expect((await api.get(`/executions/${id}`)).status).toBe('CANCELLED');
});
