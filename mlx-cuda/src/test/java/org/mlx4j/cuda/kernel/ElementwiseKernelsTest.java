package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.DType;
import org.mlx4j.core.primitive.BinaryOp;
import org.mlx4j.core.primitive.UnaryOp;

/** Spec building of the element-wise family (defines per dtype and op, rejections, catalog) and ops.cuh's coverage. */
class ElementwiseKernelsTest {
    @Test
    void unaryDefinesFollowTheInputDtype() {
        KernelSpec s = ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT16, DType.FLOAT16);
        assertEquals(List.of("common.cuh", "ops.cuh", "unary.cu"), s.parts());
        assertEquals(Map.of("IN_T", "mlx_half", "OUT_T", "mlx_half", "COMPUTE_T", "float", "OP", "op_exp", "OUT_BOOL", "0"), s.defines());

        KernelSpec d = ElementwiseKernels.unary(UnaryOp.ERFINV, DType.FLOAT64, DType.FLOAT64);
        assertEquals("double", d.defines().get("COMPUTE_T"));
        assertEquals("op_erfinv", d.defines().get("OP"));

        // integer ops compute in long long; bitwise_invert keeps the dtype
        KernelSpec i = ElementwiseKernels.unary(UnaryOp.BITWISE_INVERT, DType.UINT32, DType.UINT32);
        assertEquals(Map.of("IN_T", "unsigned int", "OUT_T", "unsigned int", "COMPUTE_T", "long long", "OP", "op_bitwise_invert", "OUT_BOOL", "0"),
                i.defines());
    }

    @Test
    void predicatesOutputBoolAndComputeInTheInputsType() {
        KernelSpec s = ElementwiseKernels.unary(UnaryOp.ISNAN, DType.BFLOAT16, DType.BOOL);
        assertEquals(Map.of("IN_T", "mlx_bfloat", "OUT_T", "mlx_bool", "COMPUTE_T", "float", "OP", "op_isnan", "OUT_BOOL", "1"), s.defines());
        KernelSpec n = ElementwiseKernels.unary(UnaryOp.LOGICAL_NOT, DType.BOOL, DType.BOOL);
        assertEquals("long long", n.defines().get("COMPUTE_T"));
        assertEquals("1", n.defines().get("OUT_BOOL"));
    }

    @Test
    void binaryDefines() {
        KernelSpec add = ElementwiseKernels.binary(BinaryOp.FLOOR_DIVIDE, DType.INT32, DType.INT32);
        assertEquals(List.of("common.cuh", "ops.cuh", "binary.cu"), add.parts());
        assertEquals(Map.of("IN_T", "int", "OUT_T", "int", "COMPUTE_T", "long long", "OP", "op_floor_divide", "OUT_BOOL", "0"), add.defines());

        KernelSpec lt = ElementwiseKernels.binary(BinaryOp.LESS, DType.FLOAT32, DType.BOOL);
        assertEquals(Map.of("IN_T", "float", "OUT_T", "mlx_bool", "COMPUTE_T", "float", "OP", "op_less", "OUT_BOOL", "1"), lt.defines());

        // uint8 and bool are one C type; OUT_BOOL tells the kernel which conversion applies
        KernelSpec u8 = ElementwiseKernels.binary(BinaryOp.ADD, DType.UINT8, DType.UINT8);
        assertEquals("unsigned char", u8.defines().get("OUT_T"));
        assertEquals("0", u8.defines().get("OUT_BOOL"));
        KernelSpec and = ElementwiseKernels.binary(BinaryOp.LOGICAL_AND, DType.BOOL, DType.BOOL);
        assertEquals("mlx_bool", and.defines().get("OUT_T"));
        assertEquals("1", and.defines().get("OUT_BOOL"));

        assertEquals("double", ElementwiseKernels.binary(BinaryOp.POWER, DType.FLOAT64, DType.FLOAT64).defines().get("COMPUTE_T"));
        assertEquals("long long", ElementwiseKernels.binary(BinaryOp.RIGHT_SHIFT, DType.INT8, DType.INT8).defines().get("COMPUTE_T"));
    }

    @Test
    void whereAndCopyDefines() {
        KernelSpec w = ElementwiseKernels.where(DType.BFLOAT16);
        assertEquals(List.of("common.cuh", "where.cu"), w.parts());
        assertEquals(Map.of("ELEM_T", "mlx_bfloat"), w.defines());

        KernelSpec c = ElementwiseKernels.copy(DType.FLOAT32, DType.INT32);
        assertEquals(List.of("common.cuh", "ops.cuh", "copy.cu"), c.parts());
        assertEquals(Map.of("IN_T", "float", "OUT_T", "int", "COMPUTE_T", "float", "OUT_BOOL", "0", "SAME_TYPE", "0"), c.defines());
        // integers convert through long long (to floats via double in mlx_store, as the CPU's setLong)
        assertEquals("long long", ElementwiseKernels.copy(DType.INT64, DType.FLOAT16).defines().get("COMPUTE_T"));
        assertEquals("1", ElementwiseKernels.copy(DType.FLOAT32, DType.BOOL).defines().get("OUT_BOOL"));
        assertEquals("1", ElementwiseKernels.copy(DType.FLOAT16, DType.FLOAT16).defines().get("SAME_TYPE"));
        assertEquals("0", ElementwiseKernels.copy(DType.UINT8, DType.BOOL).defines().get("SAME_TYPE"), "uint8 -> bool converts (nonzero)");
    }

    @Test
    void specsAreValuesSoTheModuleTableReusesThem() {
        assertEquals(ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT32, DType.FLOAT32), ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT32, DType.FLOAT32));
        assertNotEquals(ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT32, DType.FLOAT32), ElementwiseKernels.unary(UnaryOp.LOG, DType.FLOAT32, DType.FLOAT32));
    }

    @Test
    void rejectsWhatTheOpsReject() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.unary(UnaryOp.BITWISE_INVERT, DType.FLOAT32, DType.FLOAT32));
        assertTrue(e.getMessage().startsWith("[bitwiseInvert]") && e.getMessage().contains("float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.unary(UnaryOp.NEGATIVE, DType.BOOL, DType.BOOL));
        assertTrue(e.getMessage().startsWith("[negative]") && e.getMessage().contains("bool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.binary(BinaryOp.LEFT_SHIFT, DType.FLOAT16, DType.FLOAT16));
        assertTrue(e.getMessage().startsWith("[leftShift]") && e.getMessage().contains("float16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.binary(BinaryOp.SUBTRACT, DType.BOOL, DType.BOOL));
        assertTrue(e.getMessage().startsWith("[subtract]") && e.getMessage().contains("bool"), e.getMessage());
        for (BinaryOp op : List.of(BinaryOp.BITWISE_AND, BinaryOp.BITWISE_OR, BinaryOp.BITWISE_XOR, BinaryOp.RIGHT_SHIFT)) {
            assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.binary(op, DType.FLOAT64, DType.FLOAT64), op.name());
        }
    }

    @Test
    void rejectsAnOutputDtypeTheOpDoesNotGive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ElementwiseKernels.unary(UnaryOp.ISNAN, DType.FLOAT32, DType.FLOAT32));
        assertTrue(e.getMessage().startsWith("[isnan]") && e.getMessage().contains("bool"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.unary(UnaryOp.EXP, DType.FLOAT32, DType.FLOAT16));
        assertTrue(e.getMessage().startsWith("[exp]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.binary(BinaryOp.EQUAL, DType.INT32, DType.INT32));
        assertTrue(e.getMessage().startsWith("[equal]") && e.getMessage().contains("bool"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernels.binary(BinaryOp.ADD, DType.INT32, DType.BOOL));
    }

    @Test
    void everyIntegralDtypeTakesEveryNonFloatOp() {
        for (DType t : DType.values()) {
            if (t.isFloating()) continue;
            for (BinaryOp op : BinaryOp.values()) {
                if (op == BinaryOp.SUBTRACT && t == DType.BOOL) continue;
                KernelSpec s = ElementwiseKernels.binary(op, t, op.isComparison() ? DType.BOOL : t);
                assertEquals("long long", s.defines().get("COMPUTE_T"), op + " " + t);
            }
        }
    }

    @Test
    void catalogCoversEveryOpAndDtype() {
        List<KernelSpec> cat = ElementwiseKernels.catalog();
        assertTrue(cat.size() <= 80, "catalog of " + cat.size() + " variants: the nvcc test compiles each");
        assertEquals(cat.size(), new HashSet<>(cat).size(), "no duplicate variants");
        Set<String> ops = new HashSet<>();
        Set<String> types = new HashSet<>();
        Set<String> parts = new HashSet<>();
        for (KernelSpec s : cat) {
            if (s.defines().containsKey("OP")) ops.add(s.defines().get("OP"));
            for (String k : List.of("IN_T", "OUT_T", "ELEM_T")) if (s.defines().containsKey(k)) types.add(s.defines().get(k));
            parts.add(s.parts().getLast());
        }
        for (UnaryOp op : UnaryOp.values()) assertTrue(ops.contains(ElementwiseKernels.opName(op)), op.name());
        for (BinaryOp op : BinaryOp.values()) assertTrue(ops.contains(ElementwiseKernels.opName(op)), op.name());
        for (DType t : DType.values()) {
            if (t == DType.UINT8) continue; // the same C type as bool: checked below by OUT_BOOL
            assertTrue(types.contains(org.mlx4j.cuda.CudaTypes.cType(t)), t.name());
        }
        assertTrue(cat.stream().anyMatch(s -> "unsigned char".equals(s.defines().get("OUT_T")) && "0".equals(s.defines().get("OUT_BOOL"))),
                "a uint8 output");
        assertEquals(Set.of("ops.cuh", "unary.cu", "binary.cu", "where.cu", "copy.cu"), parts);
        assertTrue(cat.contains(ElementwiseKernels.copy(DType.FLOAT32, DType.BFLOAT16)));
        assertTrue(cat.contains(ElementwiseKernels.copy(DType.FLOAT32, DType.INT32)));
        assertTrue(cat.contains(ElementwiseKernels.where(DType.FLOAT32)));
        assertTrue(cat.contains(ElementwiseKernels.where(DType.BFLOAT16)));
        assertTrue(KernelCatalog.all().containsAll(cat));
    }

    /** A new enum constant without its device function in ops.cuh fails here, not on a GPU. */
    @Test
    void opsCuhDefinesEveryEnumConstant() {
        String ops = KernelSource.part("ops.cuh");
        Pattern unary = Pattern.compile("template <typename C> __device__ __forceinline__ C (op_\\w+)\\(C x\\)");
        Pattern binary = Pattern.compile("template <typename C> __device__ __forceinline__ C (op_\\w+)\\(C a, C b\\)");
        Set<String> u = names(unary.matcher(ops));
        Set<String> b = names(binary.matcher(ops));
        Set<UnaryOp> missingU = EnumSet.noneOf(UnaryOp.class);
        for (UnaryOp op : UnaryOp.values()) if (!u.remove(ElementwiseKernels.opName(op))) missingU.add(op);
        Set<BinaryOp> missingB = EnumSet.noneOf(BinaryOp.class);
        for (BinaryOp op : BinaryOp.values()) if (!b.remove(ElementwiseKernels.opName(op))) missingB.add(op);
        assertEquals(Set.of(), missingU, "unary ops without op_<name>(C x) in ops.cuh");
        assertEquals(Set.of(), missingB, "binary ops without op_<name>(C a, C b) in ops.cuh");
        assertEquals(Set.of(), u, "unary functions in ops.cuh that no UnaryOp names");
        assertEquals(Set.of(), b, "binary functions in ops.cuh that no BinaryOp names");
        // and the compile check instantiates each of them
        for (UnaryOp op : UnaryOp.values()) assertTrue(ops.contains("MLX_CHECK1(" + ElementwiseKernels.opName(op) + ")"), op.name());
        for (BinaryOp op : BinaryOp.values()) assertTrue(ops.contains("MLX_CHECK2(" + ElementwiseKernels.opName(op) + ")"), op.name());
    }

    private static Set<String> names(Matcher m) {
        Set<String> s = new HashSet<>();
        while (m.find()) s.add(m.group(1));
        return s;
    }
}
