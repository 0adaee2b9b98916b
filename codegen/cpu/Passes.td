#ifndef MCC_CODEGEN_CPU_PASSES
#define MCC_CODEGEN_CPU_PASSES

include "mlir/Pass/PassBase.td"

def EntryDestinationStyle : Pass<"mcc-entry-destination-style", "mlir::ModuleOp"> {
  let summary = "Give the entry function caller-owned buffers for its inputs and outputs";
  let description = [{
    Rewrites `@main_graph(tensor...) -> tensor...` into `@main_graph(memref in..., memref out...)`:
    inputs are read through `bufferization.to_tensor restrict`, results are materialised into the
    output buffers, so one-shot bufferization writes each output where the caller wants it.

    A result whose shape depends on the data (dynamic dims, upper bound in the `mcc.upper_bound`
    result attribute) gets a flat buffer of the bound's element count, written densely in row-major
    order of the actual shape, and one more argument after all outputs, a `memref<rank x i64>` that
    receives that shape.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::bufferization::BufferizationDialect",
                           "mlir::memref::MemRefDialect", "mlir::tensor::TensorDialect"];
}

def PlanMemory : Pass<"mcc-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place every buffer in one workspace planned at compile time";
  let description = [{
    Replaces each static `memref.alloc` of the entry function with a `memref.view` into a trailing
    workspace argument. Buffers whose lifetimes (first definition to last use through any alias) do
    not overlap share bytes; offsets are 64-byte aligned. The size is recorded as the module attribute
    `mcc.workspace_size`. An allocation inside a loop or branch gets one slot, live for the whole
    top-level op around it. Dynamic allocations are an error: nothing may allocate at run time.
    Strided copies become linalg.copy so that no call into MLIR's runner library remains.
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect", "mlir::arith::ArithDialect",
                           "mlir::linalg::LinalgDialect"];
}

def GenericLoops : Pass<"mcc-generic-loops", "mlir::func::FuncOp"> {
  let summary = "Lower linalg.generic on buffers to loops that LLVM's vectorizer takes";
  let description = [{
    Rewrites each linalg.generic on buffers whose reduction loops (if any) are all innermost into
    scf.for loops: each input is loaded in the outermost loop that indexes it (a broadcast row
    statistic once per row); a reduction's output is loaded once, carried through the reduction loops
    as an iter_arg, and stored once, and the combining op (addf, mulf, maximumf, ...) that reads the
    accumulator is marked `reassoc`, so that LLVM keeps vector partial sums. Matmul- and conv-like
    generics (two operands read along the reduction loops), reductions over outer loops and outputs
    that are not projected permutations are left to convert-linalg-to-loops.
  }];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::memref::MemRefDialect",
                           "mlir::affine::AffineDialect", "mlir::arith::ArithDialect"];
}

def ExpandMath : Pass<"mcc-expand-math", "mlir::func::FuncOp"> {
  let summary = "Replace f32 libm calls with inline polynomial approximations";
  let description = [{
    f32 math.exp, expm1, log, log1p, log2, tanh and erf become MLIR's polynomial approximations, and
    math.powf with a constant exponent in {-1, 0.5, 1, 2, 3} becomes multiplies or a square root, so
    that the loops around them have no calls and LLVM vectorises them. f64 is left to libm.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::math::MathDialect",
                           "mlir::vector::VectorDialect"];
}

def SelectLoweringConfig : Pass<"mcc-select-lowering-config", "mlir::ModuleOp"> {
  let summary = "Choose the microkernel ISA for each kernel op and pack its constant weights";
  let description = [{
    The CPU strategy: from the target (triple, CPU, features, as the TargetMachine gets them) picks the
    kernels.h ISA family (AVX-512 for x86-64-v4 CPUs, AVX2 for x86-64-v3, generic x86-64 otherwise, NEON
    on aarch64) and writes `#mcc.lowering_config<isa, mr, nr>` on every mcc.sgemm and mcc.conv2d. Then
    packs, at compile time with the kernels' own packing functions, a constant SGEMM B shared by the
    batch and every convolution filter into that ISA's layout. Records the ISA as the module attribute
    `mcc.kernel_isa`, which tells the LLVM module builder which kernel bitcode to link.
  }];
  let options = [
    Option<"targetTriple", "triple", "std::string", "\"x86_64-unknown-linux-gnu\"", "target triple">,
    Option<"targetCpu", "cpu", "std::string", "\"generic\"", "target CPU (as --mcpu)">,
    Option<"targetFeatures", "features", "std::string", "\"\"", "target features (as --mattr)">,
    Option<"sparse", "sparse", "bool", "true",
           "pack mostly-zero constant SGEMM weights for the block-sparse kernel where it wins">
  ];
  let dependentDialects = ["mlir::arith::ArithDialect"];
}

def LowerKernelCalls : Pass<"mcc-lower-kernel-calls", "mlir::ModuleOp"> {
  let summary = "Turn mcc.sgemm / mcc.conv2d on memrefs into calls of the kernels.h functions";
  let description = [{
    Runs after one-shot bufferization and before mcc-plan-memory. Each buffer is passed as a pointer
    (aligned base + offset) with its strides; the kernel's scratch is a memref.alloc of the size the
    matching *_scratch_floats function returns, which the planner then places in the workspace.
    Operands the kernel cannot address are copied to contiguous buffers first.

    With `parallel`, every public function first gets two `!llvm.ptr` arguments at the end: the
    caller's `const mcc_parallel *` and the per-worker scratch region (workers 1.. of the run; worker 0
    uses the planned scratch). Calls in it go to the *_parallel wrappers; the module records the index
    of the first of those arguments (`mcc.parallel_arg`) and the bytes of one worker's slice
    (`mcc.worker_scratch_size`, the largest scratch of any call, in whole cache lines).
  }];
  let options = [
    Option<"parallel", "parallel", "bool", /*default=*/"false",
           "Pass a parallel context and per-worker scratch to the *_parallel kernel wrappers">
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def OutlineParallelLoops : Pass<"mcc-outline-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Run large loop nests marked by mcc-generic-loops on the caller's workers";
  let description = [{
    In a module whose entry takes a parallel context (`mcc.parallel_arg`, from mcc-lower-kernel-calls),
    each top-level scf.for of the entry marked `mcc.parallel_work` (iterations writing disjoint
    outputs) with at least `min-work` iterations in its nest, constant bounds and plain loop code in
    its body becomes a private function `(ptr captures, i64 begin, i64 end, i32 worker)` over its
    iterations, and the loop a call of `mcc_parallel_loop(par, body, captures, n)`, which the object
    emitter defines: par's parallel_for over the n iterations, or the body on [0, n) without workers.
    Memrefs with a static layout are captured by pointer, scalars by value, constants cloned.
  }];
  let options = [
    Option<"minWork", "min-work", "int64_t", /*default=*/"65536",
           "Iterations of a loop nest below which it stays on the calling thread">
  ];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::LLVM::LLVMDialect", "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect", "mlir::scf::SCFDialect"];
}

def FuseElementwise : Pass<"mcc-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise linalg ops into their consumers, up to a bounded body size";
  let description = [{
    The patterns of `linalg-fuse-elementwise-ops` (producer with one use fused into its consumer,
    reshapes folded by expansion, constants folded), except that a fusion whose body would exceed
    `max-body-ops` operations is not done: fusing a long chain into one body is quadratic.
  }];
  let options = [Option<"maxBodyOps", "max-body-ops", "int64_t", /*default=*/"128",
                        "the most operations one fused body may hold">];
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
                           "mlir::affine::AffineDialect", "mlir::arith::ArithDialect"];
}

