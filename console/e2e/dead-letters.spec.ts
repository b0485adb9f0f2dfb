import { createHash, createHmac } from 'node:crypto';
import { expect, row, seeded, signIn, signInAdmin, test } from './fixtures';

const sha256 = (data: string) => createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string) => createHmac('sha256', key).update(data).digest();

/**
 * One SQS call to the emulator (the JSON protocol the AWS SDKs use), signed with Signature Version 4
 * as the stack's admin user: the stack enforces IAM, so the emulator checks the signature.
 */
async function sqs(action: string, body: Record<string, unknown>): Promise<any> {
  const endpoint = process.env.FERRY_AWS_ENDPOINT!;
  const accessKey = process.env.FERRY_E2E_AWS_ACCESS_KEY_ID ?? 'test';
  const secretKey = process.env.FERRY_E2E_AWS_SECRET_ACCESS_KEY ?? 'test';
  const payload = JSON.stringify(body);
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const day = amzDate.slice(0, 8);
  const scope = `${day}/us-east-1/sqs/aws4_request`;
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.0',
    host: new URL(endpoint).host,
    'x-amz-date': amzDate,
    'x-amz-target': `AmazonSQS.${action}`,
  };
  const names = Object.keys(headers).sort();
  const canonical = ['POST', '/', '', ...names.map((n) => `${n}:${headers[n]}`), '', names.join(';'), sha256(payload)].join('\n');
  const toSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonical)].join('\n');
  const key = ['us-east-1', 'sqs', 'aws4_request'].reduce((k, part) => hmac(k, part), hmac(`AWS4${secretKey}`, day));
  const signature = createHmac('sha256', key).update(toSign).digest('hex');
  const sent = Object.fromEntries(Object.entries(headers).filter(([n]) => n !== 'host')); // fetch sets Host itself
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      ...sent,
      authorization: `AWS4-HMAC-SHA256 Credential=${accessKey}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}`,
    },
    body: payload,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`SQS ${action} answered ${res.status}: ${text}`);
  return text ? JSON.parse(text) : {};
}

test('an admin sees a dead-lettered message and redrives it', async ({ page }) => {
  const s = seeded();
  // A message as the execution queue dead-letters one: it names an execution (already run, so the redrive runs nothing twice).
  const { QueueUrl } = await sqs('GetQueueUrl', { QueueName: 'ferry-ExecutionDeadLetterQueue' });
  await sqs('SendMessage', { QueueUrl, MessageBody: JSON.stringify({ executionId: s.failedOrder }) });

  await signInAdmin(page, '/console/dead-letters');
  const message = row(page, `executionId ${s.failedOrder}`);
  await expect(message).toBeVisible();
  await message.getByRole('checkbox').check();
  await page.getByRole('button', { name: 'Redrive selected' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Redrive' }).click();
  await expect(page.getByText('1 message moved back to the execution queue.')).toBeVisible();
  await expect(page.getByText('No messages in this dead-letter queue.')).toBeVisible();

  await page.getByText('retry', { exact: true }).click();
  await expect(page).toHaveURL(/queue=retry/);
  await expect(page.getByText('retry dead-letter queue')).toBeVisible();
});

test('a customer key has no dead-letters page', async ({ page }) => {
  await signIn(page, seeded().customerKey, '/console/dead-letters');
  await expect(page.getByRole('heading', { name: 'Not found' })).toBeVisible();
});
