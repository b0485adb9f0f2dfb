import { choose, expect, field, screenshot, seeded, signInAdmin, test } from './fixtures';

test('search an instance\u2019s logs by text, minimum severity and time range; a line links to its execution', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.orders.id}/logs`);
  const lines = page.getByRole('table', { name: 'Log lines' });
  await field(page, 'Search text').fill('"received from pos"');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page).toHaveURL(/q=%22received/);
  await expect(lines.getByTestId('log-message')).toHaveCount(1);
  await expect(lines.getByTestId('log-message')).toHaveText('order 202 received from pos');

  await field(page, 'Search text').fill('');
  await page.getByRole('button', { name: 'Search' }).click();
  await choose(page, 'Minimum severity', 'WARN and above');
  await expect(page).toHaveURL(/severity=WARN/);
  await expect(async () => {
    const rows = await lines.getByRole('row').allInnerTexts();
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.slice(1).every((r) => /WARN|ERROR/.test(r))).toBe(true);
  }).toPass({ timeout: 30_000 });
  await expect(lines.getByText('order 201 rejected by the ERP: customer unknown').first()).toBeVisible();

  await choose(page, 'Time', 'Last hour');
  await expect(lines.getByTestId('log-message').first()).toBeVisible();
  await field(page, 'Search text').fill('customer unknown');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(lines.getByTestId('log-message').first()).toContainText('customer unknown');
  await screenshot(page, 'logs-search');

  await choose(page, 'Time', 'Custom range');
  await field(page, 'From').fill(new Date(Date.now() + 3_600_000).toISOString());
  await expect(page.getByText('No log lines match.')).toBeVisible();

  await field(page, 'From').fill(new Date(Date.now() - 3_600_000).toISOString());
  const first = lines.getByRole('row').nth(1);
  await expect(first).toContainText('customer unknown');
  await first.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/console/executions/${s.failedOrder}$`));
});
