package org.mlx4j.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/** Schedules at chosen steps against values worked out by hand (float32 results, so 1e-6 relative). */
class SchedulesTest {
    static double at(Schedule s, int step) {
        Array v = s.apply(MX.scalar(step, DType.INT32));
        assertEquals(DType.FLOAT32, v.dtype(), "schedules give float32");
        assertEquals(0, v.ndim(), "schedules give scalars");
        return v.item();
    }

    static void near(double expected, double actual, String what) {
        assertEquals(expected, actual, 1e-6 * Math.max(1e-3, Math.abs(expected)), what);
    }

    @Test void exponentialDecay() {
        Schedule s = Schedules.exponentialDecay(0.1, 0.9);
        near(0.1, at(s, 0), "step 0");
        near(0.09, at(s, 1), "step 1");
        near(0.06561, at(s, 4), "step 4");
        near(0.1 * Math.pow(0.9, 30), at(s, 30), "step 30");
    }

    @Test void exponentialDecayWithWholeRateStaysFloat() {
        // A whole-number rate is still a float (a Python float in MLX), not an integer power.
        Schedule s = Schedules.exponentialDecay(3, 2.0);
        near(3 * 32, at(s, 5), "step 5");
    }

    @Test void stepDecay() {
        Schedule s = Schedules.stepDecay(0.1, 0.9, 10);
        near(0.1, at(s, 0), "step 0");
        near(0.1, at(s, 9), "step 9");
        near(0.09, at(s, 10), "step 10");
        near(0.09, at(s, 19), "step 19");
        near(0.081, at(s, 20), "step 20");
    }

    @Test void cosineDecay() {
        Schedule s = Schedules.cosineDecay(0.1, 1000);
        near(0.1, at(s, 0), "step 0");
        near(0.0999961, at(s, 4), "step 4 (MLX's docstring value)");
        near(0.05, at(s, 500), "half way: cos(pi / 2) = 0");
        near(0.0, at(s, 1000), "end");
        near(0.0, at(s, 5000), "constant after decaySteps");
    }

    @Test void cosineDecayToEnd() {
        Schedule s = Schedules.cosineDecay(1.0, 100, 0.2);
        near(1.0, at(s, 0), "step 0");
        near(0.6, at(s, 50), "half way: 0.2 + 0.5 * 0.8");
        near(0.2 + 0.5 * (1 + Math.cos(Math.PI * 0.25)) * 0.8, at(s, 25), "quarter");
        near(0.2, at(s, 100), "end");
        near(0.2, at(s, 150), "after the end");
    }

    @Test void linearSchedule() {
        Schedule s = Schedules.linearSchedule(0, 0.1, 100);
        near(0.0, at(s, 0), "step 0");
        near(0.05, at(s, 50), "half way");
        near(0.1, at(s, 100), "end");
        near(0.1, at(s, 101), "after the end");
        Schedule down = Schedules.linearSchedule(1, 0.5, 4);
        near(0.875, at(down, 1), "decreasing");
    }

    @Test void joinSchedulesOffsetsLaterSchedules() {
        Schedule warmup = Schedules.linearSchedule(0, 0.1, 10);
        Schedule cosine = Schedules.cosineDecay(0.1, 200);
        Schedule s = Schedules.joinSchedules(List.of(warmup, cosine), new int[] {10});
        near(0.0, at(s, 0), "warmup start");
        near(0.05, at(s, 5), "warmup middle");
        near(0.09, at(s, 9), "last warmup step");
        near(0.1, at(s, 10), "cosine at its step 0");
        near(0.0999938, at(s, 11), "cosine at its step 1 (MLX's docstring value)");
        near(0.05, at(s, 110), "cosine at its step 100");
    }

