package dev.vigil.agent.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vigil.agent.config.MediaSettings;
import dev.vigil.agent.config.MotionSettings;
import dev.vigil.agent.config.SnapshotSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class PipelineRenderingTest {

    private static final String URL = "rtmp://relay:1935/live/stream?user=robot&pass=s3cret";

    private static PipelineTemplate template() throws PipelineException {
        return PipelineTemplate.parse("demo", List.of(
                "# A demo.",
                "# param width=640",
                "# param device=/dev/video0",
                "# param url",
                "v4l2src device=${device} ! video/x-raw,width=${width}",
                "  ! fakesink name=\"a b\" location=\"${url} live=1\""));
    }

    @Test
    void render_substitutesDefaultsAndOverrides_intoArgvWithoutShell() throws Exception {
        final List<String> argv = TemplateRenderer.render(template(), Map.of("width", "320"), URL, "gst-launch-1.0");
        assertEquals(List.of("gst-launch-1.0", "-e", "-m", "v4l2src", "device=/dev/video0", "!", "video/x-raw,width=320",
                "!", "fakesink", "name=a b", "location=" + URL + " live=1"), argv);
    }

    @ParameterizedTest
    @ValueSource(strings = {"640 ! filesink location=/etc/passwd", "640!fakesink", "a\"b", "a'b", "${url}", "1,format=RGB",
        "x;y", "a\\b", "", "line\nbreak", "$HOME"})
    void render_refusesElementInjection_inParameterValues(final String value) {
        final PipelineException e = assertThrows(PipelineException.class,
                () -> TemplateRenderer.render(template(), Map.of("width", value), URL, "gst-launch-1.0"));
        assertTrue(e.getMessage().contains("parameter 'width'"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"rtmp://h/live/s ! filesink location=/tmp/x", "rtmp://h/\"x", "rtmp://h/$(id)", "not a url"})
    void render_refusesUrl_thatCouldInjectAnElement(final String url) {
        final PipelineException e = assertThrows(PipelineException.class,
                () -> TemplateRenderer.render(template(), Map.of(), url, "gst-launch-1.0"));
        assertFalse(e.getMessage().contains(url), "the refused URL (it may hold a password) was echoed");
    }

    @Test
    void render_refusesUnknownParameter_namingTheKnownOnes() {
        final PipelineException e = assertThrows(PipelineException.class,
                () -> TemplateRenderer.render(template(), Map.of("heigth", "480"), URL, "gst-launch-1.0"));
        assertEquals("pipeline 'demo' has no parameter 'heigth' (it has: width, device, url)", e.getMessage());
    }

    @Test
    void parse_refusesPlaceholder_withoutDeclaredParameter() {
        final PipelineException e = assertThrows(PipelineException.class,
                () -> PipelineTemplate.parse("x", List.of("# param url", "videotestsrc pattern=${pattern} ! rtmpsink location=${url}")));
        assertTrue(e.getMessage().contains("${pattern}"));
    }

    @Test
    void tokenize_honoursQuotesAndEscapes_likeShell() throws Exception {
        assertEquals(List.of("a", "b c", "d'e", "f\"g", "h i"),
                ArgvTokenizer.tokenize("a \"b c\" \"d'e\" 'f\"g' h\\ i"));
        assertThrows(PipelineException.class, () -> ArgvTokenizer.tokenize("a \"b"));
        assertThrows(PipelineException.class, () -> ArgvTokenizer.tokenize("a 'b"));
    }

    @Test
    void masker_hidesSecretInPlainEncodedAndQueryForms() {
        final SecretMasker masker = SecretMasker.of("p@ss w0rd");
        assertEquals("x *** y", masker.apply("x p@ss w0rd y"));
        assertEquals("rtmp://h/live/s?user=u&pass=***", masker.apply("rtmp://h/live/s?user=u&pass=p%40ss+w0rd"));
        assertEquals("rtmp://h/s?token=***", masker.apply("rtmp://h/s?token=anything-else"));
        assertEquals("rtsp://u:***@h:8554/p", masker.apply("rtsp://u:other@h:8554/p"));
        assertEquals("stream \\\"rtmp://h/s\\?user\\=u&pass\\=***\\ live\\=1\\\"",
                masker.apply("stream \\\"rtmp://h/s\\?user\\=u&pass\\=unknown-9\\ live\\=1\\\""), "gst-launch -m escapes '=' in bus messages");
    }

    @Test
    void publishUrl_carriesOriginalQuery_orAToken_andDropsEmptyCredentials() {
        final MediaSettings plain = new MediaSettings("relay:1935", "live/stream", "robot", "pw&x", "rtmp://{server}/{path}?user={user}&pass={pass}",
                false, Duration.ofMinutes(10));
        assertEquals("rtmp://relay:1935/live/stream?user=robot&pass=pw%26x",
                PublishUrl.build(plain, "r1", Instant.EPOCH).url());
        final MediaSettings none = new MediaSettings("relay:1935", "live/stream", "", "", plain.urlTemplate(), false, Duration.ofMinutes(10));
        assertEquals("rtmp://relay:1935/live/stream", PublishUrl.build(none, "r1", Instant.EPOCH).url());
        final MediaSettings token = new MediaSettings("relay:1935", "live/r1", "", "secret", plain.urlTemplate(), true, Duration.ofMinutes(10));
        final PublishUrl.Credentials credentials = PublishUrl.build(token, "r1", Instant.EPOCH);
        assertTrue(credentials.url().startsWith("rtmp://relay:1935/live/r1?user=r1&pass=v1.r1.600."), credentials.url());
        assertFalse(credentials.url().contains("secret"));
        assertFalse(credentials.toString().contains(credentials.secret()));
    }

    @Test
    void shippedTemplates_allRender_withAKeyframeAtLeastEverySecond() throws Exception {
        final Path dir = Path.of("..", "pipelines");
        final List<String> names = PipelineTemplate.namesIn(dir);
        assertTrue(names.containsAll(List.of("picam-x264", "picam-v4l2h264", "usb-x264", "testsrc", "testsrc-rtsp", "testsrc-srt",
                "testsrc-rtsps", "picam-x264-rtsps")));
        for (final String name : names) {
            final PipelineTemplate template = PipelineTemplate.read(dir.resolve(name + ".pipeline"));
            final List<String> argv = TemplateRenderer.render(template, Map.of(), "rtmp://h/live/s", "gst-launch-1.0");
            final String line = String.join(" ", argv);
            assertTrue(line.contains("config-interval=-1"), name);
            assertTrue(line.contains("progressreport"), name);
            final java.util.regex.Matcher interval = java.util.regex.Pattern
                    .compile("(?:key-int-max|h264_i_frame_period)=(\\d+)").matcher(line);
            assertTrue(interval.find(), name + " sets no keyframe interval");
            final int frames = Integer.parseInt(interval.group(1));
            assertTrue(frames > 0 && frames <= Integer.parseInt(template.defaults().get("framerate")),
                    name + ": a keyframe every " + frames + " frames is more than a second apart");
        }
    }

    static MotionSettings motion() {
        return new MotionSettings(true, "", Map.of(), 320, 5, 0.5, 0.02, 2, Duration.ofSeconds(3), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Path.of("/tmp/motion.json"));
    }

    static SnapshotSettings snapshot(final Path dir) {
        return new SnapshotSettings(640, 70, Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(15), dir);
    }

    @Test
    void render_hangsBranchesOnTheTap_andPrintsMessages_forMotion() throws Exception {
        final PipelineTemplate template = PipelineTemplate.parse("tapped", List.of("# tap cam", "# watch testsrc", "# param url",
                "videotestsrc ! video/x-raw,format=I420 ! tee name=cam ! queue ! fakesink location=${url}"));
        assertEquals("cam", template.tap());
        assertEquals("testsrc", template.watch());
        final List<String> argv = TemplateRenderer.render(template, Map.of(), URL, "gst-launch-1.0",
                List.of(Branches.motion(motion()), Branches.snapshot(snapshot(Path.of("/run/v/snaps")))));
        final String line = String.join(" ", argv);
        assertEquals(List.of("gst-launch-1.0", "-e", "-m"), argv.subList(0, 3));
        assertTrue(line.contains(" cam. ! queue leaky=downstream max-size-buffers=1 ! videorate drop-only=true"
                + " ! video/x-raw,framerate=5/1 ! videoscale ! videoconvert ! video/x-raw,format=RGB,width=320,"
                + "pixel-aspect-ratio=1/1 ! motioncells display=false postallmotion=false sensitivity=0.500 threshold=0.020"
                + " minimummotionframes=2 gap=3 ! fakesink sync=false async=false"), line);
        assertTrue(line.contains(" cam. ! queue leaky=downstream max-size-buffers=1 ! videorate drop-only=true"
                + " ! video/x-raw,framerate=1000/1000 ! videoscale ! videoconvert ! video/x-raw,format=I420,width=640,"
                + "pixel-aspect-ratio=1/1 ! jpegenc quality=70 ! multifilesink location=/run/v/snaps/snapshot-%05d.jpg"
                + " max-files=2"), line);
        assertEquals(List.of("videotestsrc", "tee", "queue", "fakesink", "videorate", "videoscale", "videoconvert",
                "motioncells", "jpegenc", "multifilesink"), ElementChecker.elements(argv));
    }

    @Test
    void render_refusesBranches_onATemplateWithoutTap() {
        final PipelineException e = assertThrows(PipelineException.class, () -> TemplateRenderer.render(template(), Map.of(), URL,
                "gst-launch-1.0", List.of(Branches.motion(motion()))));
        assertEquals("pipeline 'demo' has no '# tap <tee>' for the motion branch", e.getMessage());
    }

    @Test
    void parse_refusesTap_withoutItsTee_andWatchTemplates_thatPublishOrHaveNoTap() {
        assertThrows(PipelineException.class, () -> PipelineTemplate.parse("x", List.of("# tap cam", "# param url",
                "videotestsrc ! tee name=camera ! fakesink location=${url}")));
        assertEquals("watch template 'w' must not publish (it declares '# param url')", assertThrows(PipelineException.class,
                () -> PipelineTemplate.parseWatch("w", List.of("# tap cam", "# param url", "videotestsrc ! tee name=cam"))).getMessage());
        assertEquals("watch template 'w' names no '# tap <tee>' for the motion branch", assertThrows(PipelineException.class,
                () -> PipelineTemplate.parseWatch("w", List.of("videotestsrc ! fakesink"))).getMessage());
    }

    @Test
    void shippedTemplates_eachNameAWatchTemplate_thatRendersWithTheBranches() throws Exception {
        final Path dir = Path.of("..", "pipelines");
        for (final String name : PipelineTemplate.namesIn(dir)) {
            final PipelineTemplate template = PipelineTemplate.read(dir.resolve(name + ".pipeline"));
            assertEquals("cam", template.tap(), name);
            final PipelineTemplate watch = PipelineTemplate.readWatch(
                    dir.resolve(PipelineTemplate.WATCH_DIR).resolve(template.watch() + ".pipeline"));
            final List<String> argv = TemplateRenderer.render(watch, Map.of(), null, "gst-launch-1.0",
                    List.of(Branches.motion(motion()), Branches.snapshot(snapshot(Path.of("/run/v")))));
            assertTrue(ElementChecker.elements(argv).contains("motioncells"), name);
            TemplateRenderer.render(template, Map.of(), URL, "gst-launch-1.0", List.of(Branches.motion(motion())));
        }
    }

    @Test
    void elements_listsEachElementOnce_skippingCapsAndProperties() {
        assertEquals(List.of("videotestsrc", "x264enc", "rtmpsink"), ElementChecker.elements(List.of("gst-launch-1.0", "-e", "-m",
                "videotestsrc", "is-live=true", "!", "video/x-raw,width=1", "!", "x264enc", "!", "rtmpsink", "location=x")));
    }
}
