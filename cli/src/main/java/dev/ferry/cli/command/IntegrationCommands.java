package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.http.Listing;
import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.Cells;
import dev.ferry.cli.output.Column;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.Printer;
import dev.ferry.cli.output.View;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code integrations:*}, including their versions. */
public final class IntegrationCommands {

    private IntegrationCommands() {}

    @Command(name = "integrations:list", description = "List integrations.")
    public static final class List extends ApiCommand {
        @Mixin
        Paging paging;

        @Override
        protected int execute() {
            printer().list(api().list("/integrations", paging.apply(Query.of()), paging.all), View.INTEGRATIONS);
            return 0;
        }
    }

    @Command(name = "integrations:create",
            description = "Create an integration from a definition file (JSON, or YAML by .yaml/.yml).")
    public static final class Create extends ApiCommand {
        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The integration definition.")
        Path file;

        @Override
        protected int execute() {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (IOException e) {
                throw usage("Invalid value for option '--file': cannot read file '" + file + "'"
                        + (Files.exists(file) ? "" : " (no such file)"));
            }
            printer().one(api().postRaw("/integrations", body, contentType(file, body)), View.INTEGRATIONS);
            return 0;
        }

        /** By extension; otherwise JSON if the text starts like JSON, else YAML. */
        static String contentType(Path file, byte[] body) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                return "application/yaml";
            }
            if (name.endsWith(".json")) {
                return "application/json";
            }
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).stripLeading();
            return text.startsWith("{") || text.startsWith("[") ? "application/json" : "application/yaml";
        }
    }

    @Command(name = "integrations:versions:create",
            description = {"Add a version to an integration from a definition file (JSON, or YAML by .yaml/.yml).",
                    "Instances keep their version until moved with instances:update --version."})
    public static final class VersionsCreate extends ApiCommand {
        @Parameters(paramLabel = "INTEGRATION_ID", description = "The integration.")
        String integrationId;

        @Option(names = "--file", paramLabel = "FILE", required = true, description = "The new definition.")
        Path file;

        @Override
        protected int execute() {
            byte[] body;
            try {
                body = Files.readAllBytes(file);
            } catch (IOException e) {
                throw usage("Invalid value for option '--file': cannot read file '" + file + "'"
                        + (Files.exists(file) ? "" : " (no such file)"));
            }
            JsonNode version = api().postRaw(path("integrations", integrationId, "versions"), body,
                    Create.contentType(file, body));
            Printer printer = printer();
            switch (printer.format()) {
                case table -> printer.note("Created version " + version.path("version").asInt() + " of integration "
                        + integrationId + " (" + Cells.text(version, "definition.name") + ").");
                case json -> printer.json(version);
                case csv -> printer.one(version, VERSIONS);
            }
            return 0;
        }
    }

    @Command(name = "integrations:versions:list", description = "List an integration's versions, newest first.")
    public static final class VersionsList extends ApiCommand {
        @Parameters(paramLabel = "INTEGRATION_ID", description = "The integration.")
        String integrationId;

        @Override
        protected int execute() {
            JsonNode integration = api().get(path("integrations", integrationId));
            int latest = integration.path("latestVersion").asInt();
            java.util.List<JsonNode> versions = new java.util.ArrayList<>();
            for (int v = latest; v >= 1; v--) {
                JsonNode one = v == latest ? integration
                        : api().get(path("integrations", integrationId), Query.of().with("version", String.valueOf(v)));
                ObjectNode row = Json.object();
                row.put("integrationId", integrationId);
                row.put("version", v);
                row.put("latest", v == latest);
                row.set("definition", one.path("definition"));
                versions.add(row);
            }
            printer().list(new Listing(Json.object(), versions, null, true), VERSIONS);
            return 0;
        }
    }

    static final View VERSIONS = new View("integration versions", java.util.List.of(
            Column.field("VERSION", "version"),
            Column.field("NAME", "definition.name"),
            Column.computed("FLOWS", "definition.flows", n -> {
                java.util.List<String> names = new java.util.ArrayList<>();
                n.path("definition").path("flows").forEach(f -> names.add(f.path("name").asText()));
                return String.join(", ", names);
            }),
            Column.computed("LATEST", "latest", n -> n.path("latest").asBoolean() ? "yes" : "")));
}
