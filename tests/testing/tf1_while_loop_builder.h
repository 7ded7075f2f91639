// Writes a TensorFlow 1 while loop into a GraphBuilder the way
// tf.while_loop does, for tests of the plan compiler's loop support:
//
//   Tf1WhileLoopBuilder loop(&g, "while", {{"i0", DT_INT32}});
//   std::string limit = loop.Invariant("n", DT_INT32);   // Enter, is_constant
//   loop.Cond(g.Binary(loop.Name("Less"), "Less", loop.cond_vars()[0], limit,
//                      DT_INT32));
//   std::string one = loop.Const("one", Tensor::Scalar<int32_t>(1));
//   std::vector<std::string> exits = loop.Body(
//       {g.Binary(loop.Name("add"), "Add", loop.body_vars()[0], one,
//                 DT_INT32)});
//
// Node names follow tf.while_loop ("while/Enter", "while/Merge_1",
// "while/Switch", "while/Identity", "while/NextIteration", "while/Exit");
// the frame is "<name>/while_context". Constants made with Const() get a
// control input from the current pivot, as TensorFlow adds them. A nested
// loop is a second builder whose initial values and invariants are tensors
// of the outer body.
#ifndef MODEL_SERVER_TESTS_TESTING_TF1_WHILE_LOOP_BUILDER_H_
#define MODEL_SERVER_TESTS_TESTING_TF1_WHILE_LOOP_BUILDER_H_

#include <string>
#include <utility>
#include <vector>

#include "runtime/data_type.h"
#include "runtime/tensor.h"
#include "tools/graph_builder.h"

namespace model_server {

class Tf1WhileLoopBuilder {
 public:
  // Starts loop `name` over `initial` (tensor, dtype) pairs: writes their
  // Enter and Merge nodes.
  Tf1WhileLoopBuilder(GraphBuilder* graph, std::string name,
                      std::vector<std::pair<std::string, DataType>> initial,
                      int parallel_iterations = 10);

  // "<name>/<suffix>".
  std::string Name(const std::string& suffix) const;
  const std::string& frame_name() const { return frame_; }

  // A loop invariant: an Enter with is_constant = true; returns the tensor
  // to use inside the loop (condition or body).
  std::string Invariant(const std::string& outer_tensor, DataType dtype);
  // A Const inside the loop, with a control input from the pivot (a Merge
  // while the condition is written, an Identity in the body).
  std::string Const(const std::string& suffix, const Tensor& value);

  // The loop variables as the condition sees them (Merge outputs).
  const std::vector<std::string>& cond_vars() const { return merges_; }
  // Ends the condition with bool scalar `pred`: writes LoopCond, the
  // Switches and the body's Identities.
  void Cond(const std::string& pred);
  // The loop variables as the body sees them (Identity of Switch:1).
  const std::vector<std::string>& body_vars() const { return identities_; }
  // Ends the body with the next values: writes NextIteration and Exit
  // nodes. Returns the Exit tensors, one per variable.
  std::vector<std::string> Body(const std::vector<std::string>& next);

 private:
  GraphBuilder& graph_;
  std::string name_;
  std::string frame_;
  int parallel_iterations_;
  std::vector<DataType> dtypes_;
  std::vector<std::string> merges_;
  std::vector<std::string> switches_;
  std::vector<std::string> identities_;
  std::string pivot_;
  int invariants_ = 0;
};

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_TESTING_TF1_WHILE_LOOP_BUILDER_H_
