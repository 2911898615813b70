package dev.vigil.agent.pipeline;

import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.supervise.CameraSpecs;
import dev.vigil.agent.supervise.LaunchSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Makes the {@link LaunchSpec} of each camera pipeline: the stream ({@link #get()}: the template,
 * with the publish URL and its token made afresh every time, and the snapshot branch, and the motion
 * branch while motion mode is on), the motion watcher ({@link #watch()}) and a one-off picture
 * ({@link #still()}), both from the stream template's watch template. The templates are read once;
 * the masker knows every secret of this agent.
 */
public final class LaunchSpecs implements Supplier<LaunchSpec>, CameraSpecs {

    /** The watch template's parameter that it takes from the stream's parameters when not given its own. */
    private static final String SHARED_PARAM = "device";

    private final AgentSettings settings;
    private final PipelineTemplate template;
    private final PipelineTemplate watchTemplate;
    private final Map<String, String> watchParams;
    private final Clock clock;
    private final SecretMasker baseMasker;
    private volatile boolean motionBranch;
    private volatile boolean snapshotBranch;

    public LaunchSpecs(final AgentSettings settings, final Clock clock) throws PipelineException {
        this.settings = settings;
        this.template = PipelineTemplate.read(settings.pipeline().templateFile());
        this.watchTemplate = readWatch(settings, template);
        this.watchParams = new LinkedHashMap<>(settings.motion().watchParams());
        if (watchTemplate != null && watchTemplate.defaults().containsKey(SHARED_PARAM) && !watchParams.containsKey(SHARED_PARAM)
                && settings.pipeline().params().containsKey(SHARED_PARAM)) {
            watchParams.put(SHARED_PARAM, settings.pipeline().params().get(SHARED_PARAM));
        }
        this.clock = clock;
        this.baseMasker = SecretMasker.of(settings.mqtt().broker().password(), settings.media().publishPassword());
        streamWithBranches();
        if (watchTemplate != null) {
            renderWatch(branches(true));
        }
    }

    private static PipelineTemplate readWatch(final AgentSettings settings, final PipelineTemplate template)
            throws PipelineException {
        final String name = settings.motion().watchPipeline().isEmpty() ? template.watch() : settings.motion().watchPipeline();
        if (name == null) {
            return null;
        }
        final Path file = settings.pipeline().dir().resolve(PipelineTemplate.WATCH_DIR).resolve(name + ".pipeline");
        if (!Files.isRegularFile(file)) {
            throw new PipelineException("no watch template " + file + " (named by " + (settings.motion().watchPipeline().isEmpty()
                    ? "pipeline " + template.name() + "'s '# watch' line" : "motion.watch-pipeline") + ")");
        }
        return PipelineTemplate.readWatch(file);
    }

    /** The stream's argv and masker for one launch; throws {@link IllegalStateException} with a one-line reason. */
    @Override
    public LaunchSpec get() {
        try {
            final List<Branches.Branch> branches = new ArrayList<>();
            if (motionBranch && template.tap() != null) {
                branches.add(Branches.motion(settings.motion()));
            }
            if (snapshotBranch && template.tap() != null) {
                branches.add(Branches.snapshot(settings.snapshot()));
            }
            return render(branches);
        } catch (final PipelineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** The motion watcher: the watch template with the motion and snapshot branches. */
    @Override
    public LaunchSpec watch() {
        return watchSpec(branches(true));
    }

    /** One picture: the watch template with the snapshot branch only. */
    @Override
    public LaunchSpec still() {
        return watchSpec(branches(false));
    }

    /** Whether there is a watch template (else motion mode and snapshots at idle cannot work). */
    @Override
    public boolean canWatch() {
        return watchTemplate != null;
    }

    /** Whether the stream carries the motion branch (motion while streaming extends the lease). */
    @Override
    public void motionBranch(final boolean on) {
        this.motionBranch = on;
    }

    /** Whether camera pipelines write snapshots (their folder exists and is writable). */
    @Override
    public void snapshotBranch(final boolean on) {
        this.snapshotBranch = on;
    }

    /** The stream template in use. */
    public PipelineTemplate template() {
        return template;
    }

    /** The watch template, or {@code null} when the stream template names none. */
    public PipelineTemplate watchTemplate() {
        return watchTemplate;
    }

    /** The stream's argv with every branch (as it runs with motion mode on), for {@code --dry-run}. */
    public LaunchSpec streamWithBranches() throws PipelineException {
        return render(template.tap() == null ? List.of()
                : List.of(Branches.motion(settings.motion()), Branches.snapshot(settings.snapshot())));
    }

    /** The watcher's argv, for {@code --dry-run}. */
    public LaunchSpec watchForDryRun() throws PipelineException {
        return renderWatch(branches(true));
    }

    private List<Branches.Branch> branches(final boolean motion) {
        final List<Branches.Branch> branches = new ArrayList<>();
        if (motion) {
            branches.add(Branches.motion(settings.motion()));
        }
        branches.add(Branches.snapshot(settings.snapshot()));
        return branches;
    }

    private LaunchSpec watchSpec(final List<Branches.Branch> branches) {
        if (watchTemplate == null) {
            throw new IllegalStateException("pipeline " + template.name() + " names no watch template ('# watch'),"
                    + " and motion.watch-pipeline is empty");
        }
        try {
            return renderWatch(branches);
        } catch (final PipelineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private LaunchSpec render(final List<Branches.Branch> branches) throws PipelineException {
        final PublishUrl.Credentials credentials = PublishUrl.build(settings.media(), settings.robotId(), clock.instant());
        final List<String> argv = TemplateRenderer.render(template, settings.pipeline().params(), credentials.url(),
                settings.pipeline().gstLaunch(), branches);
        return new LaunchSpec(argv, baseMasker.with(credentials.secret()), TlsDiagnosis.of(credentials.url()));
    }

    private LaunchSpec renderWatch(final List<Branches.Branch> branches) throws PipelineException {
        return new LaunchSpec(TemplateRenderer.render(watchTemplate, watchParams, null, settings.pipeline().gstLaunch(),
                branches), baseMasker);
    }
}
