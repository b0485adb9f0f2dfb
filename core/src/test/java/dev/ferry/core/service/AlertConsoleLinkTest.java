package dev.ferry.core.service;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** An alert's url opens the console's page of what it is about, not a route that needs a bearer key. */
class AlertConsoleLinkTest {

    @Test
    void anExecutionsAlertLinksToTheConsolesExecutionPage() {
        assertThat(AlertNotifier.consoleUrl("https://api.example.test/", "exe_1", "ins_1"))
                .isEqualTo("https://api.example.test/console/executions/exe_1");
    }

    @Test
    void anInstancesAlertWithoutAnExecutionLinksToTheConsolesInstancePage() {
        assertThat(AlertNotifier.consoleUrl("https://api.example.test", null, "ins_1"))
                .isEqualTo("https://api.example.test/console/instances/ins_1");
    }

    @Test
    void anAlertAboutNeitherLinksToTheConsolesAlertsPage() {
        assertThat(AlertNotifier.consoleUrl("https://api.example.test", null, null))
                .isEqualTo("https://api.example.test/console/alerts");
    }

    @Test
    void anIdIsEscapedAsOnePathSegment() {
        assertThat(AlertNotifier.consoleUrl("https://api.example.test", "a/b c", null))
                .isEqualTo("https://api.example.test/console/executions/a%2Fb%20c");
    }

    @Test
    void withoutAPublicBaseTheLinkIsThePath() {
        assertThat(AlertNotifier.consoleUrl(null, "exe_1", null)).isEqualTo("/console/executions/exe_1");
    }
}
