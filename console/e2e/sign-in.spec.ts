import { expect, row, seeded, signIn, signInAdmin, test } from './fixtures';

test('a wrong key is refused and nothing is stored', async ({ page }) => {
  await page.goto('/console/');
  await expect(page).toHaveURL(/\/console\/sign-in/);
  await page.getByLabel('API key').fill('fry_not-a-real-key');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(/invalid|missing|unknown|API key/i).last()).toBeVisible();
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  expect(await page.evaluate(() => [sessionStorage.length, localStorage.length])).toEqual([0, 0]);
});

test('an admin signs in, sees every customer\u2019s instances, and the key stays in session storage only', async ({ page }) => {
  const s = seeded();
  await signInAdmin(page);
  await expect(page).toHaveURL(/\/console\/instances$/);
  for (const name of [s.orders.name, s.backlog.name, s.globexOrders.name]) await expect(row(page, name)).toBeVisible();
  await expect(page.getByRole('link', { name: 'Dead letters' })).toBeVisible();
  const storage = await page.evaluate(() => ({ session: JSON.stringify(sessionStorage), local: localStorage.length, cookie: document.cookie }));
  expect(storage.session).toContain(s.adminKey);
  expect(storage.local).toBe(0);
  expect(storage.cookie).toBe('');

  await page.getByRole('button', { name: 'Admin key' }).click();
  await page.getByRole('menuitem', { name: 'Sign out' }).click();
  await expect(page.getByLabel('API key')).toBeVisible();
  expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
});

test('a shared link opens its page after signing in', async ({ page }) => {
  const s = seeded();
  await page.goto(`/console/instances/${s.orders.id}/logs`);
  await expect(page).toHaveURL(/sign-in\?next=/);
  await signIn(page, s.adminKey, page.url());
  await expect(page).toHaveURL(new RegExp(`/console/instances/${s.orders.id}/logs$`));
  await expect(page.getByRole('tab', { name: 'Logs' })).toHaveAttribute('aria-selected', 'true');
});

test('a customer key sees only its own customer\u2019s instances, and another customer\u2019s are not found', async ({ page }) => {
  const s = seeded();
  await signIn(page, s.customerKey);
  await expect(row(page, s.globexOrders.name)).toBeVisible();
  await expect(page.getByRole('button', { name: /Customer key: Globex/ })).toBeVisible();
  await expect(row(page, s.orders.name)).toHaveCount(0);
  await expect(row(page, 'Demo instance')).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Dead letters' })).toHaveCount(0);

  await page.goto(`/console/instances/${s.orders.id}`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
  await page.goto(`/console/executions/${s.failedOrder}`);
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();

  await page.goto('/console/executions');
  await expect(page.getByRole('row').nth(1)).toContainText(s.globexOrders.id);
  await expect(page.getByRole('row').filter({ hasText: s.orders.id })).toHaveCount(0);
});
