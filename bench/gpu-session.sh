#!/usr/bin/env bash
# The one prepared script for a session that is lent a GPU machine (device time is short: run it once).
# Here, first:   ../shared/gpu/bundle.sh      (packs .gpu/: Java runtime, jars, test classes)
# Then, through the device tool, with carry [".gpu"] and a timeout that leaves room for a rerun:
#   bash bench/gpu-session.sh [quick]
# Writes everything under $OUT: info.txt, the JUnit reports and tree (gpu-tests.txt), the benchmark
# table (table.txt, mlx4j.txt, torch.txt). "quick" skips the Fashion-MNIST training tests. Those need
# the four IDX files on the GPU machine: carry a folder holding them and set FASHION_MNIST=that/folder.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/mlx4j-gpu}; mkdir -p "$out"
export JAVA_OPTS="${JAVA_OPTS:-} -Xmx24g -Dmlx4j.cuda.kernelCache=/tmp/mlx4j-kernels${FASHION_MNIST:+ -Dmlx4j.fashionMnist=$PWD/$FASHION_MNIST}"
bash .gpu/run.sh info > "$out/info.txt" 2>&1
bash .gpu/run.sh main org.mlx4j.examples.cli.Mlx4j doctor >> "$out/info.txt" 2>&1
# the kernels' first compilation (NVRTC) happens here; later steps find them in the cache
excl=""; [ "${1:-}" = quick ] && excl="--exclude-classname=.*GpuTrainingTest"
timeout 420 bash .gpu/run.sh test --include-tag gpu $excl > "$out/gpu-tests.txt" 2>&1
echo "gpu tests rc=$?" >> "$out/gpu-tests.txt"
tail -25 "$out/gpu-tests.txt"
timeout 240 bash bench/gpu-compare.sh > /dev/null 2>&1
cat "$out/table.txt" 2>/dev/null
