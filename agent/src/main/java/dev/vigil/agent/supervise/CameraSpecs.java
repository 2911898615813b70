package dev.vigil.agent.supervise;

/** The camera pipelines besides the stream: the motion watcher and a one-off picture (dev.vigil.agent.pipeline.LaunchSpecs). */
public interface CameraSpecs {

    /** The motion watcher; throws {@link IllegalStateException} with a one-line reason. */
    LaunchSpec watch();

    /** A pipeline that writes pictures and nothing else; throws {@link IllegalStateException} with a one-line reason. */
    LaunchSpec still();

    /** Whether a watch template exists. */
    boolean canWatch();

    /** Whether the next stream carries the motion branch. */
    void motionBranch(boolean on);

    /** Whether camera pipelines write pictures (their folder exists). */
    void snapshotBranch(boolean on);
}
