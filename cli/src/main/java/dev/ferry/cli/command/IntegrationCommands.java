package dev.ferry.cli.command;

import dev.ferry.cli.http.Query;
import dev.ferry.cli.output.View;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code integrations:*}. */
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
}
