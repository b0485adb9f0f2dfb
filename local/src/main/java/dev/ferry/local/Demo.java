package dev.ferry.local;

/**
 * The demo the local stack seeds through its own HTTP API: customer "Demo Customer" (externalId
 * {@code demo}), integration "Demo order sync" whose webhook flow logs the order id and reshapes
 * the body, and instance "Demo instance".
 *
 * @param secretConfigValue the value of the instance's secret config variable {@code apiKey} when
 *                          this run created the instance (null when an earlier run's was reused);
 *                          it must never appear in any answer or log
 */
public record Demo(
        String customerId,
        String integrationId,
        String instanceId,
        String flowConfigId,
        String webhookUrl,
        boolean reused,
        String secretConfigValue) {

    /** A sample order, the body the printed curl line sends. */
    public static final String SAMPLE_BODY = "{\"id\": 42, \"total\": 9.5}";

    /** A ready-to-paste curl line that sends {@link #SAMPLE_BODY} to the webhook. */
    public String curl() {
        return "curl -sS -X POST '" + webhookUrl + "' -H 'content-type: application/json' -d '" + SAMPLE_BODY + "'";
    }
}
