import { expect, field, seeded, signInAdmin, test } from './fixtures';

test('bulk-replay the unresolved failures: a dry run counts them, then live progress; a second job is cancelled', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.backlog.id}/executions`);
  await page.getByText('Failed and not yet successfully retried or replayed').click();
  await page.getByText('Originals only (no retries or replays)').click();
  await expect(page).toHaveURL(/unresolved=1/);
  await expect(page.getByRole('table', { name: 'Executions' }).getByRole('row')).toHaveCount(4);

  // A slow job (one replay every 5 s), cancelled while it runs.
  await page.getByRole('button', { name: 'Replay matching…' }).click();
  let dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Start replay' })).toBeDisabled();
  await dialog.getByRole('button', { name: 'Count matches (dry run)' }).click();
  await expect(dialog.getByText('3 executions match.')).toBeVisible();
  await field(page, 'Replays per second').fill('0.2');
  await field(page, 'Job name').fill('slow, to cancel');
  await dialog.getByRole('button', { name: 'Start replay' }).click();
  await expect(page).toHaveURL(/\/console\/replays\/rpj_/);
  await expect(page.getByText('slow, to cancel')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel job' }).click();
  await expect(page.getByText('CANCELLED').first()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel job' })).toHaveCount(0);

  // Then all of them, at 20 per second, to the end.
  await page.goto(`/console/instances/${s.backlog.id}/executions?unresolved=1&originals=1`);
  await page.getByRole('button', { name: 'Replay matching…' }).click();
  dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Count matches (dry run)' }).click();
  await expect(dialog.getByText('3 executions match.')).toBeVisible();
  await field(page, 'Replays per second').fill('20');
  await dialog.getByRole('button', { name: 'Start replay' }).click();
  await expect(page).toHaveURL(/\/console\/replays\/rpj_/);
  await expect(page.getByText('COMPLETED').first()).toBeVisible({ timeout: 90_000 });
  await expect(page.getByText('3 of 3 matched')).toBeVisible();
  // The same requests fail again: each replay is counted as it ends.
  await expect(page.locator('body')).toContainText(/Replays failed\s*3/, { timeout: 90_000 });
});
