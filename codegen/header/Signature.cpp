//===- Signature.cpp - model signature and the generated C header ---------===//
#include "codegen/header/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

#include <algorithm>

#include "mcc/Version.h"

using namespace mlir;

namespace mcc {

std::string cIdentifier(llvm::StringRef name) {
  std::string id;
  for (char c : name)
    id += (isalnum((unsigned char)c) || c == '_') ? c : '_';
  if (id.empty() || isdigit((unsigned char)id[0]))
    id = "_" + id;
  return id;
}

/// Keywords of C99 and C++ (the header is included from both), which cannot name a field.
static bool isKeyword(llvm::StringRef id) {
  static const llvm::StringSet<> keywords = {
      "auto",          "break",       "case",         "char",      "const",        "continue",
      "default",       "do",          "double",       "else",      "enum",         "extern",
      "float",         "for",         "goto",         "if",        "inline",       "int",
      "long",          "register",    "restrict",     "return",    "short",        "signed",
      "sizeof",        "static",      "struct",       "switch",    "typedef",      "union",
      "unsigned",      "void",        "volatile",     "while",     "_Bool",        "_Complex",
      "_Imaginary",    "bool",        "true",         "false",     "alignas",      "alignof",
      "and",           "asm",         "catch",        "class",     "const_cast",   "constexpr",
      "decltype",      "delete",      "dynamic_cast", "explicit",  "export",       "friend",
      "mutable",       "namespace",   "new",          "noexcept",  "not",          "nullptr",
      "operator",      "or",          "private",      "protected", "public",       "reinterpret_cast",
      "static_assert", "static_cast", "template",     "this",      "thread_local", "throw",
      "try",           "typeid",      "typename",     "using",     "virtual",      "wchar_t",
      "xor",           "char16_t",    "char32_t"};
  return keywords.contains(id);
}

static int32_t dtypeOf(Type t) {
  if (t.isF32())
    return 1;
  if (t.isF64())
    return 11;
  if (t.isF16())
    return 10;
  if (t.isBF16())
    return 16;
  if (t.isInteger(1))
    return 9;
  auto it = dyn_cast<IntegerType>(t);
  if (!it)
    return 0;
  bool u = it.isUnsigned();
  switch (it.getWidth()) {
  case 8:
    return u ? 2 : 3;
  case 16:
    return u ? 4 : 5;
  case 32:
    return u ? 12 : 6;
  case 64:
    return u ? 13 : 7;
  default:
    return 0;
  }
}

const char *cElementType(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "float";
  case 11:
    return "double";
  case 10:
  case 16:
  case 4:
    return "uint16_t";
  case 9:
    return "bool";
  case 2:
    return "uint8_t";
  case 3:
    return "int8_t";
  case 5:
    return "int16_t";
  case 6:
    return "int32_t";
  case 7:
    return "int64_t";
  case 12:
    return "uint32_t";
  case 13:
    return "uint64_t";
  default:
    return "void";
  }
}

static const char *dtypeName(int32_t dtype) {
  switch (dtype) {
  case 1:
    return "float32";
  case 11:
    return "float64";
  case 10:
    return "float16";
  case 16:
    return "bfloat16";
  case 9:
    return "bool";
  case 2:
    return "uint8";
  case 3:
    return "int8";
  case 4:
    return "uint16";
  case 5:
    return "int16";
  case 6:
    return "int32";
  case 7:
    return "int64";
  case 12:
    return "uint32";
  case 13:
    return "uint64";
  default:
    return "unknown";
  }
}

bool TensorSignature::isDynamic() const { return std::find(shape.begin(), shape.end(), -1) != shape.end(); }

int64_t ModelSignature::capacity(bool output, size_t index) const {
  auto elements = [](const std::vector<int64_t> &shape) {
    int64_t n = 1;
    for (int64_t d : shape)
      n *= d;
    return n;
  };
  const TensorSignature &t = (output ? outputs : inputs)[index];
  if (variants.empty() || !t.isDynamic())
    return elements(t.maxShape);
  int64_t most = 0;
  for (const ShapeVariant &v : variants)
    most = std::max(most, elements((output ? v.outputShapes : v.inputShapes)[index]));
  return most;
}

size_t firstDimField(const ModelSignature &sig) {
  return std::max<size_t>(sig.inputs.size(), 1) + (sig.weightsSize ? 1 : 0);
}

