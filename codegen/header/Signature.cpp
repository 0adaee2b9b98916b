//===- Signature.cpp - model signature and the generated C header ---------===//
#include "codegen/header/Signature.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringSet.h"

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
      "auto", "break", "case", "char", "const", "continue", "default", "do", "double", "else", "enum",
      "extern", "float", "for", "goto", "if", "inline", "int", "long", "register", "restrict", "return",
      "short", "signed", "sizeof", "static", "struct", "switch", "typedef", "union", "unsigned", "void",
      "volatile", "while", "_Bool", "_Complex", "_Imaginary", "bool", "true", "false", "alignas", "alignof",
      "and", "asm", "catch", "class", "const_cast", "constexpr", "decltype", "delete", "dynamic_cast",
      "explicit", "export", "friend", "mutable", "namespace", "new", "noexcept", "not", "nullptr",
      "operator", "or", "private", "protected", "public", "reinterpret_cast", "static_assert",
      "static_cast", "template", "this", "thread_local", "throw", "try", "typeid", "typename", "using",
      "virtual", "wchar_t", "xor", "char16_t", "char32_t"};
  return keywords.contains(id);
}

static int32_t dtypeOf(Type t) {
  if (t.isF32()) return 1;
  if (t.isF64()) return 11;
  if (t.isF16()) return 10;
  if (t.isBF16()) return 16;
  if (t.isInteger(1)) return 9;
  auto it = dyn_cast<IntegerType>(t);
  if (!it) return 0;
  bool u = it.isUnsigned();
  switch (it.getWidth()) {
  case 8: return u ? 2 : 3;
  case 16: return u ? 4 : 5;
  case 32: return u ? 12 : 6;
  case 64: return u ? 13 : 7;
  default: return 0;
  }
}

const char *cElementType(int32_t dtype) {
  switch (dtype) {
  case 1: return "float";
  case 11: return "double";
  case 10: case 16: case 4: return "uint16_t";
  case 9: return "bool";
  case 2: return "uint8_t";
  case 3: return "int8_t";
  case 5: return "int16_t";
  case 6: return "int32_t";
  case 7: return "int64_t";
  case 12: return "uint32_t";
  case 13: return "uint64_t";
  default: return "void";
  }
}

static const char *dtypeName(int32_t dtype) {
  switch (dtype) {
  case 1: return "float32";
  case 11: return "float64";
  case 10: return "float16";
  case 16: return "bfloat16";
  case 9: return "bool";
  case 2: return "uint8";
  case 3: return "int8";
  case 4: return "uint16";
  case 5: return "int16";
  case 6: return "int32";
  case 7: return "int64";
  case 12: return "uint32";
  case 13: return "uint64";
  default: return "unknown";
  }
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
  // Fields are unique per struct even in upper case, because the size macros use the upper-case name.
  llvm::StringSet<> used;
  auto make = [&](Type t, StringAttr name) {
    TensorSignature ts;
    auto tt = cast<RankedTensorType>(t);
    ts.name = name ? name.getValue().str() : "";
    ts.field = cIdentifier(ts.name);
    if (isKeyword(ts.field))
      ts.field += "_";
    while (!used.insert(StringRef(ts.field).upper()).second)
      ts.field += "_";
    ts.dtype = dtypeOf(tt.getElementType());
    for (int64_t d : tt.getShape())
      ts.shape.push_back(ShapedType::isDynamic(d) ? -1 : d);
    ts.maxShape = ts.shape;
    return ts;
  };
  for (unsigned i = 0; i < func.getNumArguments(); ++i)
    sig.inputs.push_back(make(func.getArgumentTypes()[i], func.getArgAttrOfType<StringAttr>(i, "onnx.name")));
  used.clear();
  for (unsigned i = 0; i < func.getNumResults(); ++i)
    sig.outputs.push_back(make(func.getResultTypes()[i], func.getResultAttrOfType<StringAttr>(i, "onnx.name")));
  // An output whose shape depends on the data: the importer recorded its upper bound.
  for (unsigned i = 0; i < func.getNumResults(); ++i) {
    TensorSignature &ts = sig.outputs[i];
    if (llvm::is_contained(ts.shape, -1)) {
      if (auto bound = func.getResultAttrOfType<DenseI64ArrayAttr>(i, kUpperBoundAttr))
        ts.maxShape.assign(bound.asArrayRef().begin(), bound.asArrayRef().end());
      ts.dimsField = ts.field + "_dims";
      while (!used.insert(StringRef(ts.dimsField).upper()).second)
        ts.dimsField += "_";
    }
  }
  return sig;
}

static std::string shapeText(const std::vector<int64_t> &shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "," : "") + (shape[i] < 0 ? std::string("?") : std::to_string(shape[i]));
  return s + "]";
}

static std::string commentSafe(std::string s) {
  for (size_t p; (p = s.find("*/")) != std::string::npos;)
    s.replace(p, 2, "* /");
  return s;
}

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
     << " * the model at once, each with its own workspace. Link with libmcc_rt and libm.\n";
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
  os << "#define " << upper << "_NUM_INPUTS " << sig.inputs.size() << "\n";
  os << "#define " << upper << "_NUM_OUTPUTS " << sig.outputs.size() << "\n\n";
  auto fieldUpper = [](const std::string &f) {
    std::string u;
    for (char c : f)
      u += (char)toupper((unsigned char)c);
    return u;
  };
  auto elements = [](const TensorSignature &t) {
    int64_t n = 1;
    for (int64_t d : t.shape)
      n *= d;
    return n;
  };
  for (const auto &t : sig.inputs)
    os << "#define " << upper << "_INPUT_" << fieldUpper(t.field) << "_SIZE " << elements(t)
       << " /* elements */\n";
  for (const auto &t : sig.outputs)
    os << "#define " << upper << "_OUTPUT_" << fieldUpper(t.field) << "_SIZE "
       << (t.isDataDependent() ? t.capacity() : elements(t))
       << (t.isDataDependent() ? " /* elements of capacity: the shape depends on the data */\n"
                               : " /* elements */\n");
  os << "\ntypedef struct {\n";
  for (const auto &t : sig.inputs)
    os << "  const " << cElementType(t.dtype) << " *" << t.field << "; /* \"" << commentSafe(t.name) << "\" "
       << dtypeName(t.dtype) << " " << shapeText(t.shape) << " */\n";
  if (sig.inputs.empty())
    os << "  const void *unused;\n";
  os << "} " << p << "_inputs;\n\ntypedef struct {\n";
  for (const auto &t : sig.outputs) {
    os << "  " << cElementType(t.dtype) << " *" << t.field << "; /* \"" << commentSafe(t.name) << "\" "
       << dtypeName(t.dtype) << " " << shapeText(t.shape);
    if (t.isDataDependent())
      os << ", at most " << shapeText(t.maxShape) << "; shape in " << t.dimsField;
    os << " */\n";
  }
  // The actual shapes of data-dependent outputs, after every pointer: written by _run, read by the caller.
  for (const auto &t : sig.outputs)
    if (t.isDataDependent())
      os << "  int64_t " << t.dimsField << "[" << t.shape.size() << "]; /* actual shape of " << t.field
         << ", written by " << p << "_run */\n";
  os << "} " << p << "_outputs;\n\n";
  os << "int " << p << "_run(const " << p << "_inputs *in, " << p << "_outputs *out, void *workspace);\n";
  os << "const mcc_model_info *" << p << "_info(void);\n\n";
  os << "#ifdef __cplusplus\n}\n#endif\n#endif /* " << upper << "_H */\n";
}

} // namespace mcc
