package org.mlx4j.cuda.kernel;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mlx4j.core.DType;

/** The indexing family's specs: defines per variant, the catalog's coverage, rejected index dtypes. */
class IndexingKernelsTest {
    @Test
    void moveIsKeyedByElementSizeAndIndexType() {
        KernelSpec s = IndexingKernels.move(2, DType.INT64);
        assertEquals(List.of("common.cuh", "gather.cu"), s.parts());
        assertEquals(Map.of("MLX_IDX_MOVE", "1", "ELEM_T", "unsigned short", "IDX_T", "long long"), s.defines());
        assertEquals(s, IndexingKernels.move(2, DType.INT64), "equal specs share one module");
        assertEquals("unsigned char", IndexingKernels.move(1, DType.UINT32).defines().get("ELEM_T"));
        assertEquals("unsigned int", IndexingKernels.move(1, DType.UINT32).defines().get("IDX_T"));
        assertEquals("unsigned long long", IndexingKernels.move(8, DType.INT8).defines().get("ELEM_T"));
        assertThrows(IllegalArgumentException.class, () -> IndexingKernels.move(4, DType.FLOAT32));
        assertThrows(IllegalArgumentException.class, () -> IndexingKernels.move(4, DType.BOOL));
        assertThrows(IllegalArgumentException.class, () -> IndexingKernels.move(3, DType.INT32));
    }

    @Test
    void scatterAddComputesInTheDtype() {
        assertEquals(Map.of("MLX_IDX_ADD", "1", "ELEM_T", "mlx_bfloat", "COMPUTE_T", "float", "IDX_T", "unsigned char"),
                IndexingKernels.scatterAdd(DType.BFLOAT16, DType.UINT8).defines());
        assertEquals("double", IndexingKernels.scatterAdd(DType.FLOAT64, DType.INT32).defines().get("COMPUTE_T"));
        assertEquals("long long", IndexingKernels.scatterAdd(DType.INT8, DType.INT32).defines().get("COMPUTE_T"));
        // bool and uint8 share a C type; only bool is marked
        assertEquals("1", IndexingKernels.scatterAdd(DType.BOOL, DType.INT32).defines().get("MLX_IDX_BOOL"));
        assertNull(IndexingKernels.scatterAdd(DType.UINT8, DType.INT32).defines().get("MLX_IDX_BOOL"));
        assertNotEquals(IndexingKernels.scatterAdd(DType.BOOL, DType.INT32), IndexingKernels.scatterAdd(DType.UINT8, DType.INT32));
        assertThrows(IllegalArgumentException.class, () -> IndexingKernels.scatterAdd(DType.FLOAT32, DType.FLOAT16));
    }

    @Test
    void otherFamiliesAndTheirSources() {
        assertEquals(Map.of("MLX_IDX_RANK", "1"), IndexingKernels.shuffleTable().defines());
        assertEquals(List.of("common.cuh", "random.cu"), IndexingKernels.randomBits().parts());
        assertEquals(Map.of("ELEM_T", "unsigned short"), IndexingKernels.im2col(2).defines());
        // every entry point is in the text its spec assembles
        assertTrue(KernelSource.text(IndexingKernels.move(4, DType.INT32)).contains("extern \"C\" __global__ void " + IndexingKernels.SCATTER_WRITE + "("));
        assertTrue(KernelSource.text(IndexingKernels.shuffleTable()).contains("void " + IndexingKernels.SHUFFLE_TABLE + "("));
        assertTrue(KernelSource.text(IndexingKernels.randomBits()).contains("void " + IndexingKernels.RANDOM_BITS + "("));
        assertTrue(KernelSource.text(IndexingKernels.im2col(4)).contains("void " + IndexingKernels.IM2COL + "("));
        assertTrue(KernelSource.text(IndexingKernels.scatterAdd(DType.INT16, DType.INT32)).contains("void " + IndexingKernels.SCATTER_ADD + "("));
    }

    @Test
    void catalogCoversEveryDtypeOnceAndStaysSmall() {
        List<KernelSpec> c = IndexingKernels.catalog();
        assertEquals(25, c.size());
        assertEquals(c.size(), new HashSet<>(c).size(), "no duplicates");
        for (DType t : DType.values()) {
            assertTrue(c.stream().anyMatch(s -> s.defines().containsKey("MLX_IDX_ADD") && s.defines().get("ELEM_T").equals(org.mlx4j.cuda.CudaTypes.cType(t))
                    && (t != DType.BOOL || s.defines().containsKey("MLX_IDX_BOOL"))), "scatter-add " + t);
            if (t.isInteger()) {
                String it = org.mlx4j.cuda.CudaTypes.cType(t);
                assertTrue(c.stream().anyMatch(s -> s.defines().containsKey("MLX_IDX_MOVE") && s.defines().get("IDX_T").equals(it)), "index " + t);
            }
        }
        for (int size : new int[] {1, 2, 4, 8}) {
            String e = IndexingKernels.carrier(size);
            assertTrue(c.stream().anyMatch(s -> s.defines().containsKey("MLX_IDX_MOVE") && s.defines().get("ELEM_T").equals(e)), "size " + size);
        }
        assertTrue(c.contains(IndexingKernels.shuffleTable()));
        assertTrue(c.contains(IndexingKernels.randomBits()));
        assertTrue(KernelCatalog.all().containsAll(c));
    }
}
