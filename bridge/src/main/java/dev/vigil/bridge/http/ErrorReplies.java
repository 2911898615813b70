package dev.vigil.bridge.http;

import com.fasterxml.jackson.core.JacksonException;
import dev.vigil.bridge.store.StoreException;
import io.helidon.http.HttpException;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps exceptions to JSON problems: bad input is a 4xx with a clear detail, never a 500. */
public final class ErrorReplies {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorReplies.class);

    private ErrorReplies() {
    }

    /** Registers the handlers on {@code routing}. */
    public static void register(final HttpRouting.Builder routing) {
        routing.error(JacksonException.class, (req, res, e) ->
                        JsonReplies.problem(res, Status.BAD_REQUEST_400, "the body is not valid JSON"))
                .error(HttpException.class, (req, res, e) -> {
                    if (e.status().code() >= 500) {
                        LOG.warn("{} {} failed: {}", req.prologue().method().text(), req.path().path(), e.getMessage());
                    }
                    JsonReplies.problem(res, e.status(), e.status().code() >= 500 ? "internal error"
                            : Routes.printable(e.getMessage() == null ? e.status().reasonPhrase() : e.getMessage()));
                })
                .error(StoreException.class, (req, res, e) -> {
                    // The registry database is away: the client may retry; no stack trace for an outage.
                    LOG.warn("{} {}: {}", req.prologue().method().text(), req.path().path(), e.getMessage());
                    JsonReplies.unavailable(res, java.time.Duration.ofSeconds(2),
                            "the registry database is not reachable; retry later");
                })
                .error(IllegalArgumentException.class, (req, res, e) ->
                        JsonReplies.problem(res, Status.BAD_REQUEST_400, "bad request"))
                .error(RuntimeException.class, (req, res, e) -> {
                    LOG.error("{} {} failed", req.prologue().method().text(), req.path().path(), e);
                    JsonReplies.problem(res, Status.INTERNAL_SERVER_ERROR_500, "internal error");
                });
    }
}
