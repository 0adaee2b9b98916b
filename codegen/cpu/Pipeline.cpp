//===- Pipeline.cpp - linalg on tensors -> LLVM dialect -------------------===//
//
// The CPU pipeline as typed addPass calls, one pass per line, so that a renamed or removed pass fails
// the build rather than the first mcc run. registerCpuCodegenPipeline() makes it `--mcc-cpu-codegen`
// in mcc-opt.
//
//===----------------------------------------------------------------------===//
#include "codegen/cpu/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace mcc {

void buildCpuCodegenPipeline(OpPassManager &pm, std::vector<char> *externalWeights, const KernelTarget *kernelTarget,
                             bool profile) {
  auto canonicalizeAndCse = [](OpPassManager &fpm) {
    fpm.addPass(createCanonicalizerPass());
    fpm.addPass(createCSEPass());
  };
  canonicalizeAndCse(pm.nest<func::FuncOp>());
  // Kernel ISA and weights packed for it, while the weights are still constants on tensors.
  if (kernelTarget)
    pm.addPass(createSelectLoweringConfig(
        {kernelTarget->triple, kernelTarget->cpu, kernelTarget->features, kernelTarget->sparse}));
  pm.nest<func::FuncOp>().addPass(createFuseElementwise()); // epilogues into their producers
  canonicalizeAndCse(pm.nest<func::FuncOp>());
  // Outputs are written straight into the caller's buffers.
  pm.addPass(createEntryDestinationStyle());
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  pm.nest<func::FuncOp>().addPass(bufferization::createEmptyTensorToAllocTensorPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion = bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  pm.nest<func::FuncOp>().addPass(createCanonicalizerPass());
  // --profile: timestamps around each node, while the kernel ops still say their shapes.
  if (profile)
    pm.addPass(createInstrumentNodes());
  // Kernel ops become calls; their scratch buffers are allocations for the planner below. The entry
  // takes the caller's parallel context, which the calls pass on to the kernels' parallel wrappers.
  LowerKernelCallsOptions kernelCalls;
  kernelCalls.parallel = true;
  pm.addPass(createLowerKernelCalls(kernelCalls));
  // Every remaining allocation becomes a slice of the caller's workspace.
  pm.addPass(createPlanMemory());
  if (externalWeights)
    pm.addPass(createExternalizeWeights(externalWeights, /*minBytes=*/64));
  pm.addPass(createFlattenConstantGlobals());
  // Loops shaped for LLVM's loop vectorizer (register accumulators, broadcast operands read outside
  // the inner loop) and no libm calls left in loop bodies; convert-linalg-to-loops takes the rest.
  OpPassManager &loops = pm.nest<func::FuncOp>();
  loops.addPass(createGenericLoops());
  loops.addPass(createExpandMath());
  pm.nest<func::FuncOp>().addPass(createConvertLinalgToLoopsPass());
  pm.nest<func::FuncOp>().addPass(createLowerAffinePass());
  OpPassManager &cleanup = pm.nest<func::FuncOp>();
  canonicalizeAndCse(cleanup);
  cleanup.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createOutlineParallelLoops()); // large elementwise and pooling nests on the caller's workers
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createLowerRuntimeChecks()); // checks of input values return a status from the graph
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass()); // strided views leave affine.apply index math behind
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createConvertMathToLibmPass()); // what LLVM has no intrinsic for calls libm
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  // Bare pointers: the entry takes plain `T *` buffers, the ABI the generated header promises.
  ConvertFuncToLLVMPassOptions funcToLLVM;
  funcToLLVM.useBarePtrCallConv = true;
  pm.addPass(createConvertFuncToLLVMPass(funcToLLVM));
  pm.addPass(createReconcileUnrealizedCastsPass());
  pm.addPass(createCanonicalizerPass());
}

void registerCpuCodegenPipeline() {
  PassPipelineRegistration<>("mcc-cpu-codegen", "The CPU pipeline from linalg on tensors to LLVM",
                             [](OpPassManager &pm) { buildCpuCodegenPipeline(pm); });
}

} // namespace mcc
