package dev.vigil.agent.pipeline;

import dev.vigil.agent.config.AgentSettings;
import dev.vigil.agent.supervise.LaunchSpec;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Makes the {@link LaunchSpec} for each launch: the template is read once, the URL (and its token)
 * is made afresh every time, and the masker knows every secret of this agent.
 */
public final class LaunchSpecs implements Supplier<LaunchSpec> {

    private final AgentSettings settings;
    private final PipelineTemplate template;
    private final Clock clock;
    private final SecretMasker baseMasker;

    public LaunchSpecs(final AgentSettings settings, final Clock clock) throws PipelineException {
        this.settings = settings;
        this.template = PipelineTemplate.read(settings.pipeline().templateFile());
        this.clock = clock;
        this.baseMasker = SecretMasker.of(settings.mqtt().broker().password(), settings.media().publishPassword());
        render();
    }

    /** The argv and masker for one launch; throws {@link IllegalStateException} with a one-line reason. */
    @Override
    public LaunchSpec get() {
        try {
            return render();
        } catch (final PipelineException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private LaunchSpec render() throws PipelineException {
        final PublishUrl.Credentials credentials = PublishUrl.build(settings.media(), settings.robotId(), clock.instant());
        final List<String> argv = TemplateRenderer.render(template, settings.pipeline().params(), credentials.url(),
                settings.pipeline().gstLaunch());
        return new LaunchSpec(argv, baseMasker.with(credentials.secret()));
    }

    /** The template in use. */
    public PipelineTemplate template() {
        return template;
    }
}
