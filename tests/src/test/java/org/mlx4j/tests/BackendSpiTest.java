package org.mlx4j.tests;

import static org.junit.jupiter.api.Assertions.*;
import static org.mlx4j.core.MX.*;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.Device;
import org.mlx4j.core.backend.spi.Backend;
import org.mlx4j.core.backend.spi.Backends;
import org.mlx4j.tests.spi.FakeDeviceBackend;

/**
 * A second backend plugs in through ServiceLoader; its memory is invisible to the host, so these
 * tests show the core only moves data through explicit copies, and launches nothing until eval.
 */
class BackendSpiTest {
    @BeforeEach
    void enable() {
        FakeDeviceBackend.enabled = true;
        FakeDeviceBackend.reset();
        // on a machine with a GPU, CUDA serves Device.gpu() too: these tests want the fake
        System.setProperty("mlx4j.backend.gpu", "fake");
    }

    @AfterEach
    void disable() {
        FakeDeviceBackend.enabled = false;
        System.clearProperty("mlx4j.backend.gpu");
    }

    @Test
    void serviceLoaderFindsTheBackend() {
        Backend b = Backends.forDevice(Device.gpu());
        assertEquals("fake", b.name());
        assertTrue(Backends.all().stream().anyMatch(x -> x.name().equals("cpu")));
    }

    @Test
    void aPropertyChoosesAmongGpuBackends() {
        System.setProperty("mlx4j.backend.gpu", "metal-or-whatever");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.forDevice(Device.gpu()));
        assertTrue(e.getMessage().contains("fake: not the backend mlx4j.backend.gpu names (metal-or-whatever)"), e.getMessage());
        System.clearProperty("mlx4j.backend.gpu");
        assertTrue(Backends.all().stream().anyMatch(x -> x.name().equals("fake") && x.isAvailable()));
    }

    @Test
    void opsLaunchNothingUntilEvalThenExactlyOnePerNode() {
        Array x = toDevice(array(new float[] {1, 2, 3}), Device.gpu());
        Array y = exp(negative(add(x, x)));
        Array s = sum(y);
        assertEquals(0, FakeDeviceBackend.LAUNCHES.get(), "building the graph must launch nothing");
        assertEquals(Device.gpu(), s.device());
        eval(s);
        // ToDevice, add, negative, exp, the reduction, and the reshape that drops the reduced axis
        assertEquals(6, FakeDeviceBackend.LAUNCHES.get());
        eval(s);
        assertEquals(6, FakeDeviceBackend.LAUNCHES.get(), "an evaluated array launches nothing again");
        double expect = Math.exp(-2) + Math.exp(-4) + Math.exp(-6);
        assertEquals(expect, s.item(), 1e-6);
        assertEquals(1, FakeDeviceBackend.DOWNLOADS.get(), "item() reads through one explicit download");
    }

    @Test
    void deviceViewsCopyBackThroughOneDownloadOfTheSpanTheyCover() {
        Array x = toDevice(array(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Device.gpu());
        Array back = toDevice(transpose(x), Device.cpu());
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, back.toFloatArray());
        assertEquals(1, FakeDeviceBackend.DOWNLOADS.get(), "one download, then a strided walk on the host");
    }

    @Test
    void copiesBackToTheCpuAreExplicitNodes() {
        Array x = toDevice(array(new float[] {1, 2, 3, 4}, 2, 2), Device.gpu());
        Array back = toDevice(multiply(x, x), Device.cpu());
        assertEquals(Device.cpu(), back.device());
        Array t = add(back, back.T()); // strided views work on the CPU side again
        assertArrayEquals(new float[] {2, 13, 13, 32}, t.toFloatArray());
    }

    @Test
    void mixingDevicesWithoutACopyIsAClearError() {
        Array g = toDevice(array(new float[] {1}), Device.gpu());
        Array c = array(new float[] {1});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> add(g, c));
        assertTrue(e.getMessage().startsWith("[add]"), e.getMessage());
        assertTrue(e.getMessage().contains("toDevice"), e.getMessage());
    }

    @Test
    void unsupportedPrimitivesAreReportedNotFakedOrFallenBack() {
        Array x = toDevice(array(new float[] {1, 2}), Device.gpu());
        Array y = sqrt(x);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> eval(y));
        assertTrue(e.getMessage().contains("fake") && e.getMessage().contains("SQRT"), e.getMessage());
    }

    @Test
    void gradientsFlowThroughTheOtherDevice() {
        Array x = toDevice(array(new float[] {1, 2, 3}), Device.gpu());
        var vg = valueAndGrad((List<Array> p) -> sum(multiply(p.get(0), p.get(0))), 0).apply(List.of(x));
        assertEquals(14f, vg.value().itemFloat(), 1e-6);
        assertArrayEquals(new float[] {2, 4, 6}, vg.grad().get(0).toFloatArray(), 1e-6f);
    }

    @Test
    void noBackendForADeviceIsAClearError() {
        FakeDeviceBackend.enabled = false;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Backends.forDevice(Device.gpu()));
        assertTrue(e.getMessage().contains("fake test backend is disabled"), e.getMessage());
    }
}
