//===- MccDialect.h - the mcc dialect ---------------------------*- C++ -*-===//
#ifndef MCC_DIALECTS_MCC_MCCDIALECT_H
#define MCC_DIALECTS_MCC_MCCDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/DialectImplementation.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

#include "dialects/mcc/MccDialect.h.inc"
#include "dialects/mcc/MccEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "dialects/mcc/MccAttrs.h.inc"

#define GET_OP_CLASSES
#include "dialects/mcc/MccOps.h.inc"

namespace mcc::dialect {
/// Registers the bufferization models of the kernel ops (in place into their `init`).
void registerBufferizableOpInterfaceExternalModels(mlir::DialectRegistry &registry);
} // namespace mcc::dialect

#endif
