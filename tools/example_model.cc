#include "tools/example_model.h"

#include <vector>

namespace model_server {

void BuildHalfPlusTwo(SavedModelWriter* writer) {
  GraphBuilder& g = writer->graph();
  const std::string a = writer->AddVariable("a", Tensor::Scalar(0.5f));
  const std::string b = writer->AddVariable("b", Tensor::Scalar(2.0f));

  // Predict path: y = a * x + b.
  const std::string x = g.Placeholder("x", DT_FLOAT, {-1, 1});
  const std::string ax = g.Binary("Mul", "Mul", a, x, DT_FLOAT);
  const std::string ax_b = g.Binary("Add", "Add", ax, b, DT_FLOAT);
  const std::string y = g.Identity("y", ax_b, DT_FLOAT);

  // Regress path: x parsed from a batch of serialized tf.Examples, as
  // TensorFlow 1's tf.parse_example writes it (ParseExample, no sparse
  // features, one required dense feature).
  const std::string examples = g.Placeholder("tf_example", DT_STRING, {-1});
  const std::string names =
      g.Const("regress/ParseExample/names",
              Tensor::FromVector<std::string>({}, TensorShape{0}));
  const std::string key = g.Const("regress/ParseExample/dense_keys_0",
                                  Tensor::Scalar<std::string>("x"));
  const std::string no_default =
      g.Const("regress/ParseExample/dense_default_0",
              Tensor::FromVector<float>({}, TensorShape{0}));
  const std::string parsed_x =
      g.Op("regress/ParseExample", "ParseExample")
          .Input(examples)
          .Input(names)
          .Input(key)
          .Input(no_default)
          .Attr("Nsparse", 0)
          .Attr("Ndense", 1)
          .Attr("sparse_types", std::vector<DataType>{})
          .Attr("Tdense", std::vector<DataType>{DT_FLOAT})
          .ShapeListAttr("dense_shapes", {{1}})
          .Output(0);
  const std::string regress_ax =
      g.Binary("regress/Mul", "Mul", a, parsed_x, DT_FLOAT);
  const std::string regress_ax_b =
      g.Binary("regress/Add", "Add", regress_ax, b, DT_FLOAT);
  const std::string regress_y = g.Identity("regress/y", regress_ax_b, DT_FLOAT);

  writer->SetMainOp(g.NoOp("init_all_tables", {}));

  writer->AddSignature("serving_default", kPredictMethodName)
      .Input("x", x, DT_FLOAT, {-1, 1})
      .Output("y", y, DT_FLOAT, {-1, 1});
  writer->AddSignature("regress_x_to_y", kRegressMethodName)
      .Input("inputs", examples, DT_STRING, {-1})
      .Output("outputs", regress_y, DT_FLOAT, {-1, 1});
  writer->AddSignature("classify_x_to_y", kClassifyMethodName)
      .Input("inputs", examples, DT_STRING, {-1})
      .Output("scores", regress_y, DT_FLOAT, {-1, 1});
}

absl::Status WriteHalfPlusTwoCheckpoint(const std::string& dir) {
  SavedModelWriter writer;
  BuildHalfPlusTwo(&writer);
  // What training adds: a label, a loss on y and an update of b that
  // consumes it. A Saver's MetaGraphDef has no signatures.
  GraphBuilder& g = writer.graph();
  const std::string label = g.Placeholder("label", DT_FLOAT, {-1, 1});
  const std::string diff = g.Binary("loss/sub", "Sub", "y:0", label, DT_FLOAT);
  const std::string loss = g.Binary("loss", "Mul", diff, diff, DT_FLOAT);
  g.Op("train/update_b", "AssignSub")
      .Input("b")
      .Input(loss)
      .Attr("T", DT_FLOAT);
  writer.meta_graph().clear_signature_def();
  CheckpointOptions options;
  options.prefix_name = "model.ckpt-1000";
  return writer.WriteCheckpoint(dir, options);
}

absl::Status WriteHalfPlusTwo(const std::string& export_dir) {
  SavedModelWriter writer;
  BuildHalfPlusTwo(&writer);
  return writer.Write(export_dir);
}

}  // namespace model_server
