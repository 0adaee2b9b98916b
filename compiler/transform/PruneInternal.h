//===- PruneInternal.h - what the pruning files share ------------*- C++ -*-===//
#ifndef MCC_COMPILER_TRANSFORM_PRUNEINTERNAL_H
#define MCC_COMPILER_TRANSFORM_PRUNEINTERNAL_H

#include "compiler/transform/Prune.h"

#include "onnx/onnx_pb.h"

#include <functional>
#include <map>
#include <optional>

namespace mcc::transform {

/// The elements of a float initializer (raw or typed data); nullopt for any other tensor.
std::optional<std::vector<float>> readFloats(const ::onnx::TensorProto &t);
/// Replaces the data and dims of `t` by `values` / `dims` (raw little-endian floats).
void writeFloats(::onnx::TensorProto &t, const std::vector<float> &values, const std::vector<int64_t> &dims);

/// The name a node goes by in --prune-exclude and in reports: its name, else its first output.
std::string nodeName(const ::onnx::NodeProto &node);

/// The weight input of a node whose weights pruning may touch: Conv's W, Gemm's B, MatMul's B when
/// they are float initializers; -1 otherwise.
int weightInput(const ::onnx::NodeProto &node, const std::map<std::string, ::onnx::TensorProto *> &initializers);

std::map<std::string, ::onnx::TensorProto *> initializerMap(::onnx::ModelProto &model);

/// FLOPs (2 x multiply-adds) of each Conv/Gemm/MatMul node by name, from ONNX shape inference on a copy
/// of `model`; nodes whose output shape stays unknown are missing.
std::map<std::string, double> layerFlops(const ::onnx::ModelProto &model);

/// Channel removal: the lossless one (exactly-zero channels) or the L1-ranked one (`ratio` of each
/// layer's filters). `beforeChange` runs once, just before the model changes (not at all when nothing
/// is removed); returns the channel classes removed.
enum class ChannelMode { ZeroOnly, L1Ratio };
int64_t removeChannels(::onnx::ModelProto &model, ChannelMode mode, double ratio,
                       const std::vector<std::string> &exclude, const std::function<void()> &beforeChange);

} // namespace mcc::transform

#endif
