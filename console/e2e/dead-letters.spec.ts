import { expect, row, seeded, signIn, signInAdmin, test } from './fixtures';

/** One SQS call to the emulator (the JSON protocol the AWS SDKs use). */
async function sqs(action: string, body: Record<string, unknown>): Promise<any> {
  const res = await fetch(process.env.FERRY_AWS_ENDPOINT!, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `AmazonSQS.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(body),
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
