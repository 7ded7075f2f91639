#!/usr/bin/python3
"""Calls model_server over gRPC the way a Python application would.

Uses Debian's python3-grpcio and python3-protobuf, with stubs generated from
model_server's protos (proto/ in the repository) by generate_stubs.sh:

    ./generate_stubs.sh /tmp/stubs           # protoc + grpc_python_plugin
    PYTHONPATH=/tmp/stubs ./client.py localhost:8500 half_plus_two

On TF Serving's half_plus_two example model (y = 0.5 x + 2) it prints:

    health: SERVING
    status: version 123 AVAILABLE
    metadata: signatures classify_x_to_y, regress_x2_to_y3, regress_x_to_y,
      regress_x_to_y2, serving_default
    predict: x=[1.0, 2.0, 5.0] -> y=[2.5, 3.0, 4.5]
    classify: x=2.0 -> score 3.0
"""

import sys

import grpc

from grpc_health.v1 import health_pb2
from grpc_health.v1 import health_pb2_grpc
from tensorflow.core.example import example_pb2
from tensorflow.core.framework import tensor_pb2
from tensorflow.core.framework import tensor_shape_pb2
from tensorflow.core.framework import types_pb2
from tensorflow_serving.apis import classification_pb2
from tensorflow_serving.apis import get_model_metadata_pb2
from tensorflow_serving.apis import get_model_status_pb2
from tensorflow_serving.apis import model_service_pb2_grpc
from tensorflow_serving.apis import predict_pb2
from tensorflow_serving.apis import prediction_service_pb2_grpc

TIMEOUT_SECONDS = 10


def float_tensor(values):
    """A DT_FLOAT TensorProto of shape [len(values)]."""
    return tensor_pb2.TensorProto(
        dtype=types_pb2.DT_FLOAT,
        tensor_shape=tensor_shape_pb2.TensorShapeProto(
            dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=len(values))]),
        float_val=values)


def main(address, model):
    channel = grpc.insecure_channel(address)
    health = health_pb2_grpc.HealthStub(channel)
    models = model_service_pb2_grpc.ModelServiceStub(channel)
    predictions = prediction_service_pb2_grpc.PredictionServiceStub(channel)

    answer = health.Check(health_pb2.HealthCheckRequest(service=""),
                          timeout=TIMEOUT_SECONDS)
    print("health:",
          health_pb2.HealthCheckResponse.ServingStatus.Name(answer.status))

    request = get_model_status_pb2.GetModelStatusRequest()
    request.model_spec.name = model
    status = models.GetModelStatus(request, timeout=TIMEOUT_SECONDS)
    for version in status.model_version_status:
        print("status: version %d %s" % (
            version.version,
            get_model_status_pb2.ModelVersionStatus.State.Name(version.state)))

    request = get_model_metadata_pb2.GetModelMetadataRequest()
    request.model_spec.name = model
    request.metadata_field.append("signature_def")
    metadata = predictions.GetModelMetadata(request, timeout=TIMEOUT_SECONDS)
    signatures = get_model_metadata_pb2.SignatureDefMap()
    metadata.metadata["signature_def"].Unpack(signatures)
    print("metadata: signatures " +
          ", ".join(sorted(signatures.signature_def.keys())))

    request = predict_pb2.PredictRequest()
    request.model_spec.name = model
    x = [1.0, 2.0, 5.0]
    request.inputs["x"].CopyFrom(float_tensor(x))
    response = predictions.Predict(request, timeout=TIMEOUT_SECONDS)
    y = list(response.outputs["y"].float_val)
    print("predict: x=%s -> y=%s" % (x, y))

    request = classification_pb2.ClassificationRequest()
    request.model_spec.name = model
    request.model_spec.signature_name = "classify_x_to_y"
    example = example_pb2.Example()
    example.features.feature["x"].float_list.value.append(2.0)
    request.input.example_list.examples.append(example)
    response = predictions.Classify(request, timeout=TIMEOUT_SECONDS)
    score = response.result.classifications[0].classes[0].score
    print("classify: x=2.0 -> score %s" % score)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: client.py <host:port> <model name>")
    sys.exit(main(sys.argv[1], sys.argv[2]))
