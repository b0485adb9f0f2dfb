package dev.ferry.core.definition;

/** Definitions for tests (also shared through core's test-jar). */
public final class Examples {
    private Examples() {}

    /** The "Order sync" example of docs/flow-language.md, without its descriptions and its third variable. */
    public static final String ORDER_SYNC = """
            {
              "name": "Order sync",
              "configVariables": [{"key": "apiBase", "required": true}, {"key": "apiKey", "secret": true}],
              "flows": [{
                "name": "On new order",
                "trigger": {"type": "webhook"},
                "retry": {"maxAttempts": 3, "delaySeconds": 60, "backoff": "EXPONENTIAL",
                          "maxDelaySeconds": 86400, "jitter": true,
                          "uniqueRequestId": "{% $trigger.headers.'x-request-id' %}"},
                "steps": [
                  {"name": "log",   "type": "log", "severity": "INFO", "message": "{% 'order ' & $trigger.body.id %}"},
                  {"name": "fetch", "type": "http", "method": "GET", "url": "{% $config.apiBase & '/orders/' & $trigger.body.id %}",
                   "headers": {"Authorization": "{% 'Bearer ' & $config.apiKey %}"}},
                  {"name": "shape", "type": "transform", "output": {"id": "{% $steps.fetch.body.id %}"}},
                  {"name": "guard", "type": "fail", "if": "{% $steps.shape.id = null %}", "message": "no id", "retryable": false}
                ]
              }]
            }
            """;

    public static final String ORDER_SYNC_YAML = """
            name: Order sync
            configVariables:
              - key: apiBase
                required: true
              - key: apiKey
                secret: true
            flows:
              - name: On new order
                trigger:
                  type: webhook
                retry:
                  maxAttempts: 3
                  delaySeconds: 60
                  backoff: EXPONENTIAL
                  maxDelaySeconds: 86400
                  jitter: true
                  uniqueRequestId: "{% $trigger.headers.'x-request-id' %}"
                steps:
                  - name: log
                    type: log
                    severity: INFO
                    message: "{% 'order ' & $trigger.body.id %}"
                  - name: fetch
                    type: http
                    method: GET
                    url: "{% $config.apiBase & '/orders/' & $trigger.body.id %}"
                    headers:
                      Authorization: "{% 'Bearer ' & $config.apiKey %}"
                  - name: shape
                    type: transform
                    output:
                      id: "{% $steps.fetch.body.id %}"
                  - name: guard
                    type: fail
                    if: "{% $steps.shape.id = null %}"
                    message: no id
                    retryable: false
            """;
}
