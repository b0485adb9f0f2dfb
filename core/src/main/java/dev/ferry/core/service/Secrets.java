package dev.ferry.core.service;

import dev.ferry.core.definition.ConfigVariableDef;
import dev.ferry.core.definition.IntegrationDefinition;
import dev.ferry.core.error.SecretUnreadableException;
import dev.ferry.core.model.Instance;
import dev.ferry.core.model.SecretOwner;
import dev.ferry.core.port.SecretCipher;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Secret config values at rest: sealed when an instance's config is written (every secret value the
 * write sets, and every secret value still stored in plain text from before values were sealed, with
 * one data key for the write), opened only where a flow or a webhook check needs the plain value.
 * Values the definition does not call secret stay plain, so the API can show them.
 */
public final class Secrets {
    private final SecretCipher cipher;

    public Secrets(SecretCipher cipher) {
        this.cipher = cipher;
    }

    /**
     * {@code config} as it is to be stored: each secret variable's value sealed if it is one of
     * {@code given} (set by this write, whatever it looks like) or is not sealed yet. One call to the
     * cipher (one data key) for all of them, none when nothing needs sealing.
     */
    Map<String, String> sealForStore(String instanceId, IntegrationDefinition def, Map<String, String> config,
                                     Set<String> given) {
        Map<String, String> plain = new TreeMap<>();
        for (ConfigVariableDef v : def.configVariables()) {
            String value = config.get(v.key());
            if (!v.secret() || value == null || value.isEmpty()) continue;
            if (given.contains(v.key()) || !SecretCipher.isSealed(value)) plain.put(v.key(), value);
        }
        if (plain.isEmpty()) return config;
        Map<String, String> stored = new TreeMap<>(config);
        stored.putAll(cipher.seal(SecretOwner.instance(instanceId), plain));
        return stored;
    }

    /**
     * The instance with every sealed value opened (values stored plain are kept as they are). A
     * value that can never be opened throws {@link SecretUnreadableException}; a key service that
     * cannot answer, {@link dev.ferry.core.error.StoreException}.
     */
    public Instance open(Instance instance) {
        Map<String, String> config = instance.configVariables();
        if (config == null || config.values().stream().noneMatch(SecretCipher::isSealed)) return instance;
        Map<String, String> plain = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : config.entrySet()) {
            plain.put(e.getKey(), open(instance.id(), e.getKey(), e.getValue()));
        }
        return instance.withConfigVariables(plain);
    }

    /** One variable's plain value (null when the instance has none); throws as {@link #open(Instance)}. */
    public String value(Instance instance, String variable) {
        String v = instance.configVariables() == null ? null : instance.configVariables().get(variable);
        return v == null ? null : open(instance.id(), variable, v);
    }

    private String open(String instanceId, String variable, String value) {
        if (!SecretCipher.isSealed(value)) return value;
        return cipher.open(SecretOwner.instance(instanceId), variable, value);
    }

    /**
     * The instance with only the values stored plain (left from before values were sealed), for
     * masking alert text: no key service is asked. A sealed value can only have reached text through
     * a function that opened it — a flow's run or a webhook check — and that function masked it there.
     */
    static Instance plainOnly(Instance instance) {
        if (instance.configVariables() == null) return instance;
        Map<String, String> plain = new LinkedHashMap<>();
        instance.configVariables().forEach((k, v) -> {
            if (!SecretCipher.isSealed(v)) plain.put(k, v);
        });
        return instance.withConfigVariables(plain);
    }
}
