import { choose, expect, field, row, seeded, signInAdmin, test } from './fixtures';

test('an admin goes through all executions, a customer\u2019s page and the alerts', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page);
  await page.getByRole('link', { name: 'Executions', exact: true }).click();
  await expect(page).toHaveURL(/\/console\/executions$/);
  const table = page.getByRole('table', { name: 'Executions' });
  await expect(table.getByRole('link', { name: s.globexOrders.id }).first()).toBeVisible();
  await expect(table.getByRole('link', { name: s.orders.id }).first()).toBeVisible();
  await choose(page, 'Trigger', 'RETRY');
  await expect(row(page, `${s.flakyOriginal}_r2`)).toBeVisible();

  await page.getByRole('link', { name: 'Customers' }).click();
  await row(page, 'Globex').getByRole('link', { name: 'Globex' }).click();
  await expect(page.getByRole('heading', { name: 'Globex' })).toBeVisible();
  await expect(row(page, s.globexOrders.name)).toBeVisible();
  await expect(row(page, s.orders.name)).toHaveCount(0);
  await page.getByRole('tab', { name: 'Executions' }).click();
  await expect(page.getByRole('table', { name: 'Executions' }).getByRole('link', { name: s.globexOrders.id }).first()).toBeVisible();
  await page.getByRole('tab', { name: 'Logs' }).click();
  await field(page, 'Search text').fill('globex-shop');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('table', { name: 'Log lines' }).getByText('order 601 received from globex-shop')).toBeVisible();

  await page.getByRole('link', { name: 'Alerts' }).click();
  await expect(page.getByRole('heading', { name: 'Alerts', exact: true, level: 1 })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Alerts' })).toBeVisible();
});

test('long lists page through the API\u2019s cursors', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}/logs`);
  const lines = page.getByRole('table', { name: 'Log lines' });
  await expect(lines.getByTestId('log-message').first()).toBeVisible();
  const firstPage = await lines.getByTestId('log-message').allInnerTexts();
  expect(firstPage.length).toBe(50);
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(lines.getByTestId('log-message').first()).not.toHaveText(firstPage[0]);
  const second = await lines.getByTestId('log-message').allInnerTexts();
  expect(second.length).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await expect(lines.getByTestId('log-message').first()).toHaveText(firstPage[0]);
});

test('the instance filters are the API\u2019s: name prefix and state across the whole list', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, '/console/instances?name=acme%20b');
  await expect(row(page, s.backlog.name)).toBeVisible();
  await expect(row(page, s.orders.name)).toHaveCount(0);
  await expect(row(page, s.globexOrders.name)).toHaveCount(0);
  await page.goto('/console/instances?state=running&name=globex');
  await expect(row(page, s.globexOrders.name)).toBeVisible();
  await expect(page.getByRole('table', { name: 'Instances' }).getByRole('row')).toHaveCount(2);
});
