#!/usr/bin/env bash
# The prepared script for a session that is lent a GPU machine (device time is short: run each step once).
# Here, first:   ../shared/gpu/bundle.sh      (packs .gpu/: Java runtime, jars, test classes; ~53 MiB)
# A call carries at most 64 MiB, so the bundle and Fashion-MNIST (30 MiB) travel in two calls made
# back to back, while the machine is warm (ignored paths already there stay between calls):
#   1. carry [".gpu"]:      bash bench/gpu-session.sh            info, doctor, the GPU suites but the
#                                                                training tests, the benchmark table
#   2. carry [".fmnist"]:   bash bench/gpu-session.sh training   the Fashion-MNIST MLP/CNN on the GPU
#      (prepare .fmnist here first: mkdir -p .fmnist && cp /usr/share/datasets/fashion-mnist/* .fmnist/)
# Everything goes under $OUT: info.txt, gpu-tests.txt (JUnit tree) and junit/, table.txt, mlx4j.txt,
# torch.txt; training.txt for step 2.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-/tmp/mlx4j-gpu}; mkdir -p "$out"
[ -f .gpu/run.sh ] || { echo "no .gpu bundle here: carry .gpu (step 1) or run step 1 first while the machine is warm"; exit 2; }
export JAVA_OPTS="${JAVA_OPTS:-} -Xmx24g -Dmlx4j.cuda.kernelCache=/tmp/mlx4j-kernels"
if [ "${1:-}" = training ]; then
  data=${FASHION_MNIST:-.fmnist}
  [ -f "$data/train-images-idx3-ubyte.gz" ] || { echo "no Fashion-MNIST in $data: carry .fmnist"; exit 2; }
  JAVA_OPTS="$JAVA_OPTS -Dmlx4j.fashionMnist=$PWD/$data" timeout 560 bash .gpu/run.sh test --include-tag gpu \
    --select-class org.mlx4j.tests.gpu.GpuTrainingTest > "$out/training.txt" 2>&1
  echo "training tests rc=$?" >> "$out/training.txt"
  grep -E "gpu (mlp|cnn)|tests (successful|failed|aborted)|rc=" "$out/training.txt" | tail -30
  exit 0
fi
bash .gpu/run.sh info > "$out/info.txt" 2>&1
bash .gpu/run.sh main org.mlx4j.examples.cli.Mlx4j doctor >> "$out/info.txt" 2>&1
# the kernels' first compilation (NVRTC) happens here; later steps find them in the cache
timeout 300 bash .gpu/run.sh test --include-tag gpu --exclude-classname='.*GpuTrainingTest' > "$out/gpu-tests.txt" 2>&1
echo "gpu tests rc=$?" >> "$out/gpu-tests.txt"
tail -25 "$out/gpu-tests.txt"
timeout 240 bash bench/gpu-compare.sh > /dev/null 2>&1
cat "$out/table.txt" 2>/dev/null
