package dev.ferry.cli.output;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar on stderr: {@code [##########----------]  50% 5/10 dispatched, ...}. On a terminal
 * it redraws one line in place; otherwise (logs, pipes) it prints a new line only when the text
 * changes.
 */
public final class ProgressBar {

    private final PrintStream err;
    private final boolean interactive;
    private final int width;
    private String last = "";

    public ProgressBar(PrintStream err, boolean interactive, int width) {
        this.err = err;
        this.interactive = interactive;
        this.width = width;
    }

    public void update(long done, long total, String detail) {
        String line = render(done, total, width) + (detail == null || detail.isEmpty() ? "" : " " + TerminalSafe.strip(detail));
        if (line.equals(last)) {
            return;
        }
        if (interactive) {
            int pad = Math.max(0, last.length() - line.length());
            // The carriage return is the bar's own: written past the filter that drops those of senders.
            TerminalSafe.raw(err).print("\r" + line + " ".repeat(pad));
        } else {
            err.println(line);
        }
        TerminalSafe.raw(err).flush();
        last = line;
    }

    /** Ends the bar's line (on a terminal the cursor is still on it). */
    public void finish() {
        if (interactive && !last.isEmpty()) {
            err.println();
        }
    }

    static String render(long done, long total, int width) {
        double fraction = total <= 0 ? 1.0 : Math.min(1.0, Math.max(0.0, (double) done / total));
        int filled = (int) Math.floor(fraction * width);
        return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] "
                + String.format(Locale.ROOT, "%3d%%", (int) Math.floor(fraction * 100)) + " " + done + "/" + total;
    }
}
