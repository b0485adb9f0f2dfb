import { sendWebhook } from './api';
import { adminApi, expect, seeded, signInAdmin, test } from './fixtures';

test('pause (held webhooks) and unpause: state and schedules change at once, held executions run', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.pausable.id}`);
  const schedule = page.getByRole('table', { name: 'Schedules' }).getByRole('row').filter({ hasText: 'Nightly report' });
  await expect(schedule).toContainText('Enabled');

  await page.getByRole('button', { name: 'Pause' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Held', { exact: true }).click();
  await dialog.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByText('Paused (HOLD): 1 schedule disabled.')).toBeVisible();
  await expect(page.getByText('Paused (HOLD: webhooks held)').first()).toBeVisible();
  await expect(schedule).toContainText('Disabled (paused)');
  await expect(schedule).toContainText('None while paused');

  const held = await sendWebhook(s.pausable.flows['On order'].webhookUrl!, { id: 901, total: 9 }, { 'x-source': 'shop' });
  await page.goto(`/console/executions/${held}`);
  await expect(page.getByText('HELD').first()).toBeVisible();

  await page.goto(`/console/instances/${s.pausable.id}`);
  await page.getByRole('button', { name: 'Unpause' }).click();
  await expect(page.getByText('Unpaused: 1 schedule enabled, 1 held execution released.')).toBeVisible();
  await expect(page.getByText('Running').first()).toBeVisible();
  await expect(schedule).toContainText('Enabled');
  await expect(schedule).toContainText(/\(in \d+ (h|min)\)/);
  await adminApi().until('the held execution to run', async () => {
    const e = await adminApi().get(`/executions/${held}`);
    return e.status === 'SUCCEEDED' ? e : undefined;
  });
});
