// What every REST request body starts with (TF Serving's ParseJson and
// FillSignature): a JSON object, with an optional "signature_name" string.
// Templates over SimdJsonValue and RapidJsonValue (json_document.h).
#ifndef MODEL_SERVER_DAEMON_REST_JSON_REQUEST_H_
#define MODEL_SERVER_DAEMON_REST_JSON_REQUEST_H_

#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "daemon/rest/json_document.h"
#include "daemon/rest/json_tensor_decode.h"

namespace model_server {

// INVALID_ARGUMENT "JSON Value: <document> <what>", TF Serving's form.
template <typename JsonValue>
absl::Status JsonFormatError(const JsonValue& document,
                             absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("JSON Value: ", JsonText(document), " ", what));
}

// Checks that `document` is an object and reads its "signature_name" into
// *signature_name ("" when absent).
template <typename JsonValue>
absl::Status ReadRequestObject(const JsonValue& document,
                               std::string* signature_name) {
  if (document.type() != JsonType::kObject) {
    return JsonFormatError(document, "Is not object");
  }
  if (std::optional<JsonValue> name = document.Find("signature_name")) {
    if (name->type() != JsonType::kString) {
      return JsonFormatError(document,
                             "not formatted correctly. 'signature_name' key "
                             "must be a string value.");
    }
    *signature_name = std::string(name->GetString());
  }
  return absl::OkStatus();
}

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_REQUEST_H_
