// Calls model_server over gRPC the way a Java application would, with plain
// javac and Debian's jars (libgrpc-java, libprotobuf-java, libnetty-java,
// libguava-java, libperfmark-java), no Maven or Gradle. run.sh generates the
// messages and stubs from model_server's protos (protoc and
// protobuf-compiler-grpc-java-plugin), compiles and runs this class:
//
//   ./run.sh localhost:8500 half_plus_two
//
// On TF Serving's half_plus_two example model (y = 0.5 x + 2) it prints
// what examples/expected_output.txt holds, as the Python example does.
import com.google.protobuf.InvalidProtocolBufferException;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import tensorflow.ExampleOuterClass.Example;
import tensorflow.FeatureOuterClass.Feature;
import tensorflow.FeatureOuterClass.Features;
import tensorflow.FeatureOuterClass.FloatList;
import tensorflow.Tensor.TensorProto;
import tensorflow.TensorShape.TensorShapeProto;
import tensorflow.Types.DataType;
import tensorflow.serving.Classification.ClassificationRequest;
import tensorflow.serving.Classification.ClassificationResponse;
import tensorflow.serving.GetModelMetadata.GetModelMetadataRequest;
import tensorflow.serving.GetModelMetadata.GetModelMetadataResponse;
import tensorflow.serving.GetModelMetadata.SignatureDefMap;
import tensorflow.serving.GetModelStatus.GetModelStatusRequest;
import tensorflow.serving.GetModelStatus.GetModelStatusResponse;
import tensorflow.serving.GetModelStatus.ModelVersionStatus;
import tensorflow.serving.InputOuterClass.ExampleList;
import tensorflow.serving.InputOuterClass.Input;
import tensorflow.serving.Model.ModelSpec;
import tensorflow.serving.ModelServiceGrpc;
import tensorflow.serving.Predict.PredictRequest;
import tensorflow.serving.Predict.PredictResponse;
import tensorflow.serving.PredictionServiceGrpc;

public final class Client {
  private static final long TIMEOUT_SECONDS = 10;

  public static void main(String[] args)
      throws InterruptedException, InvalidProtocolBufferException {
    if (args.length != 2) {
      System.err.println("usage: Client <host:port> <model name>");
      System.exit(2);
    }
    String model = args[1];
    ManagedChannel channel =
        ManagedChannelBuilder.forTarget(args[0]).usePlaintext().build();
    try {
      HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      HealthCheckResponse healthResponse =
          health.check(HealthCheckRequest.newBuilder().setService("").build());
      System.out.println("health: " + healthResponse.getStatus());

      ModelSpec spec = ModelSpec.newBuilder().setName(model).build();
      ModelServiceGrpc.ModelServiceBlockingStub models =
          ModelServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      GetModelStatusResponse status = models.getModelStatus(
          GetModelStatusRequest.newBuilder().setModelSpec(spec).build());
      for (ModelVersionStatus version : status.getModelVersionStatusList()) {
        System.out.println("status: version " + version.getVersion() + " "
            + version.getState());
      }

      PredictionServiceGrpc.PredictionServiceBlockingStub predictions =
          PredictionServiceGrpc.newBlockingStub(channel)
              .withDeadlineAfter(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      GetModelMetadataResponse metadata =
          predictions.getModelMetadata(GetModelMetadataRequest.newBuilder()
                                           .setModelSpec(spec)
                                           .addMetadataField("signature_def")
                                           .build());
      SignatureDefMap signatures =
          metadata.getMetadataOrThrow("signature_def").unpack(SignatureDefMap.class);
      System.out.println("metadata: signatures "
          + String.join(", ", new TreeSet<>(signatures.getSignatureDefMap().keySet())));

      List<Float> x = List.of(1.0f, 2.0f, 5.0f);
      TensorProto xTensor =
          TensorProto.newBuilder()
              .setDtype(DataType.DT_FLOAT)
              .setTensorShape(TensorShapeProto.newBuilder().addDim(
                  TensorShapeProto.Dim.newBuilder().setSize(x.size())))
              .addAllFloatVal(x)
              .build();
      PredictResponse predicted = predictions.predict(
          PredictRequest.newBuilder().setModelSpec(spec).putInputs("x", xTensor).build());
      List<Float> y = new ArrayList<>(predicted.getOutputsOrThrow("y").getFloatValList());
      System.out.println("predict: x=" + x + " -> y=" + y);

      Example example =
          Example.newBuilder()
              .setFeatures(Features.newBuilder().putFeature("x",
                  Feature.newBuilder()
                      .setFloatList(FloatList.newBuilder().addValue(2.0f))
                      .build()))
              .build();
      ClassificationResponse classified = predictions.classify(
          ClassificationRequest.newBuilder()
              .setModelSpec(spec.toBuilder().setSignatureName("classify_x_to_y"))
              .setInput(Input.newBuilder().setExampleList(
                  ExampleList.newBuilder().addExamples(example)))
              .build());
      float score =
          classified.getResult().getClassifications(0).getClasses(0).getScore();
      System.out.println("classify: x=2.0 -> score " + score);
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
