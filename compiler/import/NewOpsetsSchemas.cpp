//===- NewOpsetsSchemas.cpp - schemas mcc registers with libonnx 1.12 -----===//
//
// Ops new in opset 18 that the onnx dialect implements directly, and Cast as it is from opset 19 on, so
// that libonnx's shape inference and the generic importer treat them like any other op.
//
//===----------------------------------------------------------------------===//
#include "compiler/import/NewOpsetRewriter.h"

#include "onnx/defs/schema.h"
#include "onnx/defs/shape_inference.h"

#include <mutex>

namespace mcc::import {

using ::onnx::AttributeProto;

namespace {

/// Cast as libonnx 1.12 should see it from opset 17 on: Cast-13 plus `saturate` and the float8, 4-bit and 2-bit
/// targets, whose numbers its enum does not know (Cast-13's inference rejects them as invalid types). Everything else
/// is Cast-13's own type, shape and data propagation.
void registerCast17() {
  const ::onnx::OpSchema *cast13 = ::onnx::OpSchemaRegistry::Schema("Cast", 13, "");
  if (!cast13)
    return;
  ::onnx::InferenceFunction infer13 = cast13->GetTypeAndShapeInferenceFunction();
  ::onnx::DataPropagationFunction propagate13 = cast13->GetDataPropagationFunction();
  std::vector<std::string> types = {"tensor(float16)", "tensor(float)",   "tensor(double)", "tensor(int8)",
                                    "tensor(int16)",   "tensor(int32)",   "tensor(int64)",  "tensor(uint8)",
                                    "tensor(uint16)",  "tensor(uint32)",  "tensor(uint64)", "tensor(bool)",
                                    "tensor(string)",  "tensor(bfloat16)"};
  ::onnx::OpSchema s("Cast", __FILE__, __LINE__);
  s.SetDomain("")
      .SinceVersion(17)
      .Attr("to", "", AttributeProto::INT)
      .Attr("saturate", "", AttributeProto::INT, static_cast<int64_t>(1))
      .Input(0, "input", "", "T1")
      .Output(0, "output", "", "T2")
      .TypeConstraint("T1", types, "")
      .TypeConstraint("T2", types, "")
      .TypeAndShapeInferenceFunction([infer13](::onnx::InferenceContext &ctx) {
        const AttributeProto *to = ctx.getAttribute("to");
        if (!to || !isNarrowType(to->i())) {
          infer13(ctx);
          return;
        }
        ctx.getOutputType(0)->mutable_tensor_type()->set_elem_type(static_cast<int32_t>(to->i()));
        if (::onnx::hasInputShape(ctx, 0))
          ::onnx::propagateShapeFromInputToOutput(ctx, 0, 0);
      });
  if (propagate13)
    s.PartialDataPropagationFunction(propagate13);
  ::onnx::OpSchemaRegistry::OpSchemaRegisterOnce registered(s);
}

/// The ops new in opset 18 that the onnx dialect implements directly have no schema in libonnx 1.12: they are
/// registered here (as since-version 17, the newest it accepts), so that its checker, shape inference and the
/// generic importer treat them like any other op.
} // namespace

void registerNewOpSchemas() {
  static std::once_flag once;
  std::call_once(once, [] {
    std::vector<std::string> ints = {"tensor(uint8)", "tensor(uint16)", "tensor(uint32)", "tensor(uint64)",
                                     "tensor(int8)",  "tensor(int16)",  "tensor(int32)",  "tensor(int64)"};
    for (const char *name : {"BitwiseAnd", "BitwiseOr", "BitwiseXor"}) {
      ::onnx::OpSchema s(name, __FILE__, __LINE__);
      s.SetDomain("")
          .SinceVersion(17)
          .Input(0, "A", "", "T")
          .Input(1, "B", "", "T")
          .Output(0, "C", "", "T")
          .TypeConstraint("T", ints, "integer tensors")
          .TypeAndShapeInferenceFunction([](::onnx::InferenceContext &ctx) {
            ::onnx::propagateElemTypeFromInputToOutput(ctx, 0, 0);
            if (::onnx::hasNInputShapes(ctx, 2))
              ::onnx::bidirectionalBroadcastShapeInference(
                  ctx.getInputType(0)->tensor_type().shape(), ctx.getInputType(1)->tensor_type().shape(),
                  *ctx.getOutputType(0)->mutable_tensor_type()->mutable_shape());
          });
      ::onnx::OpSchemaRegistry::OpSchemaRegisterOnce registered(s);
    }
    registerCast17();
    ::onnx::OpSchema s("BitwiseNot", __FILE__, __LINE__);
    s.SetDomain("")
        .SinceVersion(17)
        .Input(0, "X", "", "T")
        .Output(0, "Y", "", "T")
        .TypeConstraint("T", ints, "integer tensors")
        .TypeAndShapeInferenceFunction(::onnx::propagateShapeAndTypeFromFirstInput);
    ::onnx::OpSchemaRegistry::OpSchemaRegisterOnce registered(s);
  });
}

} // namespace mcc::import
