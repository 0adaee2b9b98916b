//===- ControlFlow.cpp - If, Loop, SequenceMap over sequences --------------===//
#include "compiler/import/sequences/Sequences.h"

namespace mcc::import::seq {

/// Renames the free uses of `names` inside a subgraph (names it defines itself shadow them).
void renameFreeUses(GraphProto &g, const std::map<std::string, std::string> &names) {
  llvm::StringSet<> local;
  for (const auto &vi : g.input())
    local.insert(vi.name());
  for (const auto &t : g.initializer())
    local.insert(t.name());
  for (const auto &n : g.node())
    for (const auto &o : n.output())
      local.insert(o);
  auto rename = [&](std::string *s) {
    if (local.contains(*s))
      return;
    if (auto it = names.find(*s); it != names.end())
      *s = it->second;
  };
  for (auto &n : *g.mutable_node()) {
    for (auto &i : *n.mutable_input())
      rename(&i);
    for (auto &a : *n.mutable_attribute()) {
      if (a.has_g())
        renameFreeUses(*a.mutable_g(), names);
      for (auto &sg : *a.mutable_graphs())
        renameFreeUses(sg, names);
    }
  }
  for (auto &o : *g.mutable_output())
    rename(o.mutable_name());
}

bool SequenceEliminator::inlineGraph(const GraphProto &body, std::map<std::string, std::string> names, GraphProto &out,
                                     Scope &scope, std::vector<std::string> &results) {
  for (const auto &t : body.initializer()) {
    std::string name = fresh(t.name());
    NodeProto *n = emit(out, "Constant", {}, {name});
    auto *a = n->add_attribute();
    a->set_name("value");
    a->set_type(::onnx::AttributeProto::TENSOR);
    *a->mutable_t() = t;
    a->mutable_t()->clear_name();
    Known k;
    if (decodeInts(t, k))
      scope.known[name] = k;
    names[t.name()] = name;
  }
  std::string saved = where;
  for (int i = 0; i < body.node_size(); ++i) {
    NodeProto node = body.node(i);
    for (auto &in : *node.mutable_input())
      if (auto it = names.find(in); it != names.end())
        in = it->second;
    for (auto &a : *node.mutable_attribute()) {
      if (a.has_g())
        renameFreeUses(*a.mutable_g(), names);
      for (auto &sg : *a.mutable_graphs())
        renameFreeUses(sg, names);
    }
    for (auto &o : *node.mutable_output()) {
      if (o.empty())
        continue;
      std::string renamed = fresh(o);
      names[o] = renamed;
      o = renamed;
    }
    where = saved + ", inlined node " + (node.name().empty() ? "#" + std::to_string(i) : "'" + node.name() + "'") +
            " (" + node.op_type() + ")";
    if (!processNode(node, out, scope))
      return false;
  }
  where = saved;
  results.clear();
  for (const auto &o : body.output()) {
    auto it = names.find(o.name());
    results.push_back(it != names.end() ? it->second : o.name());
  }
  return true;
}

bool SequenceEliminator::rewriteIf(NodeProto node, GraphProto &out, Scope &scope) {
  const GraphProto *thenG = nullptr, *elseG = nullptr;
  for (const auto &a : node.attribute()) {
    if (a.name() == "then_branch")
      thenG = &a.g();
    if (a.name() == "else_branch")
      elseG = &a.g();
  }
  if (!thenG || !elseG || node.input_size() < 1)
    return fail("needs a condition and both branches");
  // A condition known at compile time: the branch taken replaces the If.
  if (const Known *cond = scope.constant(node.input(0)); cond && cond->values.size() == 1) {
    const GraphProto &taken = cond->values[0] ? *thenG : *elseG;
    if (taken.output_size() != node.output_size())
      return fail("the branch yields " + Twine(taken.output_size()) + " values for " + Twine(node.output_size()) +
                  " outputs");
    std::vector<std::string> results;
    std::string saved = where;
    if (!inlineGraph(taken, {}, out, scope, results))
      return false;
    for (int k = 0; k < node.output_size(); ++k)
      bind(out, scope, node.output(k), results[k]);
    where = saved;
    return true;
  }
  if (scope.find(node.input(0)))
    return fail("the condition is not a tensor");
  Scope thenScope, elseScope;
  thenScope.parent = elseScope.parent = &scope;
  GraphProto *thenM = nullptr, *elseM = nullptr;
  for (auto &a : *node.mutable_attribute()) {
    if (a.name() == "then_branch")
      thenM = a.mutable_g();
    if (a.name() == "else_branch")
      elseM = a.mutable_g();
  }
  std::string saved = where;
  if (!rewriteGraph(*thenM, thenScope) || !rewriteGraph(*elseM, elseScope))
    return false;
  where = saved;
  if (thenM->output_size() != node.output_size() || elseM->output_size() != node.output_size())
    return fail("the branches do not yield one value per output");
  google::protobuf::RepeatedPtrField<ValueInfoProto> thenOuts, elseOuts;
  thenOuts.Swap(thenM->mutable_output());
  elseOuts.Swap(elseM->mutable_output());
  google::protobuf::RepeatedPtrField<std::string> outputs;
  outputs.Swap(node.mutable_output());
  // Each branch yields its elements through fresh Identity nodes: shape inference types a branch
  // output from the branch's own nodes, and an element may be a value of the enclosing graph.
  auto addOut = [&](GraphProto *g, const std::string &value) {
    std::string local = fresh(value + "_yielded");
    emit(*g, "Identity", {value}, {local});
    g->add_output()->set_name(local);
  };
  for (int k = 0; k < outputs.size(); ++k) {
    const Structured *t = thenScope.find(thenOuts.Get(k).name());
    const Structured *e = elseScope.find(elseOuts.Get(k).name());
    if (!t && !e) {
      *thenM->add_output() = thenOuts.Get(k);
      *elseM->add_output() = elseOuts.Get(k);
      node.add_output(outputs.Get(k));
      continue;
    }
    const std::string &name = outputs.Get(k);
    if (!t || !e || t->optional != e->optional)
      return fail("output '" + name + "' is a sequence or optional in one branch only");
    Structured s;
    s.optional = t->optional;
    if (t->optional && t->present != e->present)
      return fail("output '" + name +
                  "' is an optional that is empty in one branch and present in the other; mcc needs "
                  "its presence known at compile time");
    s.present = t->present;
    if (s.optional && !s.present) {
      scope.structured[name] = s;
      continue;
    }
    if (t->sequence != e->sequence)
      return fail("output '" + name + "' holds a sequence in one branch and a tensor in the other");
    if (!t->sequence) {
      std::string flat = fresh(name + "/value");
      addOut(thenM, t->tensor);
      addOut(elseM, e->tensor);
      node.add_output(flat);
      s.tensor = flat;
      scope.structured[name] = s;
      continue;
    }
    if (t->elems.size() != e->elems.size())
      return fail("output '" + name + "' is a sequence of length " + Twine(t->elems.size()) + " in then_branch and " +
                  Twine(e->elems.size()) + " in else_branch; mcc needs sequence lengths known at compile time");
    if (!elementsOf(*t, name) || !elementsOf(*e, name))
      return false;
    s.sequence = true;
    for (size_t i = 0; i < t->elems.size(); ++i) {
      addOut(thenM, t->elems[i]);
      addOut(elseM, e->elems[i]);
      std::string flat = fresh(name + "/" + std::to_string(i));
      node.add_output(flat);
      s.elems.push_back(flat);
    }
    scope.structured[name] = s;
  }
  *out.add_node() = std::move(node);
  return true;
}

bool SequenceEliminator::rewriteLoop(NodeProto node, GraphProto &out, Scope &scope) {
  GraphProto *body = nullptr;
  for (auto &a : *node.mutable_attribute())
    if (a.name() == "body")
      body = a.mutable_g();
  if (!body)
    return fail("missing subgraph attribute 'body'");
  bool carriesStructured = false;
  for (int i = 2; i < node.input_size(); ++i)
    carriesStructured |= scope.find(node.input(i)) != nullptr;
  for (const auto &vi : body->input())
    carriesStructured |= vi.has_type() && !vi.type().has_tensor_type();
  for (const auto &vi : body->output())
    carriesStructured |= vi.has_type() && !vi.type().has_tensor_type();
  if (!carriesStructured) {
    Scope child;
    child.parent = &scope;
    std::string saved = where;
    if (!rewriteGraph(*body, child))
      return false;
    where = saved;
    for (const auto &o : body->output())
      if (child.find(o.name()))
        return fail("the body yields sequence or optional value '" + o.name() +
                    "' that is not loop-carried (not supported)");
    *out.add_node() = std::move(node);
    return true;
  }

  // Unrolled: every iteration's body is inlined with its counter and condition as constants.
  int64_t trips = kMaxUnroll + 1;
  bool bounded = node.input_size() > 0 && !node.input(0).empty();
  if (bounded) {
    const Known *m = scope.constant(node.input(0));
    if (!m || m->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and "
                  "its trip count '" +
                  node.input(0) + "' must be a compile-time constant");
    trips = m->values[0];
  }
  bool cond = true;
  if (node.input_size() > 1 && !node.input(1).empty()) {
    const Known *c = scope.constant(node.input(1));
    if (!c || c->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and "
                  "its condition '" +
                  node.input(1) + "' must be a compile-time constant");
    cond = c->values[0] != 0;
  }
  int numCarried = std::max(0, node.input_size() - 2);
  if (body->input_size() != numCarried + 2 || body->output_size() < numCarried + 1)
    return fail("the body's inputs and outputs do not match the loop's");
  int numScan = body->output_size() - 1 - numCarried;
  std::vector<std::string> carried(node.input().begin() + 2, node.input().end());
  std::vector<std::vector<std::string>> scanned(numScan);
  std::string saved = where;
  int64_t i = 0;
  for (; i < trips && cond; ++i) {
    if (i >= kMaxUnroll)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and it "
                  "runs more than " +
                  Twine(kMaxUnroll) + " iterations");
    std::map<std::string, std::string> names;
    names[body->input(0).name()] =
        emitInts(out, scope, body->input(0).name() + "_" + std::to_string(i), TensorProto::INT64, {}, {i});
    names[body->input(1).name()] =
        emitInts(out, scope, body->input(1).name() + "_" + std::to_string(i), TensorProto::BOOL, {}, {1});
    for (int k = 0; k < numCarried; ++k)
      names[body->input(k + 2).name()] = carried[k];
    std::vector<std::string> results;
    if (!inlineGraph(*body, names, out, scope, results))
      return false;
    where = saved;
    const Known *c = scope.constant(results[0]);
    if (!c || c->values.size() != 1)
      return fail("the loop carries sequence or optional values, so it is unrolled at compile time, and the "
                  "condition its body computes ('" +
                  body->output(0).name() + "') must fold to a constant");
    cond = c->values[0] != 0;
    for (int k = 0; k < numCarried; ++k)
      carried[k] = results[k + 1];
    for (int j = 0; j < numScan; ++j) {
      if (scope.find(results[1 + numCarried + j]))
        return fail("scan output '" + body->output(1 + numCarried + j).name() + "' is not a tensor");
      scanned[j].push_back(results[1 + numCarried + j]);
    }
  }
  for (int k = 0; k < numCarried && k < node.output_size(); ++k)
    bind(out, scope, node.output(k), carried[k]);
  for (int j = 0; j < numScan && numCarried + j < node.output_size(); ++j) {
    const std::string &name = node.output(numCarried + j);
    if (name.empty())
      continue;
    if (i == 0)
      return fail("scan output '" + name + "' of a loop that runs no iteration has an unknown shape");
    std::vector<std::string> parts;
    for (const std::string &p : scanned[j])
      parts.push_back(emitUnsqueeze(out, scope, p, 0));
    auto *a = emit(out, "Concat", parts, {name})->add_attribute();
    a->set_name("axis");
    a->set_type(::onnx::AttributeProto::INT);
    a->set_i(0);
  }
  return true;
}

