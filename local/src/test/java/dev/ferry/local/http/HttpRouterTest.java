package dev.ferry.local.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class HttpRouterTest {
    private final HttpRouter router = new HttpRouter();

    {
        router.add(new HttpRouter.Route("GET", "/executions/{id}", "Api", "GetExecution"));
        router.add(new HttpRouter.Route("POST", "/executions/{id}/replay", "Replay", "Replay"));
        router.add(new HttpRouter.Route("GET", "/executions/stats", "Api", "Stats"));
        router.add(new HttpRouter.Route("ANY", "/webhooks/{token}", "Webhook", "Webhook"));
        router.add(new HttpRouter.Route("GET", "/webhooks/{token}", "Api", "WebhookInfo"));
        router.add(new HttpRouter.Route("ANY", "/files/{proxy+}", "Files", "Files"));
    }

    private String function(String method, String path) {
        return router.match(method, path).map(m -> m.route().function()).orElse(null);
    }

    @Test
    void literalSegmentsWinOverParameters() {
        assertThat(router.match("GET", "/executions/stats").orElseThrow().route().event()).isEqualTo("Stats");
        assertThat(router.match("GET", "/executions/exe_1").orElseThrow().pathParameters()).isEqualTo(Map.of("id", "exe_1"));
    }

    @Test
    void aRouteForTheMethodWinsOverAny() {
        assertThat(function("GET", "/webhooks/abc")).isEqualTo("Api");
        assertThat(function("PUT", "/webhooks/abc")).isEqualTo("Webhook");
    }

    @Test
    void greedyParametersTakeTheRestOfThePathDecoded() {
        var m = router.match("DELETE", "/files/a/b%20c").orElseThrow();
        assertThat(m.route().routeKey()).isEqualTo("ANY /files/{proxy+}");
        assertThat(m.pathParameters()).isEqualTo(Map.of("proxy", "a/b c"));
        assertThat(router.match("GET", "/files")).isEmpty();
    }

    @Test
    void otherMethodsAndUnknownPathsAreNotFound() {
        assertThat(router.match("DELETE", "/executions/exe_1")).isEmpty();
        assertThat(router.match("GET", "/nope")).isEmpty();
        assertThat(router.match("GET", "/executions/exe_1/extra")).isEmpty();
    }

    @Test
    void queryParametersAreDecodedAndRepeatedOnesCommaJoined() {
        assertThat(HttpApiServer.query("a=1&b=x%20y&a=2&flag")).isEqualTo(Map.of("a", "1,2", "b", "x y", "flag", ""));
    }
}
