import { expect, row, screenshot, seeded, signInAdmin, test } from './fixtures';

test('delete an instance: the dialog refuses a wrong name, the exact name deletes it', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page, `/console/instances/${s.doomed.id}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog');
  const confirm = dialog.getByRole('button', { name: 'Delete' });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Instance name to confirm').fill('Acme to delet');
  await expect(dialog.getByText('Not the instance\u2019s exact name')).toBeVisible();
  await expect(confirm).toBeDisabled();
  await screenshot(page, 'delete-dialog');
  await dialog.getByLabel('Instance name to confirm').fill('acme to delete');
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Instance name to confirm').fill(s.doomed.name);
  await expect(confirm).toBeEnabled();
  await confirm.click();

  await expect(page).toHaveURL(/\/console\/instances$/);
  await expect(page.getByText(`Instance "${s.doomed.name}" and everything kept for it were deleted.`)).toBeVisible();
  await expect(row(page, s.orders.name)).toBeVisible();
  await expect(row(page, s.doomed.name)).toHaveCount(0);
  await page.goto(`/console/instances/${s.doomed.id}`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});
