package dev.vigil.agent.homeassistant;

import dev.vigil.protocol.Command;
import dev.vigil.protocol.Json;
import dev.vigil.protocol.Topics;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Home Assistant's MQTT device discovery for one robot: one payload on
 * {@code <prefix>/device/vigil_<robot id>/config} that sets up, on the robot's own topics,
 * <ul>
 *   <li>a "Live" switch: on publishes a leased {@code start} on {@code B}, off a {@code stop}; it
 *       shows on while the robot wants to stream ({@code desired} in {@code B/state});</li>
 *   <li>a motion binary sensor, from the events on {@code B/event} ({@code motion}, {@code motion-end});</li>
 *   <li>a camera, the retained JPEG on {@code B/snapshot}, and a button that takes a new one;</li>
 *   <li>a "Motion detection" switch ({@code motion-on}, {@code motion-off}; {@code motion} in {@code B/state});</li>
 *   <li>a state sensor ({@code state} of {@code B/state}, the rest as attributes);</li>
 * </ul>
 * all available while {@code B/availability} says {@code online}. The agent publishes it, not the
 * bridge: a home user's robot, broker and Home Assistant work without any cloud part, the robot's
 * broker account needs only its own discovery topic, and the device describes what the agent knows
 * (its template, its version). HA's commands come to the agent like any other, so an operator's
 * hold (a privacy switch) binds them too.
 */
public final class Discovery {

    private final String prefix;
    private final String robotId;
    private final String name;
    private final String base;
    private final String model;
    private final String version;
    private final Duration liveLease;

    /**
     * @param prefix    HA's discovery prefix ({@code homeassistant})
     * @param robotId   the robot's id (letters, digits, {@code _}, {@code -}: HA's object id alphabet)
     * @param name      the device's name in HA
     * @param base      the robot's base topic {@code B}
     * @param model     what HA shows as the model (the pipeline template)
     * @param version   the agent's version
     * @param liveLease the lease of a stream that the switch starts
     */
    public Discovery(final String prefix, final String robotId, final String name, final String base, final String model,
                     final String version, final Duration liveLease) {
        this.prefix = prefix;
        this.robotId = robotId;
        this.name = name;
        this.base = base;
        this.model = model;
        this.version = version;
        this.liveLease = liveLease;
    }

    /** HA's birth and will topic: {@code online} there means HA (re)started and wants discovery again. */
    public String statusTopic() {
        return prefix + "/status";
    }

    /** {@code <prefix>/device/vigil_<robot id>/config}. */
    public String topic() {
        return prefix + "/device/" + objectId() + "/config";
    }

    /** The device discovery payload. */
    public byte[] payload() {
        final Map<String, Object> root = new LinkedHashMap<>();
        root.put("dev", Map.of(
                "ids", List.of(objectId()),
                "name", name,
                "mf", "Vigil",
                "mdl", model,
                "sw", version));
        root.put("o", Map.of("name", "vigil-agent", "sw", version, "url", "https://github.com/vigil-dev/vigil"));
        root.put("availability", List.of(Map.of("topic", Topics.availability(base),
                "payload_available", Topics.ONLINE, "payload_not_available", Topics.OFFLINE)));
        root.put("qos", 1);
        final Map<String, Object> components = new LinkedHashMap<>();
        components.put("live", live());
        components.put("motion", motion());
        components.put("snapshot", camera());
        components.put("take_snapshot", button());
        components.put("motion_detection", motionMode());
        components.put("state", state());
        root.put("cmps", components);
        return Json.write(root);
    }

    private Map<String, Object> live() {
        return toggle("live", "Live", "mdi:cctv",
                new String(new Command(Command.Kind.START, liveLease, null).toPayload(), java.nio.charset.StandardCharsets.UTF_8),
                Command.Kind.STOP.wire(), "{{ 'ON' if value_json.desired == 'streaming' else 'OFF' }}");
    }

    /** A switch that sends {@code on}/{@code off} to {@code B} and shows {@code template} of {@code B/state}. */
    private Map<String, Object> toggle(final String key, final String label, final String icon, final String on,
                                       final String off, final String template) {
        final Map<String, Object> toggle = component("switch", key, label);
        toggle.put("icon", icon);
        toggle.put("command_topic", Topics.commands(base));
        toggle.put("payload_on", on);
        toggle.put("payload_off", off);
        toggle.put("state_topic", Topics.state(base));
        toggle.put("value_template", template);
        toggle.put("state_on", "ON");
        toggle.put("state_off", "OFF");
        return toggle;
    }

    private Map<String, Object> motion() {
        final Map<String, Object> motion = component("binary_sensor", "motion", "Motion");
        motion.put("device_class", "motion");
        motion.put("state_topic", Topics.event(base));
        motion.put("value_template", "{{ 'ON' if value_json.type == 'motion' else 'OFF' }}");
        return motion;
    }

    private Map<String, Object> camera() {
        final Map<String, Object> camera = component("camera", "snapshot", "Snapshot");
        camera.put("topic", Topics.snapshot(base));
        return camera;
    }

    private Map<String, Object> button() {
        final Map<String, Object> button = component("button", "take_snapshot", "Take snapshot");
        button.put("icon", "mdi:camera");
        button.put("command_topic", Topics.commands(base));
        button.put("payload_press", Command.Kind.SNAPSHOT.wire());
        return button;
    }

    private Map<String, Object> motionMode() {
        return toggle("motion_detection", "Motion detection", "mdi:motion-sensor", Command.Kind.MOTION_ON.wire(),
                Command.Kind.MOTION_OFF.wire(), "{{ 'ON' if value_json.motion == 'on' else 'OFF' }}");
    }

    private Map<String, Object> state() {
        final Map<String, Object> state = component("sensor", "state", "Stream state");
        state.put("device_class", "enum");
        state.put("options", List.of("idle", "starting", "streaming", "stopping", "retrying", "failed"));
        state.put("state_topic", Topics.state(base));
        state.put("value_template", "{{ value_json.state }}");
        state.put("json_attributes_topic", Topics.state(base));
        return state;
    }

    private Map<String, Object> component(final String platform, final String key, final String label) {
        final Map<String, Object> component = new LinkedHashMap<>();
        component.put("p", platform);
        component.put("name", label);
        component.put("unique_id", objectId() + "_" + key);
        return component;
    }

    private String objectId() {
        return "vigil_" + robotId;
    }
}
