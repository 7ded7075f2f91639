// Compiles and runs a GraphBuilder graph that calls functions of its own
// library (If/Case branches, While cond and body), for control-flow tests.
#ifndef MODEL_SERVER_TESTS_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_GRAPH_H_
#define MODEL_SERVER_TESTS_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_GRAPH_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "runtime/executor.h"
#include "runtime/function_library.h"
#include "runtime/graph.h"
#include "runtime/plan.h"
#include "runtime/resource.h"
#include "runtime/status_macros.h"
#include "tensorflow/core/framework/graph.pb.h"

namespace model_server {

class FunctionGraph {
 public:
  // Compiles `graph` (copied) for `feeds` -> `fetches` (tensor names).
  static absl::StatusOr<std::unique_ptr<FunctionGraph>> Compile(
      const tensorflow::GraphDef& graph, const std::vector<std::string>& feeds,
      const std::vector<std::string>& fetches,
      std::shared_ptr<ResourceManager> resources =
          std::make_shared<ResourceManager>()) {
    std::unique_ptr<FunctionGraph> result(new FunctionGraph());
    result->graph_def_ = graph;
    result->resources_ = std::move(resources);
    result->functions_ = std::make_unique<FunctionLibrary>(
        result->graph_def_.library(), result->resources_.get(), "");
    MS_ASSIGN_OR_RETURN(
        result->graph_,
        Graph::FromGraphDef(result->graph_def_, result->functions_.get()));
    CompileEnv env{result->resources_.get(), result->functions_.get(), ""};
    MS_ASSIGN_OR_RETURN(
        result->plan_,
        Plan::CompileByName(*result->graph_, feeds, fetches, {}, env));
    return result;
  }

  absl::StatusOr<std::vector<Tensor>> Run(
      const std::vector<Tensor>& feeds,
      const RunOptions& options = RunOptions()) const {
    std::vector<Tensor> fetches;
    MS_RETURN_IF_ERROR(RunPlan(*plan_, feeds, &fetches, options));
    return fetches;
  }

 private:
  FunctionGraph() = default;
  tensorflow::GraphDef graph_def_;
  std::shared_ptr<ResourceManager> resources_;
  std::unique_ptr<FunctionLibrary> functions_;
  std::unique_ptr<Graph> graph_;
  std::unique_ptr<Plan> plan_;
};

}  // namespace model_server

#endif  // MODEL_SERVER_TESTS_RUNTIME_KERNELS_CONTROL_FLOW_FUNCTION_GRAPH_H_
