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

#endif
