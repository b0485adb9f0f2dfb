import type { FullConfig } from '@playwright/test';
import { seed } from './seed';
import { startStack, stopStack } from './stack';

/**
 * Starts the local stack, seeds it through the API, and hands the ids to the tests (FERRY_E2E).
 * While developing, FERRY_E2E_API_URL and FERRY_E2E_ADMIN_KEY point the tests at a running
 * `./ferry local` instead (seeded again each run: names repeat, ids do not).
 */
export default async function globalSetup(_config: FullConfig) {
  const started = Date.now();
  const external = process.env.FERRY_E2E_API_URL;
  const stack = external ? null : await startStack();
  const apiUrl = external ?? stack!.apiUrl;
  const adminKey = external ? process.env.FERRY_E2E_ADMIN_KEY ?? '' : stack!.adminKey;
  if (stack?.aws) {
    // For the tests that reach the emulator directly (its IAM is enforced): the admin user's keys.
    process.env.FERRY_E2E_AWS_ACCESS_KEY_ID = stack.aws.accessKeyId;
    process.env.FERRY_E2E_AWS_SECRET_ACCESS_KEY = stack.aws.secretAccessKey;
  }
  console.log(`e2e: local stack at ${apiUrl}${stack ? `, ready in ${((Date.now() - started) / 1000).toFixed(1)} s` : ' (already running)'}`);
  try {
    const seeded = await seed(apiUrl, adminKey);
    process.env.FERRY_E2E = JSON.stringify(seeded);
    console.log(`e2e: seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } catch (e) {
    if (stack) await stopStack(stack);
    throw e;
  }
  return async () => {
    if (stack) await stopStack(stack);
  };
}
