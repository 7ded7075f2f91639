// The README's example model "half_plus_two": y = a * x + b with the
// variables a = 0.5 and b = 2.0 stored in the checkpoint, TF1 style, laid
// out as TensorFlow Serving's own half_plus_two test model.
//
// Graph: VariableV2 "a" and "b" (restored by save/RestoreV2 + save/Assign*,
// save/restore_all; SaverDef filename tensor "save/Const:0"), the NoOp
// "init_all_tables" as saved_model_main_op, and two paths:
//   x (Placeholder float [-1,1]) -> Mul(a, x) -> Add(., b) -> y (Identity)
//   tf_example (Placeholder string [-1]) -> regress/ParseExample (dense
//     float feature "x" of shape [1], required) -> regress/Mul, regress/Add
//     -> regress/y (Identity)
// Signatures:
//   serving_default  tensorflow/serving/predict  x: DT_FLOAT [-1,1] -> y
//   regress_x_to_y   tensorflow/serving/regress  inputs: DT_STRING [-1]
//                                                -> outputs: DT_FLOAT [-1,1]
//   classify_x_to_y  tensorflow/serving/classify inputs: DT_STRING [-1]
//                                                -> scores: DT_FLOAT [-1,1]
// (the last two read the same regress/y, as TF Serving's model does).
// x is declared [-1,1] as in TF Serving's model, so clients written for it
// work unchanged; because a and b are scalars, any float shape works
// (x = [1, 2, 5] of shape [3] gives y = [2.5, 3, 4.5] of shape [3]).
#ifndef MODEL_SERVER_TOOLS_EXAMPLE_MODEL_H_
#define MODEL_SERVER_TOOLS_EXAMPLE_MODEL_H_

#include <string>

#include "absl/status/status.h"
#include "tools/saved_model_builder.h"

namespace model_server {

// Adds the half_plus_two graph, variables and signatures to `writer`.
void BuildHalfPlusTwo(SavedModelWriter* writer);

// Writes half_plus_two to `export_dir` (a version directory such as
// /models/half_plus_two/1). Fails as WriteSavedModel does.
absl::Status WriteHalfPlusTwo(const std::string& export_dir);

// half_plus_two as a training run leaves it: tf.train.Saver's files
// model.ckpt-1000.{meta,index,data-00000-of-00001} and `checkpoint` in `dir`
// (which must not exist). The graph also has a label placeholder, a loss on
// y and an update op consuming it, and no signatures.
absl::Status WriteHalfPlusTwoCheckpoint(const std::string& dir);

}  // namespace model_server

#endif  // MODEL_SERVER_TOOLS_EXAMPLE_MODEL_H_