def ExternalizeWeights : Pass<"mcc-externalize-weights", "mlir::ModuleOp"> {
  let summary = "Move constant buffers into a separate weights blob";
  let description = [{
    --weights=external: every constant memref global of at least `min-bytes` bytes that
    `@main_graph` reads moves into a blob at a 64-byte aligned offset, and its `memref.get_global`
    becomes a `memref.view` into a trailing `memref<N x i8>` weights argument. The blob starts with a
    64-byte header (mcc_rt.h: magic, size, model hash); the module attribute `mcc.weights_size` is N.
    The driver passes the blob to fill (createExternalizeWeights(blob, minBytes)); run by name, the
    pass fills a blob of its own and drops it, which is what an IR test wants.
  }];
  let options = [Option<"minBytes", "min-bytes", "int64_t", /*default=*/"64",
                        "the smallest constant, in bytes, that moves into the blob">];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"];
}

def FlattenConstantGlobals : Pass<"mcc-flatten-constant-globals", "mlir::ModuleOp"> {
  let summary = "Make constant memref globals one-dimensional";
  let description = [{
    Every constant global of rank > 1 becomes 1-D and each `memref.get_global` of it reads it through a
    `memref.expand_shape` to the original shape: the same bytes, but one LLVM constant per weight
    tensor instead of one per innermost row (which dominated compile time for large 1x1 convolutions).
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def LowerRuntimeChecks : Pass<"mcc-lower-runtime-checks", "mlir::ModuleOp"> {
  let summary = "Turn the run-time checks of input values into status returns of the entry function";
  let description = [{
    `@main_graph` gets an i32 result: 0 at every return, and N where a `cf.assert` whose message
    starts with "mcc.status=N" fails (the assert becomes a branch to a block returning N). Other
    asserts are left alone. Runs once structured control flow is lowered to a CFG.
  }];
  let dependentDialects = ["mlir::arith::ArithDialect", "mlir::cf::ControlFlowDialect",
                           "mlir::func::FuncDialect"];
}

def InstrumentNodes : Pass<"mcc-instrument-nodes", "mlir::ModuleOp"> {
  let summary = "Time each compiled node into a record buffer (mcc --profile)";
  let description = [{
    Groups the top-level ops of the entry function that do work into nodes (consecutive ops with the
    same location: one ONNX node, or several fused into one kernel) and brackets each with calls of
    `mcc_profile_now_ns()` whose results are stored into `memref.alloc() {mcc.profile_records} :
    memref<2N x i64>` ({begin, end} per node). mcc-plan-memory places that buffer in the workspace like
    any other and records its offset. The module attribute `mcc.profile` lists the nodes: name, op
    types, operand shapes of the heaviest op, floating-point operations per run. Runs on buffers,
    before mcc-lower-kernel-calls.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::memref::MemRefDialect", "mlir::arith::ArithDialect"];
}

#endif
