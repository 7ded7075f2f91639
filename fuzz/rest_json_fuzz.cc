// Fuzz target: the REST JSON decoders. The input is a request body, parsed
// as the REST front end parses it, then decoded as a Predict body against
// each half_plus_two signature (float and string inputs) and as a
// Classify/Regress body.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "daemon/rest/json_document.h"
#include "daemon/rest/json_examples.h"
#include "daemon/rest/json_predict.h"
#include "fuzz/half_plus_two.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace model_server;
  const LoadedModel& model = fuzz::HalfPlusTwo();
  absl::StatusOr<std::unique_ptr<JsonDocument>> document = JsonDocument::Parse(
      absl::string_view(reinterpret_cast<const char*>(data), size));
  if (!document.ok()) return 0;
  for (const std::string& fallback : model.signatures().Keys()) {
    auto find_signature =
        [&](absl::string_view name) -> absl::StatusOr<const Signature*> {
      const Signature* signature =
          model.signatures().Find(name.empty() ? fallback : name);
      if (signature == nullptr) return absl::InvalidArgumentError("no such");
      return signature;
    };
    JsonPredictRequest request;
    (void)DecodePredictRequest(**document, find_signature, &request);
  }
  JsonExampleRequest examples;
  (void)DecodeExampleRequest(**document, &examples);
  return 0;
}
