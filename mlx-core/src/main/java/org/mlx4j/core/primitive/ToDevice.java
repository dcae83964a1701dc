package org.mlx4j.core.primitive;

import java.util.Collections;
import java.util.List;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.MX;

/**
 * The explicit copy of an array to another device. The node lives on the target device; the
 * target's backend downloads from the source backend and uploads.
 *
 * @param target the destination device
 */
public record ToDevice(Device target) implements Primitive {
    @Override public String name() { return "ToDevice"; }

    @Override public List<Array> vjp(List<Array> primals, Array cotangent, Array output, int[] argnums) {
        return Collections.singletonList(MX.toDevice(cotangent, primals.get(0).device()));
    }

    @Override public Array jvp(List<Array> primals, List<Array> tangents, Array output) {
        return MX.toDevice(tangents.get(0), target);
    }
}
