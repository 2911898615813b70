package dev.vigil.agent.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Snapshots (see {@code vigil.agent.snapshot} in reference.conf).
 *
 * @param width    the picture's width (the height keeps the camera's aspect)
 * @param quality  JPEG quality, 1-100
 * @param interval how often a running camera pipeline writes a new picture
 * @param maxAge   an older picture is not used
 * @param timeout  the longest a snapshot may take, camera start included
 * @param dir      where the pictures are written
 */
public record SnapshotSettings(int width, int quality, Duration interval, Duration maxAge, Duration timeout, Path dir) {
}
