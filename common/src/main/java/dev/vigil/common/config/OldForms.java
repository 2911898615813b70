package dev.vigil.common.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

/** Reads keys that used to be a plain value and are now an object, such as {@code mqtt.tls = true}. */
public final class OldForms {

    private OldForms() {
    }

    /**
     * {@code layer} with a plain value at {@code path} moved to {@code path.key}, so that
     * {@code mqtt.tls = true} (or {@code MQTT_TLS=true}) means {@code mqtt.tls.enabled = true} and
     * the object's other keys keep their defaults. Apply it to each layer before they are merged.
     */
    public static Config valueToObject(final Config layer, final String path, final String key) {
        if (!layer.hasPath(path)) {
            return layer;
        }
        final ConfigValue value = layer.getValue(path);
        if (value.valueType() == ConfigValueType.OBJECT) {
            return layer;
        }
        return layer.withoutPath(path).withValue(path + "." + key, value);
    }
}
