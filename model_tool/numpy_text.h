// A tensor printed the way numpy prints an array with print(array), which is
// what saved_model_cli run shows: "[[2.5]\n [3. ]]". Floats use numpy's
// default 'maxprec' style (shortest digits that identify the value, at most
// 8 after the point, points aligned; scientific notation when values span
// more than 1e3 or reach 1e8 or fall below 1e-4); integers and booleans are
// right-aligned; strings print as Python bytes literals (b'...'). Lines wrap
// at 75 characters and arrays of more than 1000 elements are summarized with
// "..." (3 items at each edge), as numpy does.
#ifndef MODEL_SERVER_MODEL_TOOL_NUMPY_TEXT_H_
#define MODEL_SERVER_MODEL_TOOL_NUMPY_TEXT_H_

#include <string>

#include "runtime/tensor.h"

namespace model_server {

std::string NumpyText(const Tensor& tensor);

}  // namespace model_server

#endif  // MODEL_SERVER_MODEL_TOOL_NUMPY_TEXT_H_
