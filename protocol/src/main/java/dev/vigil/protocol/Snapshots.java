package dev.vigil.protocol;

/**
 * The snapshot on {@code B/snapshot}: the JPEG bytes themselves, retained (so a Home Assistant
 * {@code camera} entity shows it as it is, and a bridge that starts later still has the robot's last
 * picture), with the MQTT 5 content type {@value #CONTENT_TYPE} and the user properties
 * {@value #TAKEN_PROPERTY} (ISO-8601) and, when a command asked for it, {@value #REQUEST_PROPERTY}.
 */
public final class Snapshots {

    /** No snapshot is larger: it must stay small enough for a retained message and a phone. */
    public static final int MAX_BYTES = 100 * 1024;
    /** The MQTT 5 content type of a snapshot. */
    public static final String CONTENT_TYPE = "image/jpeg";
    /** The user property that holds when the picture was taken. */
    public static final String TAKEN_PROPERTY = "taken";
    /** The user property that holds the request id of the {@code snapshot} command, if one asked. */
    public static final String REQUEST_PROPERTY = "requestId";

    private Snapshots() {
    }

    /**
     * Why {@code bytes} is not a snapshot, or {@code null} when it is one: a whole JPEG (it starts with
     * the SOI marker and ends with EOI) of at most {@link #MAX_BYTES}.
     */
    public static String problemWith(final byte[] bytes) {
        if (bytes == null || bytes.length < 4) {
            return "snapshot is empty";
        }
        if (bytes.length > MAX_BYTES) {
            return "snapshot of " + bytes.length + " bytes is larger than " + MAX_BYTES;
        }
        final boolean start = (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xd8;
        final boolean end = (bytes[bytes.length - 2] & 0xff) == 0xff && (bytes[bytes.length - 1] & 0xff) == 0xd9;
        if (!start || !end) {
            return "snapshot is not a complete JPEG";
        }
        return null;
    }
}
