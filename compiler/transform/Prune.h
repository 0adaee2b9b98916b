//===- Prune.h - pruning on the ONNX ModelProto, before the import -*- C++ -*-===//
//
// Two jobs on the weights of Conv, Gemm and MatMul (constant float initializers):
//  - lossless, always on: output channels that are exactly zero all the way to their consumers (zero
//    filter, zero bias, every op on the way mapping 0 to 0) are removed with the inputs of the consumers
//    that read them, so every later layer shrinks and the results do not change;
//  - lossy, asked for with --prune: unstructured magnitude pruning (per layer or over all layers), N:M
//    (N kept of every M consecutive weights along the reduction), or channel pruning (the filters with
//    the smallest L1 norm removed, with the shapes they feed).
// The rewritten model is still plain ONNX: `mcc --emit=onnx` writes it, and ONNX Runtime runs it.
// Channels are followed through BatchNormalization, activations, pooling, residual Add/Sub/Mul/Max/Min
// (which tie the channels of both operands), Concat on the channel axis, depthwise convolutions (which
// tie their input and output channels), and GlobalAveragePool + Flatten into a Gemm/MatMul. A channel
// that reaches anything else (a graph output, a Reshape, a grouped convolution, ...) is kept.
//
//===----------------------------------------------------------------------===//
#ifndef MCC_COMPILER_TRANSFORM_PRUNE_H
#define MCC_COMPILER_TRANSFORM_PRUNE_H

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <string>
#include <vector>

namespace onnx {
class ModelProto;
} // namespace onnx

namespace mcc::transform {

struct PruneOptions {
  enum class Kind { None, Magnitude, NOfM, Channels };
  Kind kind = Kind::None;
  double amount = 0;                ///< magnitude: the share of weights zeroed; channels: the share of filters removed
  bool global = false;              ///< magnitude: one threshold over all layers instead of one per layer
  int64_t n = 0, m = 0;             ///< N:M
  std::vector<std::string> exclude; ///< node names (or first output names) left untouched
};

/// Parses --prune: `magnitude:S` or `magnitude:S:global` (0 <= S < 1), `N:M` (0 < N < M), `channels:R`
/// (0 <= R < 1). Returns an error message or "".
std::string parsePruneOption(llvm::StringRef text, PruneOptions &options);

/// What pruning did to one layer: the figures a report needs. FLOPs are those of the dense layer at its
/// shapes (multiply-adds x 2), 0 when shape inference could not give the output shape.
struct LayerFigures {
  std::string node, op;
  int64_t weightsBefore = 0, weightsAfter = 0;
  int64_t nonzeroBefore = 0, nonzeroAfter = 0;
  int64_t filtersBefore = 0, filtersAfter = 0;
  double flopsBefore = 0, flopsAfter = 0;
};

/// Removes the channels that are zero all the way to their consumers (nodes named in `exclude` keep
/// theirs). Fills `figures` for the layers it changed; returns how many channels it removed.
int64_t removeZeroChannels(::onnx::ModelProto &model, const std::vector<std::string> &exclude,
                           std::vector<LayerFigures> &figures);

/// Applies `options` (a lossy pruning) to `model`. Returns an error message or "" and fills `figures`
/// with one entry per prunable layer.
std::string pruneModel(::onnx::ModelProto &model, const PruneOptions &options, std::vector<LayerFigures> &figures);

/// The model as .onnx bytes (`mcc --emit=onnx`).
std::string serializeModel(const ::onnx::ModelProto &model);

/// One line per layer, as `mcc -v` prints them.
std::string describeFigures(const std::vector<LayerFigures> &figures);

} // namespace mcc::transform

#endif
