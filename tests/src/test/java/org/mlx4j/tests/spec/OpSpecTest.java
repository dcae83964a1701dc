package org.mlx4j.tests.spec;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.Device;
import org.mlx4j.core.Shape;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;

/** Every op-spec row x shape case x dtype x available device, against the float64 reference. */
class OpSpecTest {
    /** The devices with an available backend (the CPU, plus a GPU where a backend module finds one). */
    static List<Device> devices() {
        List<Device> d = new ArrayList<>(List.of(Device.cpu()));
        for (Backend b : Backends.all()) {
            if (b.deviceType() == Device.Type.GPU && b.isAvailable() && !b.name().equals("fake")) d.add(Device.gpu());
        }
        return d;
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (OpSpec row : OpSpecTable.rows()) {
            for (Cases.Case c : Cases.of(row.shapes())) {
                for (DType t : row.dtypes()) {
                    for (Device d : devices()) out.add(Arguments.of(row, c, t, d));
                }
            }
        }
        return out.stream();
    }

    static double tolerance(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-12;
            case FLOAT32 -> 4e-6;
            case FLOAT16 -> 3e-3;
            case BFLOAT16 -> 2e-2;
            default -> 0;
        };
    }

    @ParameterizedTest(name = "{0} {1} {2} {3}")
    @MethodSource("cases")
    void matchesTheReference(OpSpec row, Cases.Case c, DType dtype, Device device) {
        Array[] in = c.inputs().apply(new Cases.Maker(row, dtype, row.name().hashCode() * 31L + c.name().hashCode()));
        Array[] onDevice = new Array[in.length];
        for (int i = 0; i < in.length; i++) onDevice[i] = toDevice(in[i], device);
        Array out = row.op().apply(onDevice);
        double[][] vals = new double[in.length][];
        Shape[] shapes = new Shape[in.length];
        for (int i = 0; i < in.length; i++) {
            vals[i] = in[i].toDoubleArray();
            shapes[i] = in[i].shape();
        }
        double[] expect = row.reference().apply(vals, shapes, out.shape());
        double[] got = out.toDoubleArray();
        assertEquals(expect.length, got.length, "element count for output shape " + out.shape());
        double tol = tolerance(out.dtype().isFloating() ? out.dtype() : dtype.isFloating() ? dtype : out.dtype());
        if (!out.dtype().isFloating()) tol = 0;
        for (int i = 0; i < got.length; i++) {
            double e = expect[i];
            if (out.dtype().isIntegral() && out.dtype() != DType.BOOL && dtype.isIntegral()) e = wrap(e, out.dtype());
            double err = Math.abs(got[i] - e);
            double scale = Math.max(1, Math.abs(e));
            // equal values pass outright: infinities (whose difference is NaN) included
            if (!(err <= tol * scale) && got[i] != e && !(Double.isNaN(e) && Double.isNaN(got[i]))) {
                fail(row.name() + " " + c + " " + dtype + ": element " + i + " expected " + e + " got " + got[i]);
            }
        }
    }

    /** The reference in double, wrapped like a C cast to the integer type. */
    static double wrap(double v, DType t) {
        long l = (long) v;
        return switch (t) {
            case INT8 -> (byte) l;
            case INT16 -> (short) l;
            case INT32 -> (int) l;
            case UINT8 -> l & 0xff;
            case UINT32 -> l & 0xffffffffL;
            default -> l;
        };
    }
}
