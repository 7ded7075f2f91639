// How the REST API writes JSON: RapidJSON's PrettyWriter (4-space indents),
// driven exactly as TF Serving drives it, so responses match TF Serving's
// byte for byte, including its numbers:
//
//   - floats and doubles: absl::StrCat's six significant digits when that
//     reads back as the same value, otherwise max_digits10 digits ("%.9g" for
//     float, "%.17g" for double); ".0" appended to whole numbers written
//     without a point or exponent ("3.0", "1e+06"); NaN, Infinity and
//     -Infinity as bare tokens (TF Serving's util/json_tensor.cc WriteDecimal);
//   - integers and booleans as JSON numbers and literals.
#ifndef MODEL_SERVER_DAEMON_REST_JSON_WRITER_H_
#define MODEL_SERVER_DAEMON_REST_JSON_WRITER_H_

#include <string>

#include "absl/strings/string_view.h"
#include "rapidjson/prettywriter.h"
#include "rapidjson/stringbuffer.h"

namespace model_server {

using JsonWriter = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

// The text TF Serving writes for `value` (see the file comment).
std::string FormatJsonDecimal(float value);
std::string FormatJsonDecimal(double value);

// Writes `value` as a JSON number token (or NaN/Infinity/-Infinity).
void WriteJsonDecimal(float value, JsonWriter* writer);
void WriteJsonDecimal(double value, JsonWriter* writer);

// Writes a string: as a JSON string when `as_base64` is false and `bytes` is
// valid UTF-8, otherwise as {"b64": "<base64>"}.
void WriteJsonBytes(absl::string_view bytes, bool as_base64,
                    JsonWriter* writer);

// {"error": "<message>"} as TF Serving writes error bodies.
std::string JsonErrorBody(absl::string_view message);

}  // namespace model_server

#endif  // MODEL_SERVER_DAEMON_REST_JSON_WRITER_H_
