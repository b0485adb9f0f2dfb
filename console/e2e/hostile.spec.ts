import type { Page } from '@playwright/test';
import { expect, field, row, seeded, signInAdmin, test } from './fixtures';
import { HOSTILE } from './seed';

/** Nothing the payload carried became an element or ran. */
async function nothingRan(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned)).toBeUndefined();
  await expect(page.locator('img[src="x"], img[src="y"], svg[onload], script:not([src])')).toHaveCount(0);
  await expect(page.locator('b', { hasText: 'bold note' })).toHaveCount(0);
}

test('HTML and script in a body, a header and a logged message are shown as text and run nothing', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/executions/${s.hostileExecution}`);
  await expect(page.getByTestId('Request body')).toContainText('"note": "<script>window.__pwned=2</script><b>bold note</b>"');
  await expect(page.getByTestId('Request body')).toContainText('"id": "<img src=x onerror=\\"window.__pwned=1\\">"');
  await expect(page.getByRole('table', { name: 'Request headers' }).getByRole('row').filter({ hasText: 'x-source' })).toContainText(HOSTILE.header);
  await expect(page.getByTestId('execution-error')).toHaveText(`order ${HOSTILE.body.id} rejected by the ERP: ${HOSTILE.body.reason}`);
  const lines = page.getByRole('table', { name: 'Log lines' });
  await expect(lines.getByText(`note: ${HOSTILE.body.note}`, { exact: true })).toBeVisible();
  await expect(lines.getByText(`order ${HOSTILE.body.id} received from ${HOSTILE.header}`, { exact: true })).toBeVisible();
  await nothingRan(page);

  await page.goto(`/console/instances/${s.orders.id}/executions?status=FAILED`);
  await expect(row(page, s.hostileExecution)).toContainText(HOSTILE.body.reason);
  await nothingRan(page);

  await page.goto(`/console/instances/${s.orders.id}/logs?q=${encodeURIComponent('bold note')}`);
  await expect(page.getByRole('table', { name: 'Log lines' }).getByText(`note: ${HOSTILE.body.note}`, { exact: true })).toBeVisible();
  await nothingRan(page);

  // Replaying it edited keeps the text as text too.
  await page.goto(`/console/executions/${s.hostileExecution}`);
  await page.getByRole('button', { name: 'Replay' }).click();
  await page.getByRole('dialog').getByText('Edited body').click();
  await expect(field(page, 'Body')).toHaveValue(/<script>window.__pwned=2<\/script>/);
  await nothingRan(page);
});
