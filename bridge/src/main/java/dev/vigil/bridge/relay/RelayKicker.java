package dev.vigil.bridge.relay;

import java.util.concurrent.CompletableFuture;

/** Disconnects the clients of a relay path: what an operator's stop does at the relay. */
public interface RelayKicker {

    /** A kicker for a bridge without the relay's API: nothing is disconnected. */
    RelayKicker NONE = (path, publisherToo) -> CompletableFuture.completedFuture(0);

    /**
     * Disconnects every reader of {@code path}, and its publisher too when {@code publisherToo};
     * completes with how many were disconnected, never exceptionally (failures are logged).
     */
    CompletableFuture<Integer> kick(String path, boolean publisherToo);
}
