package dev.vigil.agent.supervise;

import java.util.List;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * What to run: built afresh before every launch (publish tokens expire), already validated.
 *
 * @param argv      the command, run without a shell
 * @param masker    replaces every secret in a line with {@code ***}
 * @param diagnosis for a launch that could not connect before streaming: one line naming what is
 *                  wrong with the publish (a relay's refused TLS certificate), or null when it finds
 *                  nothing; it may wait on the network. {@code null} when the publish has nothing to
 *                  diagnose (no TLS)
 */
public record LaunchSpec(List<String> argv, UnaryOperator<String> masker, Supplier<String> diagnosis) {

    public LaunchSpec {
        argv = List.copyOf(argv);
    }

    /** A spec without a diagnosis. */
    public LaunchSpec(final List<String> argv, final UnaryOperator<String> masker) {
        this(argv, masker, null);
    }

    /** The argv as one masked line, for logs. */
    public String maskedCommandLine() {
        return masker.apply(String.join(" ", argv));
    }
}