/// Names the C fields: unique per struct even in upper case (the size macros use the upper-case name),
/// never a keyword.
static void assignFields(ModelSignature &sig) {
  llvm::StringSet<> used;
  auto unique = [&](std::string id) {
    if (isKeyword(id))
      id += "_";
    while (!used.insert(StringRef(id).upper()).second)
      id += "_";
    return id;
  };
  for (auto &t : sig.inputs)
    t.field = unique(cIdentifier(t.name));
  sig.weightsField = sig.weightsSize ? unique("weights") : std::string();
  sig.runtimeDimFields.clear();
  for (const auto &d : sig.runtimeDims)
    sig.runtimeDimFields.push_back(unique(cIdentifier(d)));
  used.clear();
  for (auto &t : sig.outputs)
    t.field = unique(cIdentifier(t.name));
  for (auto &t : sig.outputs)
    t.dimsField = t.isDynamic() ? unique(t.field + "_dims") : std::string();
}

void setExternalWeights(ModelSignature &sig, uint64_t size) {
  sig.weightsSize = size;
  assignFields(sig);
}

ModelSignature extractSignature(ModuleOp module, llvm::StringRef prefix) {
  ModelSignature sig;
  sig.prefix = prefix.str();
  auto str = [&](StringRef key) {
    auto a = module->getAttrOfType<StringAttr>(key);
    return a ? a.getValue().str() : std::string();
  };
  auto num = [&](StringRef key) -> int64_t {
    auto a = module->getAttrOfType<IntegerAttr>(key);
    return a ? a.getInt() : 0;
  };
  sig.source = str("mcc.source");
  sig.hash = str("mcc.model_hash");
  sig.producer = str("mcc.producer");
  sig.modelVersion = num("mcc.model_version");
  sig.opset = num("mcc.opset");
  auto func = module.lookupSymbol<func::FuncOp>("main_graph");
  auto make = [&](Type t, StringAttr name, ArrayAttr dims, StringAttr origin) {
    TensorSignature ts;
    auto tt = cast<RankedTensorType>(t);
    ts.name = name ? name.getValue().str() : "";
    ts.origin = origin ? origin.getValue().str() : "";
    ts.dtype = dtypeOf(tt.getElementType());
    for (int64_t d : tt.getShape())
      ts.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
    if (dims)
      for (Attribute a : dims) {
        ts.dimNames.push_back(cast<StringAttr>(a).getValue().str());
        if (!ts.dimNames.back().empty() &&
            std::find(sig.runtimeDims.begin(), sig.runtimeDims.end(), ts.dimNames.back()) == sig.runtimeDims.end())
          sig.runtimeDims.push_back(ts.dimNames.back());
      }
    ts.maxShape = ts.shape;
    return ts;
  };
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    sig.inputs.push_back(make(func.getArgumentTypes()[i], func.getArgAttrOfType<StringAttr>(i, "onnx.name"),
                              func.getArgAttrOfType<ArrayAttr>(i, "onnx.dims"),
                              func.getArgAttrOfType<StringAttr>(i, "onnx.origin")));
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    sig.outputs.push_back(make(func.getResultTypes()[i], func.getResultAttrOfType<StringAttr>(i, "onnx.name"),
                               func.getResultAttrOfType<ArrayAttr>(i, "onnx.dims"),
                               func.getResultAttrOfType<StringAttr>(i, "onnx.origin")));
  // An output whose shape depends on the data: the importer recorded its upper bound.
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    TensorSignature &ts = sig.outputs[i];
    if (auto bound = func.getResultAttrOfType<DenseI64ArrayAttr>(i, kUpperBoundAttr)) {
      ts.maxShape.assign(bound.asArrayRef().begin(), bound.asArrayRef().end());
      ts.dataDependent = true;
    }
  }
  assignFields(sig);
  return sig;
}

ModelSignature combineVariants(const std::vector<ModelSignature> &variantSigs,
                               const std::vector<std::vector<int64_t>> &values) {
  ModelSignature sig = variantSigs.front();
  sig.workspaceSize = 0;
  for (size_t k = 0; k < variantSigs.size(); ++k) {
    const ModelSignature &v = variantSigs[k];
    ShapeVariant variant;
    variant.dimValues = values[k];
    variant.workspaceSize = v.workspaceSize;
    sig.workspaceSize = std::max(sig.workspaceSize, v.workspaceSize);
    sig.workspacePerWorker = std::max(sig.workspacePerWorker, v.workspacePerWorker);
    for (const auto &t : v.inputs)
      variant.inputShapes.push_back(t.shape);
    for (const auto &t : v.outputs)
      variant.outputShapes.push_back(t.isDataDependent() ? t.maxShape : t.shape);
    sig.variants.push_back(std::move(variant));
  }
  // A dimension is dynamic where it is a runtime dimension or differs between the variants.
  auto mark = [&](std::vector<TensorSignature> &ts, bool output) {
    for (size_t i = 0; i < ts.size(); ++i)
      for (size_t d = 0; d < ts[i].shape.size(); ++d) {
        bool dynamic = d < ts[i].dimNames.size() && !ts[i].dimNames[d].empty();
        for (const ShapeVariant &v : sig.variants)
          dynamic |= (output ? v.outputShapes : v.inputShapes)[i][d] != ts[i].shape[d];
        if (dynamic)
          ts[i].shape[d] = -1;
      }
  };
  mark(sig.inputs, false);
  mark(sig.outputs, true);
  // The capacity of each dimension: the largest over the variants.
  auto bound = [&](std::vector<TensorSignature> &ts, bool output) {
    for (size_t i = 0; i < ts.size(); ++i)
      for (const ShapeVariant &v : sig.variants) {
        const auto &shape = (output ? v.outputShapes : v.inputShapes)[i];
        for (size_t d = 0; d < shape.size() && d < ts[i].maxShape.size(); ++d)
          ts[i].maxShape[d] = std::max(ts[i].maxShape[d], shape[d]);
      }
  };
  bound(sig.inputs, false);
  bound(sig.outputs, true);
  assignFields(sig);
  return sig;
}

