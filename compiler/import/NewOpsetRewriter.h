//===- NewOpsetRewriter.h - opset 18-21 node forms -> opset-17 forms -*- C++ -*-===//
//
// libonnx 1.12 stops at opset 17: for a model at opset 18-21 it picks the opset-17 schemas, so its shape
// inference (and the generic importer after it) would read newer node forms with older rules. Before shape
// inference, every node whose schema changed in 18..21 is rewritten in the ModelProto into an exactly
// equivalent node of the older form, or expanded into older ops; a form with no exact equivalent is an error
// naming the node, the op and the attribute or input.
//
// The rewriter is split by job: the graph walk and node building (NewOpsets.cpp), the changed forms of older
// ops (NewOpsetsForms.cpp), the new ops expanded (NewOpsetsExpand.cpp); the schemas mcc registers with
// libonnx are in NewOpsetsSchemas.cpp.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_IMPORT_NEWOPSETREWRITER_H
#define MCC_COMPILER_IMPORT_NEWOPSETREWRITER_H

#include "compiler/import/NewOpsetsBuilder.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mcc::import {

/// Element type and static shape of a value, when known before shape inference.
struct ValueType {
  int32_t elem = 0;
  std::vector<int64_t> dims;
};

/// Node building and errors come from NodeExpander; values made here are named `<output>__mcc<N>`.
class NewOpsetRewriter : public NodeExpander {
public:
  NewOpsetRewriter(::onnx::ModelProto &model, int64_t opset, std::string &error)
      : NodeExpander(error, "__mcc"), model(model), opset(opset) {}

  bool run();

private:
  // --- where values come from -------------------------------------------------------------------------------
  void recordValueInfo(const ::onnx::ValueInfoProto &vi);

  const ::onnx::TensorProto *constant(const std::string &name);

  /// The type of `name`, running shape inference on the rewritten top-level nodes so far when needed.
  std::optional<ValueType> typeOf(const std::string &name);

  /// Shape inference over a copy of the model holding the top-level nodes rewritten so far (large
  /// initializers become typed inputs: only their shapes matter here).
  void inferPrefix();

  // --- building nodes ----------------------------------------------------------------------------------------
  /// NodeExpander's, recorded as a constant for the nodes after it.
  std::string intsConstant(const ::onnx::NodeProto &from, const std::vector<int64_t> &values);
  /// A 0-d constant `v` with the element type of `like` (a FLOAT constant cast like it when needed).
  std::string scalarLike(const ::onnx::NodeProto &from, double v, int32_t elem, const std::string &like);

  // --- errors -------------------------------------------------------------------------------------------------
  bool needConstInts(const ::onnx::NodeProto &n, int input, const std::string &what, std::vector<int64_t> &v);
  bool needType(const ::onnx::NodeProto &n, const std::string &value, ValueType &t);
  bool normalizeAxes(const ::onnx::NodeProto &n, std::vector<int64_t> &axes, int64_t rank);

  // --- the graph walk ------------------------------------------------------------------------------------------
  bool rewriteGraph(::onnx::GraphProto &g, bool top);

  bool rewriteNode(::onnx::NodeProto &n);

  void recordConstant(const ::onnx::NodeProto &n);

  static const char *unsupportedNewOp(const std::string &op);

  // --- opset 18: reductions take axes as an input --------------------------------------------------------------
  static bool isReduce(const std::string &op);
  bool reduce(::onnx::NodeProto &n, bool &keep);

  // --- opset 18: Split num_outputs ---------------------------------------------------------------------------
  bool split(::onnx::NodeProto &n);

  // --- opset 18: Pad axes; opset 19: wrap ----------------------------------------------------------------------
  bool pad(::onnx::NodeProto &n, bool &keep);

  /// Pad-19 mode wrap: per axis, the last pad_begin elements before and the first pad_end after (numpy's
  /// "wrap", axis by axis, so corners wrap in both dims).
  bool padWrap(const ::onnx::NodeProto &n, const ValueType &t, const std::vector<int64_t> &pads);

  // --- opset 18/19: Resize antialias, axes, keep_aspect_ratio_policy, half_pixel_symmetric --------------------
  bool resize(::onnx::NodeProto &n);
  std::string floatsConstant(const ::onnx::NodeProto &from, const std::vector<double> &values);

  // --- opset 18: LpPool ceil_mode and dilations; opset 19: AveragePool dilations -------------------------------
  bool unitDilations(::onnx::NodeProto &n);
  /// AveragePool-19 with dilations: libonnx 1.12's shape rule ignores them, so the windows are summed by a
  /// depthwise Conv with a kernel of ones, then divided by the window size or, without count_include_pad, by
  /// the number of input elements each window covers (the same Conv over ones).
  bool averagePool(::onnx::NodeProto &n, bool &keep);
  bool lpPool(::onnx::NodeProto &n, bool &keep);

  // --- opset 19/21: Cast saturate, float8 and 4-bit types ---------------------------------------------------
  bool cast(::onnx::NodeProto &n);

  // --- opset 19/21: QuantizeLinear/DequantizeLinear saturate, block_size, output_dtype ------------------------
  bool quantize(::onnx::NodeProto &n);

  // --- opset 20: DFT axis input; GridSample mode names and rank ----------------------------------------------
  bool dft(::onnx::NodeProto &n);
  bool gridSample(::onnx::NodeProto &n);

  // --- ops new in 18..21, expanded into older ones ----------------------------------------------------------
  bool floatInput(const ::onnx::NodeProto &n, ValueType &x);

  /// Mish(x) = x * tanh(softplus(x)).
  bool mish(const ::onnx::NodeProto &n);

  /// Gelu(x) = x/2 (1 + erf(x/sqrt 2)), or with approximate = tanh: x/2 (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))).
  bool gelu(const ::onnx::NodeProto &n);

  /// GroupNormalization: the channels in groups of C/G, each normalised over its channels and spatial dims;
  /// scale and bias per group (opset 18) or per channel (opset 21). Opset 21 normalises in stash_type (float).
  bool groupNorm(const ::onnx::NodeProto &n);

  /// CenterCropPad: per axis, crop (starting at floor(excess/2)) or zero-pad (floor(missing/2) before).
  bool centerCropPad(const ::onnx::NodeProto &n);

  /// AffineGrid: theta [N, r, r+1] applied to the homogeneous coordinates (x, y[, z], 1) of every output
  /// position, each normalised to [-1, 1] (pixel centres, or corners with align_corners): one MatMul of a
  /// compile-time base grid [1, positions, r+1] by theta transposed.
  bool affineGrid(const ::onnx::NodeProto &n);

  /// Col2Im: input [N, C*prod(block), L] holds, for every block position l and offset k inside the block,
  /// the value added to image position l*stride + k*dilation - pad_begin. Each (k, l) row scatters with
  /// reduction add into a zero image kept as [positions + 1, N, C]; rows landing in the padding go to the
  /// extra last position, which is sliced off.
  bool col2Im(const ::onnx::NodeProto &n);

  ::onnx::ModelProto &model;
  int64_t opset;
  std::map<std::string, ::onnx::TensorProto> constants;
  std::map<std::string, ValueType> types;
  std::vector<::onnx::NodeProto> *topNodes = nullptr;
  int inferredUpTo = -1;
};

/// Registers with libonnx the schemas it lacks or has too old (NewOpsetsSchemas.cpp); idempotent.
void registerNewOpSchemas();

} // namespace mcc::import

#endif
