package dev.vigil.agent.supervise;

import java.util.List;
import java.util.function.UnaryOperator;

/**
 * What to run: built afresh before every launch (publish tokens expire), already validated.
 *
 * @param argv   the command, run without a shell
 * @param masker replaces every secret in a line with {@code ***}
 */
public record LaunchSpec(List<String> argv, UnaryOperator<String> masker) {

    public LaunchSpec {
        argv = List.copyOf(argv);
    }

    /** The argv as one masked line, for logs. */
    public String maskedCommandLine() {
        return masker.apply(String.join(" ", argv));
    }
}
