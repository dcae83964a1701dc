package org.mlx4j.core;

/**
 * Where an array is computed: the CPU, or a GPU found at run time through a backend module.
 *
 * @param type  cpu or gpu
 * @param index the device ordinal for GPUs; 0 for the CPU
 */
public record Device(Type type, int index) {
    /** The two kinds of device. */
    public enum Type { CPU, GPU }

    private static volatile Device defaultDevice = new Device(Type.CPU, 0);

    /** The CPU. */
    public static Device cpu() { return new Device(Type.CPU, 0); }

    /** GPU 0. Computing on it needs a GPU backend module (e.g. mlx-cuda) at run time. */
    public static Device gpu() { return new Device(Type.GPU, 0); }

    /** GPU {@code index}. */
    public static Device gpu(int index) { return new Device(Type.GPU, index); }

    /** The device new arrays and ops use when none is given (initially the CPU). */
    public static Device defaultDevice() { return defaultDevice; }

    /** Sets the default device for all threads. */
    public static void setDefaultDevice(Device device) { defaultDevice = java.util.Objects.requireNonNull(device); }

    @Override public String toString() { return type == Type.CPU ? "Device(cpu, 0)" : "Device(gpu, " + index + ")"; }
}
