package dev.vigil.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;

/** Free loopback ports, and waiting for a port to accept connections. */
public final class Ports {

    private Ports() {
    }

    /** A TCP port on 127.0.0.1 that nothing listens on right now. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    /** A UDP port on 127.0.0.1 that nothing is bound to right now. */
    public static int freeUdp() {
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (final IOException e) {
            throw new UncheckedIOException("no free loopback UDP port", e);
        }
    }

    /** An even UDP port on 127.0.0.1 that is free together with the next one (RTP and RTCP). */
    public static int freeUdpPair() {
        for (int attempt = 0; attempt < 100; attempt++) {
            final int port = freeUdp() & ~1;
            if (port > 1024 && port < 65534) {
                try (DatagramSocket rtp = new DatagramSocket(port, InetAddress.getLoopbackAddress());
                     DatagramSocket rtcp = new DatagramSocket(port + 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (final IOException e) {
                    // taken: try another
                    continue;
                }
            }
        }
        throw new IllegalStateException("no free pair of loopback UDP ports");
    }

    /** True when something accepts a TCP connection on 127.0.0.1:{@code port}. */
    public static boolean isOpen(final int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (final IOException e) {
            return false;
        }
    }

    /** Waits until {@code port} accepts connections, or throws after {@code timeout}. */
    public static void awaitOpen(final int port, final Duration timeout, final String what) {
        final Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (isOpen(port)) {
                return;
            }
            Sleep.millis(50);
        }
        throw new IllegalStateException(what + " did not open port " + port + " within " + timeout);
    }

    /** Waits until nothing accepts connections on {@code port} any more. */
    public static void awaitClosed(final int port, final Duration timeout) {
        final Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline) && isOpen(port)) {
            Sleep.millis(50);
        }
    }
}