    @Test void joinThreeSchedules() {
        Schedule s = Schedules.joinSchedules(List.of(step -> MX.array(1.0), Schedules.exponentialDecay(2, 0.5), step -> MX.array(7.0)),
                new int[] {3, 6});
        near(1, at(s, 2), "first");
        near(2, at(s, 3), "second at offset 0");
        near(0.5, at(s, 5), "second at offset 2");
        near(7, at(s, 6), "third");
    }

    @Test void optimizerEvaluatesTheScheduleAtTheStepBeforeTheUpdate() {
        // MLX's docstring examples: the learning rate after n updates is schedule(n - 1).
        SGD a = new SGD(Schedules.exponentialDecay(0.1, 0.9));
        near(0.1, a.learningRate().item(), "before any update");
        for (int i = 0; i < 5; i++) a.apply(Map.of(), Map.of());
        near(0.06561, a.learningRate().item(), "exponential after 5");

        SGD b = new SGD(Schedules.stepDecay(0.1, 0.9, 10));
        for (int i = 0; i < 21; i++) b.apply(Map.of(), Map.of());
        near(0.081, b.learningRate().item(), "step decay after 21");

        Adam c = new Adam(Schedules.joinSchedules(List.of(Schedules.linearSchedule(0, 0.1, 10), Schedules.cosineDecay(0.1, 200)),
                new int[] {10}));
        near(0.0, c.learningRate().item(), "join before any update");
        for (int i = 0; i < 12; i++) c.apply(Map.of(), Map.of());
        near(0.0999938, c.learningRate().item(), "join after 12");

        Adam d = new Adam(Schedules.linearSchedule(0, 0.1, 100));
        for (int i = 0; i < 101; i++) d.apply(Map.of(), Map.of());
        near(0.1, d.learningRate().item(), "linear after 101");
        assertEquals(101, d.step().itemInt());
        assertEquals(DType.INT32, d.step().dtype());
    }

    @Test void scheduledRateDrivesTheUpdate() {
        // SGD on f(x) = x^2 / 2 with lr 0.5 then 0.25: x = 1 -> 0.5 -> 0.375.
        SGD opt = new SGD(Schedules.exponentialDecay(0.5, 0.5));
        Map<String, Array> p = Map.of("x", MX.array(new double[] {1}, DType.FLOAT64, 1));
        p = opt.apply(Map.of("x", p.get("x")), p);
        p = opt.apply(Map.of("x", p.get("x")), p);
        assertEquals(0.375, p.get("x").item(), 0);
    }

    @Test void setLearningRateReplacesTheSchedule() {
        SGD opt = new SGD(Schedules.exponentialDecay(0.1, 0.5));
        opt.setLearningRate(0.3);
        opt.apply(Map.of(), Map.of());
        near(0.3, opt.learningRate().item(), "constant survives an update");
        opt.setLearningRate(Schedules.linearSchedule(0, 1, 10));
        near(0.1, opt.learningRate().item(), "schedule evaluated at the current step (1) at once");
        opt.apply(Map.of(), Map.of());
        near(0.1, opt.learningRate().item(), "then at the step before each update");
    }

    @Test void badArguments() {
        var e = assertThrows(IllegalArgumentException.class, () -> Schedules.linearSchedule(0, 1, 0));
        assertTrue(e.getMessage().startsWith("[linearSchedule]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.joinSchedules(List.of(), new int[0]));
        assertTrue(e.getMessage().contains("at least 1 schedule"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Schedules.joinSchedules(List.of(Schedules.cosineDecay(1, 10)), new int[] {5}));
        assertTrue(e.getMessage().contains("received 1 boundaries but expected 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.stepDecay(1, 0.5, 0));
        assertTrue(e.getMessage().startsWith("[stepDecay]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.cosineDecay(1, 0));
        assertTrue(e.getMessage().startsWith("[cosineDecay]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Schedules.exponentialDecay(Double.NaN, 0.5));
        assertTrue(e.getMessage().startsWith("[exponentialDecay]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SGD(step -> MX.zeros(2)));
        assertTrue(e.getMessage().contains("must return a scalar"), e.getMessage());
    }
}
