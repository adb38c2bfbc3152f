package io.duckbatch.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.Arrays;

import io.duckbatch.DuckbatchApplication;

/**
 * {@link DuckbatchApplication} with a gate on standard output, for {@link FrozenChild}: the
 * thread that prints the {@code occurrence}-th line containing {@code marker} (system
 * properties {@code frozen-child.gate.marker} and {@code frozen-child.gate.occurrence})
 * waits, once the line is out, until a byte arrives on standard input (or it closes). So the
 * thread stops at the marker itself, not a few milliseconds later when the SIGSTOP the test
 * sends on reading the line arrives: a worker frozen at its claim has not read its partition
 * again, one frozen at a progress line has not written its chunk's commit to the repository
 * (no row lock held while it is frozen).
 */
public final class GatedMain {

    static final String MARKER = "frozen-child.gate.marker";

    static final String OCCURRENCE = "frozen-child.gate.occurrence";

    private GatedMain() {
    }

    public static void main(String[] args) {
        String marker = System.getProperty(MARKER);
        if (marker != null) {
            System.setOut(new PrintStream(new Gate(System.out, System.in, marker, Integer.getInteger(OCCURRENCE, 1)), true,
                    Charset.defaultCharset()));
        }
        DuckbatchApplication.main(args);
    }

    /** Passes every byte on at once; after the line with the marker's n-th occurrence, waits for standard input. */
    private static final class Gate extends OutputStream {

        private final PrintStream out;

        private final InputStream in;

        private final String marker;

        private final int occurrence;

        private byte[] line = new byte[256];

        private int length;

        private int seen;

        Gate(PrintStream out, InputStream in, String marker, int occurrence) {
            this.out = out;
            this.in = in;
            this.marker = marker;
            this.occurrence = occurrence;
        }

        @Override
        public synchronized void write(int b) throws IOException {
            this.out.write(b);
            if (b == '\n') {
                endOfLine();
            }
            else {
                if (this.length == this.line.length) {
                    this.line = Arrays.copyOf(this.line, this.length * 2);
                }
                this.line[this.length++] = (byte) b;
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int count) throws IOException {
            for (int i = offset; i < offset + count; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public void flush() {
            this.out.flush();
        }

        private void endOfLine() throws IOException {
            String text = new String(this.line, 0, this.length, Charset.defaultCharset());
            this.length = 0;
            if (this.seen < this.occurrence && text.contains(this.marker) && ++this.seen == this.occurrence) {
                this.out.flush();
                this.in.read(); // FrozenChild.resume() writes it; -1 when the test has gone
            }
        }

    }

}
