import { expect, field, row, screenshot, seeded, signInAdmin, test } from './fixtures';

test('the summary shows state, flows with webhook URLs, schedules, masked config and activity', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page);
  await row(page, s.orders.name).getByRole('link', { name: s.orders.name }).click();
  await expect(page.getByRole('heading', { name: s.orders.name })).toBeVisible();
  await expect(page.getByText('Running').first()).toBeVisible();

  const flows = page.getByRole('table', { name: 'Flow configs' });
  await expect(flows.getByRole('row').filter({ hasText: 'On order' })).toContainText(s.orders.flows['On order'].webhookUrl!);
  await expect(flows.getByRole('button', { name: 'Copy the webhook URL of On order' })).toBeVisible();
  const schedules = page.getByRole('table', { name: 'Schedules' });
  await expect(schedules.getByRole('row').filter({ hasText: 'Nightly report' })).toContainText('cron(0 2 * * ? *)');
  await expect(schedules.getByRole('row').filter({ hasText: 'Nightly report' })).toContainText('Europe/Berlin');
  await expect(schedules.getByRole('row').filter({ hasText: 'Nightly report' })).toContainText(/\(in \d+ (h|min)\)/);

  const config = page.getByRole('table', { name: 'Config variables' });
  await expect(config.getByRole('row').filter({ hasText: 'apiKey' })).toContainText('********');
  await expect(page.getByText('do-not-show')).toHaveCount(0);

  await expect(page.getByText('Executions (24 h)')).toBeVisible();
  await expect(page.getByText('Duration p90')).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Executions per hour by status' }).or(page.getByLabel('Executions per hour by status')).first()).toBeVisible();
  await screenshot(page, 'instance-summary');
});

test('a test run with a payload and a header shows each step and its log lines', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}/test`);
  await expect(page.getByRole('tab', { name: 'Test' })).toHaveAttribute('aria-selected', 'true');
  await field(page, 'Body').fill('{"id": 777, "total": 12.5, "note": "gift wrap"}');
  await page.getByRole('button', { name: 'Add header' }).click();
  await field(page, 'Header 1 name').fill('x-source');
  await field(page, 'Header 1 value').fill('console-test');
  await page.getByRole('button', { name: 'Run test' }).click();

  const result = page.getByRole('heading', { name: 'Result' });
  await expect(result).toBeVisible();
  await expect(page.getByText('SUCCEEDED').first()).toBeVisible();
  const steps = page.getByTestId('step');
  await expect(steps).toHaveCount(4);
  await expect(steps.filter({ hasText: 'shape' })).toContainText('SUCCEEDED');
  await steps.filter({ hasText: 'shape' }).getByRole('button', { name: /shape/ }).click();
  await expect(page.getByTestId('shape output')).toContainText('"orderId": 777');
  const log = page.getByRole('table', { name: 'Log lines' });
  await expect(log.getByText('order 777 received from console-test')).toBeVisible();
  await expect(log.getByText('note: gift wrap')).toBeVisible();
  await screenshot(page, 'test-run');
});

test('a body that is not JSON is refused before it is sent', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}/test`);
  await field(page, 'Body').fill('{"id": ');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Run test' })).toBeDisabled();
});

test('a test that outlasts the request is followed: its log lines arrive while it runs', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}/test`);
  await page.getByRole('button', { name: /^Flow\b/ }).first().click();
  await page.getByRole('option', { name: /^Slow sync/ }).click();
  await field(page, 'Body').fill('{"id": 4242}');
  await page.getByRole('button', { name: 'Run test' }).click();
  const log = page.getByRole('table', { name: 'Log lines' });
  // The request answers after 10 s with the run going; its first line is shown while it still runs.
  await expect(log.getByText('slow sync of 4242 started')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByText('Still running: followed every second.')).toBeVisible();
  await expect(log.getByText('slow sync of 4242 done')).toHaveCount(0);
  await expect(log.getByText('slow sync of 4242 done')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText('SUCCEEDED').first()).toBeVisible();
  await expect(page.getByText('Still running: followed every second.')).toHaveCount(0);
});
