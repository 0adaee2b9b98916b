//===- BoundInputs.cpp - graph inputs compiled as constants (--bind) ------===//
//
// `--bind NAME=VALUE` freezes graph input NAME to a constant before anything else sees the model: it
// becomes an initializer, so shape inference, constant folding and the control-flow rewrites treat it
// like any weight, and the input disappears from the generated API. VALUE is a tensor file (read by the
// driver into a BoundValue) or a literal list of numbers that takes the input's declared element type
// and shape. Each binding is recorded for the generated header ("mcc.bound_inputs").
//
//===----------------------------------------------------------------------===//
#include "compiler/import/ImportInternal.h"
#include "compiler/import/ModelImporter.h"

#include "llvm/ADT/APFloat.h"
#include "llvm/ADT/StringExtras.h"

#include <algorithm>
#include <cstring>
#include <limits>

namespace mcc::import {
namespace {

std::string shapeText(llvm::ArrayRef<int64_t> dims) {
  std::string s = "[";
  for (size_t i = 0; i < dims.size(); ++i)
    s += (i ? "," : "") + std::to_string(dims[i]);
  return s + "]";
}

template <typename T> void append(std::string &bytes, T v) {
  char raw[sizeof(T)];
  std::memcpy(raw, &v, sizeof(T));
  bytes.append(raw, sizeof(T));
}

/// Appends `text` as one element of ONNX type `dtype` to `bytes`; returns an error message or "".
std::string encodeElement(StringRef text, int32_t dtype, std::string &bytes) {
  using TP = ::onnx::TensorProto;
  text = text.trim();
  if (dtype == TP::BOOL) {
    if (text == "true" || text == "1")
      return append<uint8_t>(bytes, 1), "";
    if (text == "false" || text == "0")
      return append<uint8_t>(bytes, 0), "";
    return "'" + text.str() + "' is not a bool (true, false, 1 or 0)";
  }
  if (dtype == TP::FLOAT || dtype == TP::DOUBLE || dtype == TP::FLOAT16 || dtype == TP::BFLOAT16) {
    double v;
    if (text.getAsDouble(v))
      return "'" + text.str() + "' is not a number";
    if (dtype == TP::DOUBLE)
      return append<double>(bytes, v), "";
    if (dtype == TP::FLOAT)
      return append<float>(bytes, (float)v), "";
    llvm::APFloat f(v);
    bool lost;
    f.convert(dtype == TP::FLOAT16 ? llvm::APFloat::IEEEhalf() : llvm::APFloat::BFloat(),
              llvm::APFloat::rmNearestTiesToEven, &lost);
    return append<uint16_t>(bytes, (uint16_t)f.bitcastToAPInt().getZExtValue()), "";
  }
  struct IntType {
    int32_t dtype;
    unsigned bytes;
    bool isSigned;
  };
  static const IntType ints[] = {{TP::INT8, 1, true},    {TP::INT16, 2, true},  {TP::INT32, 4, true},
                                 {TP::INT64, 8, true},   {TP::UINT8, 1, false}, {TP::UINT16, 2, false},
                                 {TP::UINT32, 4, false}, {TP::UINT64, 8, false}};
  const IntType *it =
      std::find_if(std::begin(ints), std::end(ints), [&](const IntType &t) { return t.dtype == dtype; });
  if (it == std::end(ints))
    return "a literal cannot give a " + elementTypeName(dtype) + " value: give a .npy or .pb file";
  uint64_t raw;
  if (it->isSigned) {
    int64_t v;
    int64_t lo = it->bytes == 8 ? std::numeric_limits<int64_t>::min() : -(int64_t(1) << (8 * it->bytes - 1));
    int64_t hi = it->bytes == 8 ? std::numeric_limits<int64_t>::max() : (int64_t(1) << (8 * it->bytes - 1)) - 1;
    if (text.getAsInteger(10, v))
      return "'" + text.str() + "' is not an integer";
    if (v < lo || v > hi)
      return "'" + text.str() + "' does not fit " + elementTypeName(dtype);
    raw = (uint64_t)v;
  } else {
    uint64_t v;
    if (text.getAsInteger(10, v))
      return "'" + text.str() + "' is not a non-negative integer";
    if (it->bytes < 8 && v >> (8 * it->bytes))
      return "'" + text.str() + "' does not fit " + elementTypeName(dtype);
    raw = v;
  }
  bytes.append(reinterpret_cast<const char *>(&raw), it->bytes); // little-endian host
  return "";
}

} // namespace

bool ModelImporter::pinInputValues() {
  mlir::Builder builder(&ctx);
  llvm::SmallVector<mlir::Attribute> records;
  for (const auto &[name, value] : options.boundInputs) {
    auto fail = [&, &name = name, &value = value](const llvm::Twine &why) {
      error() << value.flag << " " << name << "=" << value.origin << ": " << why;
      return false;
    };
    auto *inputs = model.mutable_graph()->mutable_input();
    auto it = std::find_if(inputs->begin(), inputs->end(), [&](const auto &vi) { return vi.name() == name; });
    if (it == inputs->end()) {
      error() << value.flag << " " << name << ": the model has no input '" << name << "'";
      return false;
    }
    if (!it->type().has_tensor_type())
      return fail("the input is not a tensor");
    const auto &declared = it->type().tensor_type();
    int32_t dtype = declared.elem_type();
    // The declared dims, -1 where symbolic; nullopt when the model declares no shape.
    std::optional<std::vector<int64_t>> dims;
    if (declared.has_shape()) {
      dims.emplace();
      for (const auto &d : declared.shape().dim())
        dims->push_back(d.has_dim_value() ? d.dim_value() : -1);
    }

    ::onnx::TensorProto t;
    t.set_name(name);
    std::vector<int64_t> shape;
    if (value.literal) {
      if (dtype == ::onnx::TensorProto::UNDEFINED)
        return fail("the input declares no element type: give a .npy or .pb file");
      int64_t n = (int64_t)value.elements.size();
      if (!dims)
        shape = n == 1 ? std::vector<int64_t>{} : std::vector<int64_t>{n};
      else if (std::none_of(dims->begin(), dims->end(), [](int64_t d) { return d < 0; })) {
        int64_t numel = 1;
        for (int64_t d : *dims)
          numel *= d;
        if (numel != n)
          return fail("the input has shape " + shapeText(*dims) + " (" + std::to_string(numel) + " elements), " +
                      std::to_string(n) + " given");
        shape = *dims;
      } else if (dims->size() == 1) {
        shape = {n};
      } else {
        return fail("the input has shape " + shapeText(*dims) +
                    " with symbolic dimensions; a literal gives only scalars and 1-D values: give a .npy file");
      }
      std::string bytes;
      for (const std::string &e : value.elements) {
        std::string err = encodeElement(e, dtype, bytes);
        if (!err.empty())
          return fail(err);
      }
      t.set_raw_data(bytes);
    } else {
      if (dtype != ::onnx::TensorProto::UNDEFINED && value.dtype != dtype)
        return fail("the file holds " + elementTypeName(value.dtype) + ", the input is " + elementTypeName(dtype));
      dtype = value.dtype;
      shape = value.shape;
      bool fits =
          !dims || (dims->size() == shape.size() && std::equal(dims->begin(), dims->end(), shape.begin(),
                                                               [](int64_t d, int64_t s) { return d < 0 || d == s; }));
      if (!fits)
        return fail("the file's shape " + shapeText(shape) + " does not match the input's " + shapeText(*dims));
      t.set_raw_data(value.bytes);
    }
    t.set_data_type(dtype);
    for (int64_t d : shape)
      t.add_dims(d);
    std::string err;
    mlir::DenseElementsAttr check = tensorToAttr(&ctx, t, err);
    if (!check)
      return fail(err.empty() ? "the value cannot be read as " + elementTypeName(dtype) : err);
    records.push_back(builder.getStringAttr(name + " = " + value.origin + " (" + elementTypeName(dtype) + " " +
                                            shapeText(shape) + ")"));
    *model.mutable_graph()->add_initializer() = std::move(t);
    inputs->erase(it);
  }
  boundInputRecords = builder.getArrayAttr(records);
  return true;
}

} // namespace mcc::import
