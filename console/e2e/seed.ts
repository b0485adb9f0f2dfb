import { sendWebhook, TestApi } from './api';

/** The integration the tests' instances run: orders that log, may fail on request, a flaky flow that retries once, and a schedule. */
export const DEFINITION = {
  name: 'Order sync (console tests)',
  description: 'Logs each order, fails the ones marked to fail, reshapes the rest.',
  configVariables: [
    { key: 'apiKey', secret: true, description: 'never shown' },
    { key: 'region', default: 'eu-west-1' },
  ],
  flows: [
    {
      name: 'On order',
      trigger: { type: 'webhook' },
      steps: [
        { name: 'receive', type: 'log', severity: 'INFO', message: "{% 'order ' & $string($trigger.body.id) & ' received from ' & $trigger.headers.'x-source' %}" },
        { name: 'note', type: 'log', severity: 'WARN', if: '{% $exists($trigger.body.note) %}', message: "{% 'note: ' & $trigger.body.note %}" },
        {
          name: 'check',
          type: 'fail',
          if: '{% $trigger.body.fail = true %}',
          message: "{% 'order ' & $string($trigger.body.id) & ' rejected by the ERP: ' & $string($trigger.body.reason) %}",
          retryable: false,
        },
        { name: 'shape', type: 'transform', output: { orderId: '{% $trigger.body.id %}', total: '{% $trigger.body.total %}' } },
      ],
    },
    {
      name: 'Flaky sync',
      trigger: { type: 'webhook' },
      retry: { maxAttempts: 1, delaySeconds: 1 },
      steps: [
        { name: 'call', type: 'fail', if: '{% $trigger.body.fail = true %}', message: 'the ERP answered 503' },
        { name: 'done', type: 'log', message: 'synced' },
      ],
    },
    {
      name: 'Slow sync',
      trigger: { type: 'webhook' },
      steps: [
        { name: 'begin', type: 'log', message: "{% 'slow sync of ' & $string($trigger.body.id) & ' started' %}" },
        { name: 'wait', type: 'sleep', seconds: 20 },
        { name: 'end', type: 'log', message: "{% 'slow sync of ' & $string($trigger.body.id) & ' done' %}" },
      ],
    },
    {
      name: 'Nightly report',
      trigger: { type: 'schedule', schedule: 'cron(0 2 * * ? *)', timezone: 'Europe/Berlin' },
      steps: [{ name: 'report', type: 'log', message: 'nightly report' }],
    },
  ],
};

/** HTML and script in a body, a header and a logged message: the console must show all of it as text. */
export const HOSTILE = {
  body: {
    id: '<img src=x onerror="window.__pwned=1">',
    note: '<script>window.__pwned=2</script><b>bold note</b>',
    fail: true,
    reason: '<img src=y onerror="window.__pwned=3">',
  },
  header: '<svg onload="window.__pwned=4"></svg>',
};

export interface Seeded {
  apiUrl: string;
  adminKey: string;
  customerKey: string;
  acme: { id: string; name: string };
  globex: { id: string; name: string };
  orders: InstanceInfo;
  backlog: InstanceInfo;
  pausable: InstanceInfo;
  doomed: InstanceInfo;
  monitored: InstanceInfo;
  holding: InstanceInfo;
  globexOrders: InstanceInfo;
  failedOrder: string;
  hostileExecution: string;
  flakyOriginal: string;
}

export interface InstanceInfo {
  id: string;
  name: string;
  flows: Record<string, { id: string; webhookUrl: string | null }>;
}

async function instance(api: TestApi, customerId: string, integrationId: string, name: string): Promise<InstanceInfo> {
  const i = await api.post('/instances', { name, customerId, integrationId, configVariables: { apiKey: `secret-${name.length}-do-not-show` } });
  const flows: InstanceInfo['flows'] = {};
  for (const fc of i.flowConfigs) flows[fc.flow] = { id: fc.id, webhookUrl: fc.webhookUrl };
  return { id: i.id, name: i.name, flows };
}

/** Customers, instances, executions and a customer key, made through the API as an operator would. */
export async function seed(apiUrl: string, adminKey: string): Promise<Seeded> {
  const api = new TestApi(apiUrl, adminKey);
  const acme = await api.post('/customers', { name: 'Acme Retail', externalId: 'acme' });
  const globex = await api.post('/customers', { name: 'Globex', externalId: 'globex' });
  const integration = await api.post('/integrations', DEFINITION);
  const orders = await instance(api, acme.id, integration.id, 'Acme orders');
  const backlog = await instance(api, acme.id, integration.id, 'Acme backlog');
  const pausable = await instance(api, acme.id, integration.id, 'Acme pausable');
  const doomed = await instance(api, acme.id, integration.id, 'Acme to delete');
  const monitored = await instance(api, acme.id, integration.id, 'Acme monitored');
  const holding = await instance(api, acme.id, integration.id, 'Acme holding');
  const globexOrders = await instance(api, globex.id, integration.id, 'Globex orders');
  const key = await api.post('/api-keys', { name: 'Globex portal', customerId: globex.id });

  const order = orders.flows['On order'].webhookUrl!;
  for (const id of [101, 102, 103]) await sendWebhook(order, { id, total: id / 10 }, { 'x-source': 'shop' });
  const failedOrder = await sendWebhook(order, { id: 201, fail: true, reason: 'customer unknown' }, { 'x-source': 'shop' });
  await sendWebhook(order, { id: 202, fail: true, reason: 'credit limit reached' }, { 'x-source': 'pos' });
  const hostileExecution = await sendWebhook(order, HOSTILE.body, { 'x-source': HOSTILE.header });
  const flakyOriginal = await sendWebhook(orders.flows['Flaky sync'].webhookUrl!, { id: 301, fail: true });
  await api.ended(orders.id, 7);
  // The flaky flow's one retry: its own execution, `<original>_r2`.
  await api.until('the flaky retry to end', async () => {
    const r = await api.get(`/executions/${flakyOriginal}_r2`).catch(() => undefined);
    return r && ['SUCCEEDED', 'FAILED'].includes(r.status) ? r : undefined;
  });

  const backlogUrl = backlog.flows['On order'].webhookUrl!;
  for (const id of [401, 402, 403]) await sendWebhook(backlogUrl, { id, fail: true, reason: 'ERP down' }, { 'x-source': 'shop' });
  await sendWebhook(backlogUrl, { id: 404, total: 1 }, { 'x-source': 'shop' });
  await api.ended(backlog.id, 4);

  await sendWebhook(doomed.flows['On order'].webhookUrl!, { id: 501, total: 5 }, { 'x-source': 'shop' });
  await api.ended(doomed.id, 1);
  await sendWebhook(globexOrders.flows['On order'].webhookUrl!, { id: 601, total: 6 }, { 'x-source': 'globex-shop' });
  await api.ended(globexOrders.id, 1);

  return {
    apiUrl,
    adminKey,
    customerKey: key.key,
    acme: { id: acme.id, name: acme.name },
    globex: { id: globex.id, name: globex.name },
    orders,
    backlog,
    pausable,
    doomed,
    monitored,
    holding,
    globexOrders,
    failedOrder,
    hostileExecution,
    flakyOriginal,
  };
}
