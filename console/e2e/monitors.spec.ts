import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWebhook } from './api';
import { expect, field, row, seeded, signInAdmin, test } from './fixtures';

test('create a monitor scoped to the instance, see its alert with the delivery, follow its link, delete the monitor', async ({ page, browser }) => {
  const s = seeded();
  // The alert channel: a receiver on loopback.
  const received: { headers: IncomingMessage['headers']; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ferry-alerts`;
  try {
    await signInAdmin(page, `/console/instances/${s.monitored.id}/monitors`);
    await expect(page.getByText('No monitors for this instance.')).toBeVisible();
    await page.getByRole('button', { name: 'Create monitor' }).click();
    const dialog = page.getByRole('dialog');
    await field(page, 'Monitor name').fill('Order failures');
    await field(page, 'Channel URL').fill(url);
    await field(page, 'Channel secret').fill('monitor-secret');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await expect(page.getByText('Monitor "Order failures" created.')).toBeVisible();
    const monitor = row(page, 'Order failures');
    await expect(monitor).toContainText('EXECUTION_FAILED');
    await expect(monitor).toContainText(url);

    const failed = await sendWebhook(s.monitored.flows['On order'].webhookUrl!, { id: 801, fail: true, reason: 'no stock' }, { 'x-source': 'shop' });
    const alerts = page.getByRole('table', { name: 'Alerts about this instance' });
    await expect(async () => {
      await page.getByRole('button', { name: 'Refresh alerts' }).click();
      await expect(alerts.getByRole('row').filter({ hasText: failed })).toContainText('delivered', { timeout: 2_000 });
    }).toPass({ timeout: 90_000 });
    const alert = alerts.getByRole('row').filter({ hasText: failed });
    await expect(alert).toContainText('EXECUTION_FAILED');
    await expect(alert).toContainText('Order failures');
    await expect(alert).toContainText('#1');
    await expect(alert).toContainText('200');
    expect(received.length).toBeGreaterThanOrEqual(1);
    expect(received[0].headers['x-ferry-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(received[0].body).toContain(failed);
    await alert.getByRole('link', { name: failed }).click();
    await expect(page).toHaveURL(new RegExp(`/console/executions/${failed}$`));

    // The alert's url, as a person clicks it in a chat or an email: a browser with no session is
    // sent to sign in, then lands on the execution's page.
    const link = (JSON.parse(received[0].body) as { url: string }).url;
    expect(link).toBe(`${s.apiUrl}/console/executions/${failed}`);
    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto(link);
      await expect(other).toHaveURL(/\/console\/sign-in\?next=/);
      await other.getByLabel('API key').fill(s.adminKey);
      await other.getByRole('button', { name: 'Sign in' }).click();
      await expect(other).toHaveURL(link);
      await expect(other.getByRole('heading', { name: 'Request' })).toBeVisible();
      await expect(other.getByText(failed).first()).toBeVisible();
    } finally {
      await fresh.close();
    }

    await page.goBack();
    await row(page, 'Order failures').getByRole('button', { name: 'Delete monitor Order failures' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByText('Monitor "Order failures" deleted.')).toBeVisible();
    await expect(page.getByText('No monitors for this instance.')).toBeVisible();
  } finally {
    server.close();
  }
});
