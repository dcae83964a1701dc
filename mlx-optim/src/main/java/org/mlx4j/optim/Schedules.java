package org.mlx4j.optim;

import java.util.List;
import java.util.Objects;
import org.mlx4j.core.Array;
import org.mlx4j.core.DType;
import org.mlx4j.core.MX;

/**
 * Learning-rate schedules with MLX's semantics ({@code mlx.optimizers.*_decay},
 * {@code linear_schedule}, {@code join_schedules}).
 *
 * <p>Each factory returns a {@link Schedule} of the step (the number of updates made so far, 0 for
 * the first). Constants combine with the step as Python scalars combine with MLX arrays, so the
 * values are float32 and equal MLX's to the last bit wherever the backend's float32 functions do.
 * <pre>{@code
 * Schedule warmup = Schedules.linearSchedule(0, 1e-1, 10);
 * Schedule cosine = Schedules.cosineDecay(1e-1, 200);
 * Optimizer opt = new Adam(Schedules.joinSchedules(List.of(warmup, cosine), new int[] {10}));
 * }</pre>
 */
public final class Schedules {
    private Schedules() {}

    /**
     * {@code init * decayRate^step}.
     * <pre>{@code exponentialDecay(0.1, 0.9)  // 0.1, 0.09, 0.081, ... }</pre>
     *
     * @param init      the value at step 0
     * @param decayRate the factor applied at every step
     * @return the schedule
     * @throws IllegalArgumentException when a value is not finite
     */
    public static Schedule exponentialDecay(double init, double decayRate) {
        finite("exponentialDecay", "init", init);
        finite("exponentialDecay", "decayRate", decayRate);
        return step -> MX.power(weakFloat(decayRate, step), step).multiply(init);
    }

    /**
     * {@code init * decayRate^floor(step / stepSize)}: the value drops by {@code decayRate} every
     * {@code stepSize} steps.
     * <pre>{@code stepDecay(0.1, 0.9, 10)  // 0.1 for steps 0..9, 0.09 for 10..19, ... }</pre>
     *
     * @param init      the value for the first {@code stepSize} steps
     * @param decayRate the factor applied every {@code stepSize} steps
     * @param stepSize  steps between decays, at least 1
     * @return the schedule
     * @throws IllegalArgumentException when {@code stepSize < 1} or a value is not finite
     */
    public static Schedule stepDecay(double init, double decayRate, int stepSize) {
        finite("stepDecay", "init", init);
        finite("stepDecay", "decayRate", decayRate);
        if (stepSize < 1) throw new IllegalArgumentException("[stepDecay] stepSize must be at least 1, got " + stepSize + ".");
        return step -> {
            Array k = MX.floorDivide(step, MX.scalarLike(stepSize, step));
            return MX.power(weakFloat(decayRate, k), k).multiply(init);
        };
    }

    /**
     * Cosine decay from {@code init} to {@code end} over {@code decaySteps} steps, then constant:
     * {@code end + 0.5 * (1 + cos(pi * min(step, decaySteps) / decaySteps)) * (init - end)}.
     *
     * @param init       the value at step 0
     * @param decaySteps steps to decay over, at least 1
     * @param end        the value from step {@code decaySteps} on
     * @return the schedule
     * @throws IllegalArgumentException when {@code decaySteps < 1} or a value is not finite
     */
    public static Schedule cosineDecay(double init, int decaySteps, double end) {
        finite("cosineDecay", "init", init);
        finite("cosineDecay", "end", end);
        if (decaySteps < 1) throw new IllegalArgumentException("[cosineDecay] decaySteps must be at least 1, got " + decaySteps + ".");
        return step -> {
            Array s = MX.minimum(step, MX.scalarLike(decaySteps, step));
            Array decay = MX.cos(MX.multiply(weakFloat(Math.PI / decaySteps, s), s)).add(1.0).multiply(0.5);
            return decay.multiply(init - end).add(end);
        };
    }

    /**
     * Cosine decay from {@code init} to 0 over {@code decaySteps} steps (MLX's default {@code end}).
     *
     * @see #cosineDecay(double, int, double)
     */
    public static Schedule cosineDecay(double init, int decaySteps) {
        return cosineDecay(init, decaySteps, 0.0);
    }

    /**
     * A straight line from {@code init} at step 0 to {@code end} at step {@code steps}, then
     * constant: {@code min(step, steps) * ((end - init) / steps) + init}. The usual warm-up.
     *
     * @param init  the value at step 0
     * @param end   the value from step {@code steps} on
     * @param steps steps to go from {@code init} to {@code end}, at least 1
     * @return the schedule
     * @throws IllegalArgumentException when {@code steps < 1} or a value is not finite
     */
    public static Schedule linearSchedule(double init, double end, int steps) {
        finite("linearSchedule", "init", init);
        finite("linearSchedule", "end", end);
        if (steps < 1) throw new IllegalArgumentException("[linearSchedule] steps must be greater than 0, but got " + steps + ".");
        return step -> {
            Array s = MX.minimum(step, MX.scalarLike(steps, step));
            return MX.multiply(s, weakFloat((end - init) / steps, s)).add(init);
        };
    }

    /**
     * Joins schedules: schedule {@code 0} runs before {@code boundaries[0]}, schedule {@code i+1}
     * from {@code boundaries[i]} on, and receives the steps since that boundary
     * ({@code step - boundaries[i]}), as in MLX.
     * <pre>{@code joinSchedules(List.of(linearSchedule(0, 0.1, 10), cosineDecay(0.1, 200)), new int[] {10}) }</pre>
     *
     * @param schedules  at least one schedule
     * @param boundaries {@code schedules.size() - 1} steps at which the next schedule takes over
     * @return the joined schedule
     * @throws IllegalArgumentException when {@code schedules} is empty or the counts do not match
     */
    public static Schedule joinSchedules(List<Schedule> schedules, int[] boundaries) {
        Objects.requireNonNull(schedules, "schedules");
        Objects.requireNonNull(boundaries, "boundaries");
        if (schedules.isEmpty()) throw new IllegalArgumentException("[joinSchedules] must provide at least 1 schedule to join.");
        if (schedules.size() != boundaries.length + 1) {
            throw new IllegalArgumentException("[joinSchedules] received " + boundaries.length + " boundaries but expected "
                    + (schedules.size() - 1) + ".");
        }
        for (int i = 0; i < schedules.size(); i++) {
            if (schedules.get(i) == null) throw new IllegalArgumentException("[joinSchedules] schedule " + i + " is null.");
        }
        List<Schedule> list = List.copyOf(schedules);
        int[] bounds = boundaries.clone();
        return step -> {
            Array out = list.get(0).apply(step);
            for (int i = 0; i < bounds.length; i++) {
                Array b = MX.scalarLike(bounds[i], step);
                out = MX.where(MX.less(step, b), out, list.get(i + 1).apply(MX.subtract(step, b)));
            }
            return out;
        };
    }

    /**
     * A constant that combines with {@code like} as a Python float does with an MLX array: it takes
     * a floating {@code like}'s dtype and is float32 next to integers, even when it is a whole number.
     */
    static Array weakFloat(double v, Array like) {
        if (like.dtype().isFloating()) return MX.scalarLike(v, like);
        Array s = MX.scalar(v, DType.FLOAT32);
        return s.device().equals(like.device()) ? s : MX.toDevice(s, like.device());
    }

    private static void finite(String op, String name, double v) {
        if (!Double.isFinite(v)) throw new IllegalArgumentException("[" + op + "] " + name + " must be finite, got " + v + ".");
    }
}
