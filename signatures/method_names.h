// The SignatureDef method_name values TF Serving knows, and the aliases its
// Classify and Regress APIs read (tensorflow/cc/saved_model's
// signature_constants). Header-only, so tools that write SavedModels can use
// them without linking the signatures library.
#ifndef MODEL_SERVER_SIGNATURES_METHOD_NAMES_H_
#define MODEL_SERVER_SIGNATURES_METHOD_NAMES_H_

namespace model_server {

inline constexpr char kPredictMethodName[] = "tensorflow/serving/predict";
inline constexpr char kClassifyMethodName[] = "tensorflow/serving/classify";
inline constexpr char kRegressMethodName[] = "tensorflow/serving/regress";

// Classify and Regress feed the one input with this alias.
inline constexpr char kExampleInputAlias[] = "inputs";
// Classify reads one or both of these outputs.
inline constexpr char kClassesOutputAlias[] = "classes";
inline constexpr char kScoresOutputAlias[] = "scores";
// Regress reads this output.
inline constexpr char kRegressionOutputAlias[] = "outputs";

// How strictly a signature is matched to the API that calls it.
struct SignatureCheckOptions {
  // --enable_signature_method_name_check: Predict accepts only the three
  // method names above, Classify/Regress only their own.
  bool check_method_name = false;
};

}  // namespace model_server

#endif  // MODEL_SERVER_SIGNATURES_METHOD_NAMES_H_
