package dev.ferry.cli.output;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * What the CLI prints, made safe for a terminal: request bodies, headers, log lines, error messages
 * and names come from senders and flows, and a control character among them could move the cursor,
 * rewrite earlier lines, change the window title or worse. Every byte the CLI writes goes through
 * this filter, which drops the C0 controls (ESC, BEL, NUL, backspace…), DEL and the C1 controls
 * (U+0080–U+009F, such as the one-byte CSI) and keeps newline, tab, and carriage return only
 * before a newline (CSV's line ends). JSON output is unaffected: it escapes control characters.
 * The progress bar, which redraws its own line with a carriage return, writes to {@link #raw}.
 */
public final class TerminalSafe extends PrintStream {
    private final PrintStream raw;

    private TerminalSafe(PrintStream raw) {
        super(new Filter(raw), true, raw.charset());
        this.raw = raw;
    }

    /** {@code stream} filtered (itself when it already is). */
    public static PrintStream wrap(PrintStream stream) {
        return stream instanceof TerminalSafe ? stream : new TerminalSafe(stream);
    }

    /** The unfiltered stream under {@code stream}, for text the CLI composed itself; after a flush. */
    public static PrintStream raw(PrintStream stream) {
        if (stream instanceof TerminalSafe safe) {
            safe.flush();
            return safe.raw;
        }
        return stream;
    }

    /** {@code text} without the characters the filter drops (for text written to {@link #raw}). */
    public static String strip(String text) {
        if (text == null) return null;
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c == 0x7f || c >= 0x80 && c <= 0x9f;
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') control = false;
            if (!control) out.append(c);
        }
        return out.toString();
    }

    /** The byte filter (UTF-8: C1 controls are 0xC2 0x80–0x9F; no other sequence contains a byte below 0x80). */
    private static final class Filter extends FilterOutputStream {
        private boolean pendingCr;
        private boolean pendingC2;

        Filter(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            b &= 0xff;
            if (pendingC2) {
                pendingC2 = false;
                if (b >= 0x80 && b <= 0x9f) return; // a C1 control: drop both bytes
                out.write(0xc2);
            }
            if (pendingCr) {
                pendingCr = false;
                if (b == '\n') out.write('\r');
            }
            if (b == '\r') {
                pendingCr = true;
            } else if (b == 0xc2) {
                pendingC2 = true;
            } else if (b == '\n' || b == '\t' || b >= 0x20 && b != 0x7f) {
                out.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            for (int i = off; i < off + len; i++) write(b[i]);
        }
    }
}
