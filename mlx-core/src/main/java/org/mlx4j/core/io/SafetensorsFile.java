package org.mlx4j.core.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.mlx4j.core.Array;

/**
 * The contents of a {@code .safetensors} file: its arrays and its {@code __metadata__}.
 *
 * <pre>{@code
 * SafetensorsFile f = MX.loadSafetensorsWithMetadata(Path.of("model.safetensors"));
 * String format = f.metadata().get("format");
 * Array w = f.arrays().get("layers.0.weight");
 * }</pre>
 *
 * @param arrays   name to array in the order of the file's header (an unmodifiable copy)
 * @param metadata the string metadata, empty when the file has none (an unmodifiable copy, in
 *                 the file's order)
 */
public record SafetensorsFile(Map<String, Array> arrays, Map<String, String> metadata) {
    /** Copies both maps, keeping their order. */
    public SafetensorsFile {
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(arrays, "arrays")));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata")));
    }
}
