//===- Pipeline.cpp - linalg on tensors -> LLVM dialect -------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Pass/PassRegistry.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mlir;

namespace mcc {

static void add(OpPassManager &pm, llvm::StringRef pipeline) {
  if (failed(parsePassPipeline(pipeline, pm)))
    llvm::report_fatal_error(llvm::Twine("mcc: bad internal pass pipeline: ") + pipeline);
}

void buildCpuCodegenPipeline(OpPassManager &pm, std::vector<char> *externalWeights, const KernelTarget *kernelTarget,
                             bool profile) {
  add(pm, "func.func(canonicalize,cse)");
  // Kernel ISA and weights packed for it, while the weights are still constants on tensors.
  if (kernelTarget)
    pm.addPass(createSelectLoweringConfig(
        {kernelTarget->triple, kernelTarget->cpu, kernelTarget->features, kernelTarget->sparse}));
  add(pm, "func.func(mcc-fuse-elementwise)"); // epilogues into their producers
  add(pm, "func.func(canonicalize,cse)");
  // Outputs are written straight into the caller's buffers.
  add(pm, "mcc-entry-destination-style");
  add(pm, "eliminate-empty-tensors");
  add(pm, "func.func(empty-tensor-to-alloc-tensor)");
  add(pm, "one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map}");
  add(pm, "func.func(canonicalize)");
  // --profile: timestamps around each node, while the kernel ops still say their shapes.
  if (profile)
    add(pm, "mcc-instrument-nodes");
  // Kernel ops become calls; their scratch buffers are allocations for the planner below. The entry
  // takes the caller's parallel context, which the calls pass on to the kernels' parallel wrappers.
  add(pm, "mcc-lower-kernel-calls{parallel=true}");
  // Every remaining allocation becomes a slice of the caller's workspace.
  add(pm, "mcc-plan-memory");
  if (externalWeights)
    pm.addPass(createExternalizeWeights(externalWeights, /*minBytes=*/64));
  pm.addPass(createFlattenConstantGlobals());
  // Loops shaped for LLVM's loop vectorizer (register accumulators, broadcast operands read outside
  // the inner loop) and no libm calls left in loop bodies; convert-linalg-to-loops takes the rest.
  add(pm, "func.func(mcc-generic-loops,mcc-expand-math)");
  add(pm, "func.func(convert-linalg-to-loops)");
  add(pm, "func.func(lower-affine)");
  add(pm, "func.func(canonicalize,cse,loop-invariant-code-motion)");
  add(pm, "mcc-outline-parallel-loops"); // large elementwise and pooling nests on the caller's workers
  add(pm, "convert-scf-to-cf");
  add(pm, "mcc-lower-runtime-checks"); // checks of input values return a status from the graph
  add(pm, "expand-strided-metadata");
  add(pm, "lower-affine"); // strided views leave affine.apply index math behind
  add(pm, "finalize-memref-to-llvm");
  add(pm, "convert-math-to-llvm");
  add(pm, "convert-math-to-libm"); // what LLVM has no intrinsic for calls libm
  add(pm, "convert-arith-to-llvm");
  add(pm, "convert-index-to-llvm");
  add(pm, "convert-cf-to-llvm");
  // Bare pointers: the entry takes plain `T *` buffers, the ABI the generated header promises.
  add(pm, "convert-func-to-llvm{use-bare-ptr-memref-call-conv}");
  add(pm, "reconcile-unrealized-casts");
  add(pm, "canonicalize");
}

} // namespace mcc
