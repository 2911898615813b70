package dev.vigil.bridge.http;

import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The address a request comes from, as the login throttle counts it. It is the connection's peer,
 * unless that peer is one of the trusted reverse proxies ({@code server.trusted-proxies}, such as
 * HAProxy with {@code option forwardfor}): then it is the nearest address in {@code X-Forwarded-For}
 * that is not a trusted proxy, read from the right, where each proxy appended the address it saw.
 * Without it, every client behind a load balancer would share the balancer's address, so one
 * guesser would slow everyone down. The header is never believed from anyone else, since any client
 * can write it. Relay callbacks ({@code relay.allowed-callers}) always go by the connection's peer.
 */
public final class ClientAddress {

    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    /** Only the connection's peer: no proxy is trusted. */
    public static final ClientAddress PEER = new ClientAddress(List.of());

    private final List<Range> trusted;

    private ClientAddress(final List<Range> trusted) {
        this.trusted = List.copyOf(trusted);
    }

    /**
     * Trusts the proxies at {@code entries}: IP addresses ({@code 10.0.0.5}, {@code ::1}) or CIDR
     * ranges ({@code 10.0.0.0/8}, {@code fd00::/8}).
     *
     * @throws IllegalArgumentException naming the first entry that is neither
     */
    public static ClientAddress trusting(final List<String> entries) {
        final List<Range> ranges = new ArrayList<>();
        for (final String entry : entries) {
            ranges.add(Range.parse(entry).orElseThrow(() -> new IllegalArgumentException(
                    "'" + Routes.printable(entry) + "' is not an IP address or a CIDR range such as 10.0.0.0/8")));
        }
        return new ClientAddress(ranges);
    }

    /** The address {@code req} counts as. */
    public String of(final ServerRequest req) {
        final String peer = Routes.peerAddress(req);
        return trusted.isEmpty() ? peer : resolve(peer, req.headers().all(HeaderNames.X_FORWARDED_FOR, List::of));
    }

    /** The address a request from {@code peer} with these {@code X-Forwarded-For} lines counts as. */
    String resolve(final String peer, final List<String> forwardedFor) {
        Optional<InetAddress> current = literal(peer);
        if (current.isEmpty() || !isTrusted(current.get())) {
            return peer;
        }
        final List<String> hops = new ArrayList<>();
        for (final String line : forwardedFor) {
            for (final String hop : line.split(",")) {
                hops.add(hop.strip());
            }
        }
        for (int i = hops.size() - 1; i >= 0; i--) {
            final Optional<InetAddress> hop = literal(hops.get(i));
            if (hop.isEmpty()) {
                break; // not an address a proxy of ours wrote: the client's own text, not believed
            }
            current = hop;
            if (!isTrusted(hop.get())) {
                break;
            }
        }
        return current.get().getHostAddress();
    }

    private boolean isTrusted(final InetAddress address) {
        return trusted.stream().anyMatch(range -> range.contains(address));
    }

    /** An IP address written as one ({@code [::1]} too), parsed without asking DNS; empty otherwise. */
    static Optional<InetAddress> literal(final String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        final var v4 = IPV4.matcher(s);
        if (v4.matches()) {
            for (int g = 1; g <= 4; g++) {
                if (Integer.parseInt(v4.group(g)) > 255) {
                    return Optional.empty();
                }
            }
        } else if (!s.contains(":") || !IPV6.matcher(s).matches()) {
            return Optional.empty();
        }
        try {
            // Only dotted quads and texts with a colon get here: both are parsed as literals, never looked up.
            return Optional.of(InetAddress.getByName(s));
        } catch (final UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An address and a prefix length. */
    private record Range(byte[] network, int prefix) {

        static Optional<Range> parse(final String entry) {
            final int slash = entry.indexOf('/');
            final Optional<InetAddress> address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address.isEmpty()) {
                return Optional.empty();
            }
            final int bits = address.get().getAddress().length * 8;
            final int prefix;
            try {
                prefix = slash < 0 ? bits : Integer.parseInt(entry.substring(slash + 1).strip());
            } catch (final NumberFormatException e) {
                return Optional.empty();
            }
            return prefix < 0 || prefix > bits ? Optional.empty() : Optional.of(new Range(address.get().getAddress(), prefix));
        }

        boolean contains(final InetAddress address) {
            final byte[] bytes = address.getAddress();
            if (bytes.length != network.length) {
                return false;
            }
            final int shift = bytes.length * 8 - prefix;
            return new BigInteger(1, bytes).shiftRight(shift).equals(new BigInteger(1, network).shiftRight(shift));
        }
    }
}
