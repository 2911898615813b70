package dev.vigil.agent.pipeline;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command line into argv the way a POSIX shell does for words: white space separates,
 * single quotes keep everything literally, double quotes keep white space (a backslash escapes
 * {@code "} and {@code \} inside them), a backslash outside quotes escapes the next character. No
 * expansion of any kind happens: there is no shell.
 */
public final class ArgvTokenizer {

    private ArgvTokenizer() {
    }

    /** The words of {@code line}; throws on an unterminated quote or a trailing backslash. */
    public static List<String> tokenize(final String line) throws PipelineException {
        final List<String> words = new ArrayList<>();
        final StringBuilder word = new StringBuilder();
        boolean inWord = false;
        int i = 0;
        while (i < line.length()) {
            final char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                i++;
            } else if (c == '\'') {
                final int end = line.indexOf('\'', i + 1);
                if (end < 0) {
                    throw new PipelineException("unterminated single quote at character " + (i + 1));
                }
                word.append(line, i + 1, end);
                inWord = true;
                i = end + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i + 1, word);
                inWord = true;
            } else if (c == '\\') {
                if (i + 1 >= line.length()) {
                    throw new PipelineException("trailing backslash");
                }
                word.append(line.charAt(i + 1));
                inWord = true;
                i += 2;
            } else {
                word.append(c);
                inWord = true;
                i++;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private static int doubleQuoted(final String line, final int start, final StringBuilder word) throws PipelineException {
        int i = start;
        while (i < line.length()) {
            final char c = line.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                word.append(line.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw new PipelineException("unterminated double quote at character " + start);
    }
}
