package io.rimedata.connector.file;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader with a configurable delimiter and quote: fields may be quoted, quotes inside are
 * doubled, and quoted fields may span lines. Memory is bounded by the longest record, never by the file.
 */
public final class CsvReader {

    /** The largest record accepted, so a missing closing quote cannot swallow a whole file. */
    static final int MAX_RECORD_CHARS = 1_000_000;

    private final Reader in;
    private final char delimiter;
    private final char quote;
    private int peeked = -2;

    public CsvReader(Reader in, char delimiter, char quote) {
        this.in = in;
        this.delimiter = delimiter;
        this.quote = quote;
    }

    /** The next record, or null at the end of input. */
    public List<String> next() throws IOException {
        int c = read();
        if (c == -1) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        int length = 0;
        while (true) {
            if (++length > MAX_RECORD_CHARS) {
                throw new IOException("A record is longer than " + MAX_RECORD_CHARS + " characters (unbalanced quote?)");
            }
            if (quoted) {
                if (c == -1) {
                    throw new IOException("The file ends inside a quoted field");
                }
                if (c == quote) {
                    int next = read();
                    if (next == quote) {
                        field.append(quote);
                    } else {
                        quoted = false;
                        c = next;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
                wasQuoted = false;
            } else if (c == '\n' || c == '\r' || c == -1) {
                if (c == '\r') {
                    int next = read();
                    if (next != '\n') {
                        unread(next);
                    }
                }
                fields.add(field.toString());
                return fields;
            } else if (c == quote && field.isEmpty() && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else {
                field.append((char) c);
            }
            c = read();
        }
    }

    private int read() throws IOException {
        if (peeked != -2) {
            int c = peeked;
            peeked = -2;
            return c;
        }
        return in.read();
    }

    private void unread(int c) {
        peeked = c;
    }
}
