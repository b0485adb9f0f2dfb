package dev.ferry.cli;

import dev.ferry.cli.command.AlertCommands;
import dev.ferry.cli.command.ApiKeyCommands;
import dev.ferry.cli.command.DeadLetterCommands;
import dev.ferry.cli.command.CustomerCommands;
import dev.ferry.cli.command.ExecutionCommands;
import dev.ferry.cli.command.InstanceCommands;
import dev.ferry.cli.command.IntegrationCommands;
import dev.ferry.cli.command.LogCommands;
import dev.ferry.cli.command.MonitorCommands;
import dev.ferry.cli.command.ReplayCommands;
import dev.ferry.cli.output.Format;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code ferry}: the top-level command. Its options are inherited by every subcommand. */
@Command(
        name = "ferry",
        scope = ScopeType.INHERIT,
        mixinStandardHelpOptions = true,
        versionProvider = FerryCommand.Version.class,
        sortOptions = false,
        description = "Manage Ferry customers, integrations, instances, executions, logs, alerts and API keys.",
        footer = {"",
                "Settings: --api-url, else FERRY_API_URL, else the running local stack's URL, else "
                        + Settings.DEFAULT_API_URL + ";",
                "--api-key, else FERRY_API_KEY, else the local stack's admin key."},
        subcommands = {
                CustomerCommands.List.class,
                CustomerCommands.Create.class,
                IntegrationCommands.List.class,
                IntegrationCommands.Create.class,
                IntegrationCommands.VersionsCreate.class,
                IntegrationCommands.VersionsList.class,
                InstanceCommands.List.class,
                InstanceCommands.Create.class,
                InstanceCommands.Show.class,
                InstanceCommands.Update.class,
                InstanceCommands.Pause.class,
                InstanceCommands.Unpause.class,
                InstanceCommands.Delete.class,
                InstanceCommands.FlowConfigsList.class,
                InstanceCommands.FlowConfigsTest.class,
                ExecutionCommands.List.class,
                ExecutionCommands.Show.class,
                ExecutionCommands.Replay.class,
                ExecutionCommands.ReplayBulk.class,
                ExecutionCommands.Cancel.class,
                ExecutionCommands.CancelBulk.class,
                ReplayCommands.List.class,
                ReplayCommands.Show.class,
                ReplayCommands.Cancel.class,
                LogCommands.Search.class,
                AlertCommands.MonitorsCreate.class,
                AlertCommands.MonitorsList.class,
                AlertCommands.MonitorsShow.class,
                AlertCommands.MonitorsDelete.class,
                AlertCommands.EventsList.class,
                MonitorCommands.Update.class,
                MonitorCommands.Mute.class,
                MonitorCommands.Unmute.class,
                MonitorCommands.Ack.class,
                ApiKeyCommands.Create.class,
                ApiKeyCommands.List.class,
                ApiKeyCommands.Delete.class,
                DeadLetterCommands.List.class,
                DeadLetterCommands.Redrive.class,
        })
public final class FerryCommand implements Callable<Integer> {

    private final CliContext context;

    @Spec
    CommandSpec spec;

    @Option(names = "--api-url", paramLabel = "URL", scope = ScopeType.INHERIT, order = 100,
            description = "API base URL (env FERRY_API_URL; default: the local stack's, else "
                    + Settings.DEFAULT_API_URL + ").")
    String apiUrl;

    @Option(names = "--api-key", paramLabel = "KEY", scope = ScopeType.INHERIT, order = 101,
            description = "API key sent as 'Authorization: Bearer KEY' (env FERRY_API_KEY; default: the local "
                    + "stack's admin key).")
    String apiKey;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", scope = ScopeType.INHERIT, order = 102,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
    Format output;

    public FerryCommand(CliContext context) {
        this.context = context;
    }

    public CliContext context() {
        return context;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public String apiKey() {
        return apiKey;
    }

    public Format output() {
        return output == null ? Format.table : output;
    }

    /** {@code ferry} alone: the usage, as a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return spec.exitCodeOnInvalidInput();
    }

    /** The version from the jar manifest, or "development build" when run from classes. */
    public static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = FerryCommand.class.getPackage().getImplementationVersion();
            return new String[] {"ferry " + (v == null ? "(development build)" : v)};
        }
    }
}
