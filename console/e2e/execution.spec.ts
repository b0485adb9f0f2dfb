import { choose, expect, field, row, screenshot, seeded, signInAdmin, test } from './fixtures';

test('find a failed execution, read its request, steps and logs, replay it edited and follow the link', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}`);
  await page.getByRole('tab', { name: 'Executions' }).click();
  await choose(page, 'Status', 'FAILED');
  await expect(page).toHaveURL(/status=FAILED/);
  const failed = row(page, s.failedOrder);
  await expect(failed).toContainText('FAILED');
  await expect(failed).toContainText('customer unknown');
  await failed.getByRole('link', { name: s.failedOrder, exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/console/executions/${s.failedOrder}$`));
  await expect(page.getByText('Failed in step check')).toBeVisible();
  const body = page.getByTestId('Request body');
  await expect(body).toContainText('"reason": "customer unknown"');
  await expect(body).toContainText('"id": 201,');
  await expect(page.getByRole('table', { name: 'Request headers' }).getByRole('row').filter({ hasText: 'x-source' })).toContainText('shop');
  const steps = page.getByTestId('step');
  await expect(steps).toHaveCount(3);
  await expect(steps.filter({ hasText: 'check' })).toContainText('FAILED');
  await expect(page.getByTestId('check error')).toHaveText('order 201 rejected by the ERP: customer unknown');
  await expect(page.getByRole('table', { name: 'Log lines' }).getByText('order 201 received from shop')).toBeVisible();
  await screenshot(page, 'execution-detail');

  await page.getByRole('button', { name: 'Replay' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByText('Edited body').click();
  await field(page, 'Body').fill('{"id": 201, "total": 20.1}');
  await dialog.getByRole('button', { name: 'Replay' }).click();
  await page.getByRole('link', { name: 'Open the replay' }).click();

  await expect(page.getByText('Replay of')).toBeVisible();
  await expect(page.getByText('On order · REPLAY')).toBeVisible();
  await expect(page.getByTestId('Request body')).toContainText('"total": 20.1');
  await expect(page.getByText('SUCCEEDED').first()).toBeVisible({ timeout: 60_000 });
  await page.getByRole('link', { name: s.failedOrder, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/console/executions/${s.failedOrder}$`));
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(page.getByText('Yes: a retry or replay succeeded')).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000 });
});

test('an execution retried automatically links its retry, and the retry links back', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/executions/${s.flakyOriginal}`);
  const retry = `${s.flakyOriginal}_r2`;
  await expect(page.getByText('Retries')).toBeVisible();
  await page.getByRole('link', { name: retry, exact: true }).click();
  await expect(page.getByText('Flaky sync · RETRY · attempt 2')).toBeVisible();
  await expect(page.getByText('Retry of')).toBeVisible();
  await expect(page.getByRole('link', { name: s.flakyOriginal, exact: true })).toBeVisible();

  await page.goto(`/console/instances/${s.orders.id}/executions?trigger=RETRY`);
  await expect(row(page, retry)).toContainText('attempt 2');
  await expect(row(page, retry)).toContainText(`retry of ${s.flakyOriginal}`);
});