static std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + std::to_string(shape[i]);
  return s + "]";
}

static std::string shapeText(const TensorSignature &t) {
  std::string s = "[";
  for (size_t i = 0; i < t.shape.size(); ++i) {
    s += i ? "," : "";
    if (t.shape[i] >= 0)
      s += std::to_string(t.shape[i]);
    else if (i < t.dimNames.size() && !t.dimNames[i].empty())
      s += t.dimNames[i];
    else
      s += "?";
  }
  return s + "]";
}

static std::string commentSafe(std::string s) {
  for (size_t p; (p = s.find("*/")) != std::string::npos;)
    s.replace(p, 2, "* /");
  return s;
}

static std::string originText(const TensorSignature &t) { return t.origin.empty() ? "" : ", " + commentSafe(t.origin); }

void writeHeader(const ModelSignature &sig, llvm::raw_ostream &os) {
  std::string upper;
  for (char c : sig.prefix)
    upper += (char)toupper((unsigned char)c);
  const std::string &p = sig.prefix;
  os << "/* " << p << ".h: generated by mcc " << MCC_VERSION_STRING << " from " << commentSafe(sig.source)
     << ". Do not edit.\n"
     << " * model sha256 " << sig.hash << ", opset " << sig.opset << ", producer '" << commentSafe(sig.producer)
     << "'\n *\n"
     << " * Call " << p << "_run() with one pointer per input and output (in the structs below, in graph order)\n"
     << " * and a workspace of " << upper << "_WORKSPACE_SIZE bytes aligned to MCC_WORKSPACE_ALIGNMENT. It returns 0\n"
     << " * or an mcc_status (mcc_strerror() names it). It allocates nothing and keeps no state: threads may run\n"
     << " * the model at once, each with its own workspace. Link with libmcc_rt and libm.\n"
     << " *\n"
     << " * " << p << "_run_parallel() runs it on the workers of an mcc_parallel (mcc_rt.h: e.g. the default pool,\n"
     << " * mcc_pool_create()) with a workspace of " << upper << "_WORKSPACE_SIZE_FOR(workers) bytes; the results are\n"
     << " * bitwise those of " << p << "_run. Link with libpthread as well for the default pool.\n";
  if (llvm::any_of(sig.outputs, [](const TensorSignature &t) { return t.isDataDependent(); }))
    os << " *\n"
       << " * Outputs shown with '?' have a shape that depends on the data: give each a buffer of its\n"
       << " * _SIZE macro's capacity (the upper bound of the shape); " << p << "_run writes the elements densely\n"
       << " * in row-major order of the actual shape, and that shape into the output's _dims field.\n";
  os << " */\n";
  os << "#ifndef " << upper << "_H\n#define " << upper << "_H\n\n";
  os << "#include <stdbool.h>\n#include <stdint.h>\n#include <mcc/mcc_rt.h>\n\n";
  os << "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  os << "#define " << upper << "_WORKSPACE_SIZE " << sig.workspaceSize << "u\n";
  os << "/* Bytes each worker after the first adds to the workspace of " << p << "_run_parallel. */\n";
  os << "#define " << upper << "_WORKSPACE_PER_WORKER " << sig.workspacePerWorker << "u\n";
  os << "#define " << upper << "_WORKSPACE_SIZE_FOR(workers) \\\n  (" << upper << "_WORKSPACE_SIZE + ((workers) > 1 ? "
     << "(uint64_t)((workers) - 1) * " << upper << "_WORKSPACE_PER_WORKER : 0u))\n";
  if (sig.weightsSize)
    os << "#define " << upper << "_WEIGHTS_SIZE " << sig.weightsSize << "u /* bytes of the weights file */\n";
  os << "#define " << upper << "_NUM_INPUTS " << sig.inputs.size() << "\n";
  os << "#define " << upper << "_NUM_OUTPUTS " << sig.outputs.size() << "\n\n";
  auto fieldUpper = [](const std::string &f) {
    std::string u;
    for (char c : f)
      u += (char)toupper((unsigned char)c);
    return u;
  };
  bool dynamic = !sig.variants.empty();
  auto sizeComment = [&](const TensorSignature &t) {
    return t.isDataDependent() ? " /* elements of capacity: the shape depends on the data */\n"
           : t.isDynamic()     ? " /* elements, at most: the largest compiled size */\n"
                               : " /* elements */\n";
  };
  for (size_t i = 0; i < sig.inputs.size(); ++i)
    os << "#define " << upper << "_INPUT_" << fieldUpper(sig.inputs[i].field) << "_SIZE " << sig.capacity(false, i)
       << sizeComment(sig.inputs[i]);
  for (size_t i = 0; i < sig.outputs.size(); ++i)
    os << "#define " << upper << "_OUTPUT_" << fieldUpper(sig.outputs[i].field) << "_SIZE " << sig.capacity(true, i)
       << sizeComment(sig.outputs[i]);
  if (dynamic) {
    os << "\n/* Runtime dimensions: set the int64_t fields after the input pointers. The object was compiled for\n"
       << " * these combinations (" << sig.runtimeDims.size() << " dimension(s): ";
    for (size_t d = 0; d < sig.runtimeDims.size(); ++d)
      os << (d ? ", " : "") << commentSafe(sig.runtimeDims[d]);
    os << "); any other returns MCC_ERR_BAD_DIMENSION.\n";
    for (const ShapeVariant &v : sig.variants) {
      os << " *  ";
      for (size_t d = 0; d < v.dimValues.size(); ++d)
        os << (d ? ", " : "") << commentSafe(sig.runtimeDims[d]) << "=" << v.dimValues[d];
      os << ": workspace " << v.workspaceSize << " bytes\n";
    }
    os << " * " << upper << "_WORKSPACE_SIZE is the largest; " << p
       << "_workspace_size() gives the size for given dimensions. */\n";
  }
  os << "\ntypedef struct {\n";
  for (const auto &t : sig.inputs)
    os << "  const " << cElementType(t.dtype) << " *" << t.field << "; /* \"" << commentSafe(t.name) << "\" "
       << dtypeName(t.dtype) << " " << shapeText(t) << originText(t) << " */\n";
  if (sig.inputs.empty())
    os << "  const void *unused;\n";
  if (sig.weightsSize)
    os << "  const void *" << sig.weightsField << "; /* the weights file written with the object (" << sig.weightsSize
       << " bytes), e.g. from mcc_weights_map(); 64-byte aligned */\n";
  for (size_t d = 0; d < sig.runtimeDims.size(); ++d)
    os << "  int64_t " << sig.runtimeDimFields[d] << "; /* runtime dimension '" << commentSafe(sig.runtimeDims[d])
       << "' */\n";
  os << "} " << p << "_inputs;\n\ntypedef struct {\n";
  for (const auto &t : sig.outputs) {
    os << "  " << cElementType(t.dtype) << " *" << t.field << "; /* \"" << commentSafe(t.name) << "\" "
       << dtypeName(t.dtype) << " " << shapeText(t);
    if (t.isDataDependent())
      os << ", at most " << shapeText(t.maxShape) << "; shape in " << t.dimsField;
    os << originText(t) << " */\n";
  }
  for (const auto &t : sig.outputs)
    if (!t.dimsField.empty())
      os << "  int64_t " << t.dimsField << "[" << t.shape.size() << "]; /* set by " << p << "_run: the shape of "
         << t.field << " */\n";
  os << "} " << p << "_outputs;\n\n";
  os << "int " << p << "_run(const " << p << "_inputs *in, " << p << "_outputs *out, void *workspace);\n";
  os << "/* The same on the workers of par (NULL: the calling thread alone), with a workspace of\n * " << upper
     << "_WORKSPACE_SIZE_FOR(par->num_workers) bytes. */\n";
  os << "int " << p << "_run_parallel(const " << p << "_inputs *in, " << p
     << "_outputs *out, void *workspace, const mcc_parallel *par);\n";
  if (dynamic)
    os << "/* Workspace bytes for the runtime dimensions in `in` (tensor pointers unused); -1 if the object was\n"
       << " * not compiled for them. */\n"
       << "int64_t " << p << "_workspace_size(const " << p << "_inputs *in);\n";
  os << "const mcc_model_info *" << p << "_info(void);\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n#endif /* " << upper << "_H */\n";
}

} // namespace mcc