bool SequenceEliminator::rewriteSequenceMap(const NodeProto &node, GraphProto &out, Scope &scope) {
  const GraphProto *body = nullptr;
  for (const auto &a : node.attribute())
    if (a.name() == "body")
      body = &a.g();
  if (!body)
    return fail("missing subgraph attribute 'body'");
  const Structured *first = sequenceOperand(node, 0, scope);
  if (!first || !elementsOf(*first, node.input(0)))
    return false;
  size_t n = first->elems.size();
  if (body->input_size() != node.input_size() || body->output_size() != node.output_size())
    return fail("the body takes " + Twine(body->input_size()) + " inputs and yields " + Twine(body->output_size()) +
                " outputs, for " + Twine(node.input_size()) + " and " + Twine(node.output_size()));
  std::vector<const Structured *> inputs;
  for (int k = 0; k < node.input_size(); ++k) {
    const Structured *s = node.input(k).empty() ? nullptr : scope.find(node.input(k));
    if (s && (!s->sequence || s->optional))
      return fail("input '" + node.input(k) + "' is " + kindName(*s));
    if (s && s->elems.size() != n)
      return fail("input sequence '" + node.input(k) + "' has length " + Twine(s->elems.size()) + ", the first has " +
                  Twine(n));
    if (s && !elementsOf(*s, node.input(k)))
      return false;
    inputs.push_back(s);
  }
  std::vector<Structured> results(node.output_size());
  for (auto &r : results)
    r.sequence = true;
  std::string saved = where;
  for (size_t i = 0; i < n; ++i) {
    std::map<std::string, std::string> names;
    for (int k = 0; k < node.input_size(); ++k)
      names[body->input(k).name()] = inputs[k] ? inputs[k]->elems[i] : node.input(k);
    std::vector<std::string> values;
    if (!inlineGraph(*body, names, out, scope, values))
      return false;
    where = saved;
    for (int k = 0; k < node.output_size(); ++k) {
      if (scope.find(values[k]))
        return fail("body output '" + body->output(k).name() + "' is not a tensor");
      results[k].elems.push_back(values[k]);
    }
  }
  for (int k = 0; k < node.output_size(); ++k)
    if (!node.output(k).empty())
      scope.structured[node.output(k)] = results[k];
  return true;
}

} // namespace mcc::import::seq
