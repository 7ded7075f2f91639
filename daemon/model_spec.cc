#include "daemon/model_spec.h"

namespace model_server {

ServableRequest ServableRequestFromModelSpec(
    const tensorflow::serving::ModelSpec& spec) {
  switch (spec.version_choice_case()) {
    case tensorflow::serving::ModelSpec::kVersion:
      return ServableRequest::Specific(spec.name(), spec.version().value());
    case tensorflow::serving::ModelSpec::kVersionLabel:
      return ServableRequest::Labeled(spec.name(), spec.version_label());
    case tensorflow::serving::ModelSpec::VERSION_CHOICE_NOT_SET:
      break;
  }
  return ServableRequest::Latest(spec.name());
}

}  // namespace model_server
