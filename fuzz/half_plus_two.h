// The README's half_plus_two model (tools/example_model.h), written to the
// process's temp dir and loaded once, for targets that need real signatures
// (the REST decoders, warmup).
#ifndef MODEL_SERVER_FUZZ_HALF_PLUS_TWO_H_
#define MODEL_SERVER_FUZZ_HALF_PLUS_TWO_H_

#include "loader/loaded_model.h"

namespace model_server::fuzz {

// Aborts if the model cannot be written or loaded (not a finding).
const LoadedModel& HalfPlusTwo();

}  // namespace model_server::fuzz

#endif  // MODEL_SERVER_FUZZ_HALF_PLUS_TWO_H_
