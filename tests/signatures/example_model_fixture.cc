#include "tests/signatures/example_model_fixture.h"

#include <stdlib.h>

#include <filesystem>
#include <system_error>

#include "tools/saved_model_builder.h"

namespace model_server {
namespace testing {
namespace {

// tf.io.parse_example as TensorFlow 1 writes it, for the two dense features.
struct Parsed {
  std::string x;       // float [N,1]
  std::string labels;  // string [N,2]
};

Parsed AddParseExample(GraphBuilder& g, const std::string& prefix,
                       const std::string& examples) {
  const std::string names = g.Const(
      prefix + "/names", Tensor::FromVector<std::string>({}, TensorShape{0}));
  const std::string key_x =
      g.Const(prefix + "/dense_keys_0", Tensor::Scalar<std::string>("x"));
  const std::string key_label =
      g.Const(prefix + "/dense_keys_1", Tensor::Scalar<std::string>("label"));
  const std::string no_default =
      g.Const(prefix + "/dense_default_0",
              Tensor::FromVector<float>({}, TensorShape{0}));
  const std::string label_default =
      g.Const(prefix + "/dense_default_1",
              Tensor::FromVector<std::string>({"no", "label"}, TensorShape{2}));
  NodeBuilder parse =
      g.Op(prefix, "ParseExample")
          .Input(examples)
          .Input(names)
          .Input(key_x)
          .Input(key_label)
          .Input(no_default)
          .Input(label_default)
          .Attr("Nsparse", 0)
          .Attr("Ndense", 2)
          .Attr("sparse_types", std::vector<DataType>{})
          .Attr("Tdense", std::vector<DataType>{DT_FLOAT, DT_STRING})
          .ShapeListAttr("dense_shapes", {{1}, {2}});
  return Parsed{parse.Output(0), parse.Output(1)};
}

}  // namespace

absl::StatusOr<std::unique_ptr<LoadedModel>> LoadExampleTestModel(
    const std::string& export_dir) {
  SavedModelWriter writer;
  GraphBuilder& g = writer.graph();
  const std::string examples = g.Placeholder("tf_example", DT_STRING, {-1});
  const Parsed parsed = AddParseExample(g, "parse", examples);
  const std::string x = g.Identity("x", parsed.x, DT_FLOAT);
  const std::string labels = g.Identity("labels", parsed.labels, DT_STRING);
  const std::string two = g.Const("two", Tensor::Scalar(2.0f));
  const std::string two_x = g.Binary("two_x", "Mul", x, two, DT_FLOAT);
  const std::string axis = g.Const("axis", Tensor::Scalar<int32_t>(1));
  const std::string x_and_2x = g.Op("x_and_2x", "ConcatV2")
                                   .Input(x)
                                   .Input(two_x)
                                   .Input(axis)
                                   .Attr("N", 2)
                                   .Attr("T", DT_FLOAT)
                                   .Attr("Tidx", DT_INT32)
                                   .Output(0);
  const std::string flat_shape =
      g.Const("flat_shape", Tensor::FromVector<int32_t>({-1}, TensorShape{1}));
  const std::string x_flat = g.Op("x_flat", "Reshape")
                                 .Input(x)
                                 .Input(flat_shape)
                                 .Attr("T", DT_FLOAT)
                                 .Attr("Tshape", DT_INT32)
                                 .Output(0);
  const std::string x_int = g.Op("x_int", "Cast")
                                .Input(x)
                                .Attr("SrcT", DT_FLOAT)
                                .Attr("DstT", DT_INT64)
                                .Output(0);
  const std::string x_double = g.Op("x_double", "Cast")
                                   .Input(x)
                                   .Attr("SrcT", DT_FLOAT)
                                   .Attr("DstT", DT_DOUBLE)
                                   .Output(0);
  const std::string fixed =
      g.Const("fixed", Tensor::FromVector<float>({1.0f}, TensorShape{1, 1}));
  const std::string x2 = g.Placeholder("x2", DT_FLOAT, {-1, 1});
  const std::string other = g.Placeholder("other_examples", DT_STRING, {-1});
  const Parsed other_parsed = AddParseExample(g, "other_parse", other);
  const std::string missing =
      g.Op("missing", "NoSuchOp").Input(x).Attr("T", DT_FLOAT).Output(0);

  auto classify = [&](const std::string& key) {
    return writer.AddSignature(key, kClassifyMethodName)
        .Input("inputs", examples, DT_STRING, {-1});
  };
  auto regress = [&](const std::string& key) {
    return writer.AddSignature(key, kRegressMethodName)
        .Input("inputs", examples, DT_STRING, {-1});
  };
  classify("classify_both")
      .Output("classes", labels, DT_STRING, {-1, 2})
      .Output("scores", x_and_2x, DT_FLOAT, {-1, 2});
  classify("classify_scores").Output("scores", x, DT_FLOAT, {-1, 1});
  classify("classify_classes").Output("classes", labels, DT_STRING, {-1, 2});
  classify("classify_rank1").Output("scores", x_flat, DT_FLOAT, {-1});
  classify("classify_mismatch")
      .Output("classes", labels, DT_STRING, {-1, 2})
      .Output("scores", x, DT_FLOAT, {-1, 1});
  classify("classify_int_scores").Output("scores", x_int, DT_INT64, {-1, 1});
  classify("classify_fixed").Output("scores", fixed, DT_FLOAT, {1, 1});
  regress("regress").Output("outputs", x, DT_FLOAT, {-1, 1});
  regress("regress_rank1").Output("outputs", x_flat, DT_FLOAT, {-1});
  regress("regress_wide").Output("outputs", x_and_2x, DT_FLOAT, {-1, 2});
  regress("regress_double").Output("outputs", x_double, DT_DOUBLE, {-1, 1});
  writer.AddSignature("regress_float_input", kRegressMethodName)
      .Input("inputs", x2, DT_FLOAT, {-1, 1})
      .Output("outputs", x2, DT_FLOAT, {-1, 1});
  regress("regress_two_inputs")
      .Input("x2", x2, DT_FLOAT, {-1, 1})
      .Output("outputs", x, DT_FLOAT, {-1, 1});
  writer.AddSignature("regress_other_input", kRegressMethodName)
      .Input("inputs", other, DT_STRING, {-1})
      .Output("outputs", other_parsed.x, DT_FLOAT, {-1, 1});
  regress("regress_no_outputs").Output("values", x, DT_FLOAT, {-1, 1});
  writer.AddSignature("classify_bad_input", kClassifyMethodName)
      .Input("examples", examples, DT_STRING, {-1})
      .Output("scores", x, DT_FLOAT, {-1, 1});
  writer.AddSignature("predict_x", kPredictMethodName)
      .Input("inputs", examples, DT_STRING, {-1})
      .Output("outputs", x, DT_FLOAT, {-1, 1});
  regress("missing_op").Output("outputs", missing, DT_FLOAT, {-1, 1});
  writer.AddSignature("custom_method", "example.com/custom")
      .Input("inputs", examples, DT_STRING, {-1})
      .Output("outputs", x, DT_FLOAT, {-1, 1});

  absl::Status written = writer.Write(export_dir);
  if (!written.ok()) return written;
  return LoadedModel::Load(export_dir, LoadOptions());
}

std::string* ExampleTestModelSuite::export_dir_ = nullptr;
LoadedModel* ExampleTestModelSuite::model_ = nullptr;

void ExampleTestModelSuite::SetUpTestSuite() {
  std::string pattern = ::testing::TempDir() + "example_model_XXXXXX";
  ASSERT_NE(mkdtemp(pattern.data()), nullptr) << pattern;
  export_dir_ = new std::string(pattern);
  auto model = LoadExampleTestModel(*export_dir_ + "/1");
  ASSERT_TRUE(model.ok()) << model.status();
  model_ = model->release();
}

void ExampleTestModelSuite::TearDownTestSuite() {
  delete model_;
  model_ = nullptr;
  if (export_dir_ != nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(*export_dir_, ignored);
    delete export_dir_;
    export_dir_ = nullptr;
  }
}

tensorflow::Example ExampleWithX(float x) {
  tensorflow::Example example;
  (*example.mutable_features()->mutable_feature())["x"]
      .mutable_float_list()
      ->add_value(x);
  return example;
}

SerializedInput ExampleListInput(const std::vector<tensorflow::Example>& list) {
  SerializedInput input;
  auto* examples = input.mutable_example_list();
  for (const tensorflow::Example& example : list) {
    examples->add_examples(example.SerializeAsString());
  }
  return input;
}

}  // namespace testing
}  // namespace model_server
