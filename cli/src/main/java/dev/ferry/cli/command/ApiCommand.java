package dev.ferry.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.cli.CliContext;
import dev.ferry.cli.FerryCommand;
import dev.ferry.cli.Settings;
import dev.ferry.cli.Times;
import dev.ferry.cli.http.ApiClient;
import dev.ferry.cli.output.Json;
import dev.ferry.cli.output.Printer;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * Base of every command that talks to the API: settings, the client, the printer, and the small
 * argument conversions commands share (times, headers, payloads), whose failures are usage errors.
 */
public abstract class ApiCommand implements Callable<Integer> {

    @ParentCommand
    FerryCommand root;

    @Spec
    CommandSpec spec;

    private ApiClient api;

    @Override
    public final Integer call() throws Exception {
        try {
            return execute();
        } finally {
            if (api != null) {
                api.close();
            }
        }
    }

    /** Does the work; returns the exit status. */
    protected abstract int execute() throws Exception;

    protected CliContext context() {
        return root.context();
    }

    protected PrintStream out() {
        return context().out();
    }

    protected PrintStream err() {
        return context().err();
    }

    protected ApiClient api() {
        if (api == null) {
            try {
                api = new ApiClient(Settings.resolve(root.apiUrl(), root.apiKey(), context()));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }
        return api;
    }

    protected Printer printer() {
        return new Printer(out(), err(), root.output());
    }

    protected ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    protected static String path(String... segments) {
        return ApiClient.path(segments);
    }

    /** A {@code --since}/{@code --until} value as ISO-8601 UTC, or null when not given. */
    protected String time(String value, String option) {
        try {
            return Times.iso(value, context().clock());
        } catch (IllegalArgumentException e) {
            throw usage("Invalid value for option '" + option + "': " + e.getMessage());
        }
    }

    /** {@code 'K: V'} arguments as a JSON object, in the order given. */
    protected ObjectNode headers(List<String> values, String option) {
        ObjectNode headers = Json.object();
        for (String h : values) {
            int colon = h.indexOf(':');
            if (colon <= 0 || h.substring(0, colon).isBlank()) {
                throw usage("Invalid value for option '" + option + "': expected 'Name: value', got '" + h + "'");
            }
            headers.put(h.substring(0, colon).strip(), h.substring(colon + 1).strip());
        }
        return headers;
    }

    /** A payload given inline, or {@code @FILE} for a file's contents; exactly as given, not reformatted. */
    protected String payload(String value, String option) {
        if (value == null || !value.startsWith("@")) {
            return value;
        }
        Path file = Path.of(value.substring(1));
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw usage("Invalid value for option '" + option + "': cannot read file '" + file + "'"
                    + (Files.exists(file) ? "" : " (no such file)"));
        }
    }
}
