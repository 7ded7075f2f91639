# MODEL_SERVER_FUZZ=ON: every compile gets AddressSanitizer, UndefinedBehavior-
# Sanitizer (fatal) and libFuzzer's coverage instrumentation; fuzz/ links the
# libFuzzer main into its targets. -O1 with line tables keeps Eigen-heavy
# kernels quick to compile and stack traces readable.
#
# MODEL_SERVER_FUZZ_PREBUILT_KERNELS=<path to libmodel_server_kernels.a>
# links the kernels from a normal build instead of compiling all of them
# again with clang (about an hour on two cores): the parsers, loader, plan
# compiler and executor stay instrumented, kernel bodies do not. The
# targets that need no kernels (bundle, TensorProto, Example, images,
# config) never link that library.
set(MODEL_SERVER_FUZZ_PREBUILT_KERNELS "" CACHE FILEPATH
    "Fuzz builds: link this prebuilt kernels library instead of building it")
if(MODEL_SERVER_FUZZ_PREBUILT_KERNELS AND NOT MODEL_SERVER_FUZZ)
  message(FATAL_ERROR "MODEL_SERVER_FUZZ_PREBUILT_KERNELS needs MODEL_SERVER_FUZZ")
endif()
if(MODEL_SERVER_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "MODEL_SERVER_FUZZ needs clang: configure with "
            "-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(MODEL_SERVER_SANITIZERS -fsanitize=address,undefined
      -fno-sanitize-recover=all)
  add_compile_options(-O1 -gline-tables-only -fno-omit-frame-pointer
                      ${MODEL_SERVER_SANITIZERS} -fsanitize=fuzzer-no-link)
  add_link_options(${MODEL_SERVER_SANITIZERS})
endif()
