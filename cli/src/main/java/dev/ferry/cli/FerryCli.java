package dev.ferry.cli;

import dev.ferry.cli.http.ApiException;
import dev.ferry.cli.http.UnreachableException;
import dev.ferry.cli.output.TerminalSafe;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The {@code ferry} command line (README, "The CLI"; cli/README.md). {@link #main} runs it for real; {@link #run} runs it
 * against given streams and environment and returns the exit status: 0 success, 1 an error (the
 * API's, or the API unreachable), 2 a usage error.
 */
public final class FerryCli {

    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int USAGE = 2;

    private FerryCli() {}

    public static void main(String[] args) {
        System.exit(run(args, CliContext.system()));
    }

    /** Runs with the system clock and real sleeps. */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, new CliContext(out, err, env, null, null, false));
    }

    /**
     * Runs with everything taken from {@code context} (tests pass a fake clock and sleeper). What
     * it prints goes through {@link TerminalSafe}: no control character a sender or a flow wrote
     * reaches the terminal.
     */
    public static int run(String[] args, CliContext context) {
        CliContext safe = new CliContext(TerminalSafe.wrap(context.out()), TerminalSafe.wrap(context.err()), context.env(),
                context.clock(), context.sleeper(), context.interactive());
        int status = commandLine(safe).execute(args);
        safe.out().flush();
        safe.err().flush();
        return status;
    }

    /** The configured picocli command line, e.g. for help text or completion scripts. */
    public static CommandLine commandLine(CliContext context) {
        CommandLine cl = new CommandLine(new FerryCommand(context));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExpandAtFiles(false); // "@FILE" belongs to --payload, not to picocli's argument files
        cl.setOut(writer(context.out()));
        cl.setErr(writer(context.err()));
        cl.setParameterExceptionHandler((ex, args) -> usageError(ex, context.err()));
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> report(ex, context));
        return cl;
    }

    private static int usageError(ParameterException ex, PrintStream err) {
        err.println("error: " + ex.getMessage());
        UnmatchedArgumentException.printSuggestions(ex, err);
        CommandLine cmd = ex.getCommandLine();
        err.println("See '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Every failure of a command ends here: one readable message, never a stack trace. */
    static int report(Exception ex, CliContext context) {
        PrintStream err = context.err();
        int code = ERROR;
        switch (ex) {
            case ApiException api -> {
                err.println("error: " + api.getMessage());
                for (ApiException.Detail d : api.details()) {
                    String line = (d.field() == null || d.field().isEmpty() ? "" : d.field() + ": ") + d.reason();
                    if (!line.equals(api.getMessage())) err.println("  " + line); // a lone detail is often the message itself
                }
                if (api.hint() != null) {
                    err.println("hint: " + api.hint());
                }
            }
            case UnreachableException u -> {
                err.println("error: could not reach the Ferry API at " + u.url() + " (" + u.getMessage() + ")");
                err.println("hint: start the local stack with ./ferry local, or point --api-url / FERRY_API_URL "
                        + "at a running API");
            }
            case CliException c -> {
                err.println("error: " + c.getMessage());
                code = c.exitCode();
            }
            case InterruptedException i -> err.println("error: interrupted");
            default -> {
                String m = ex.getMessage();
                err.println("error: " + ex.getClass().getSimpleName() + (m == null ? "" : ": " + m));
            }
        }
        err.flush();
        return code;
    }

    private static PrintWriter writer(PrintStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, stream.charset()), true);
    }
}
