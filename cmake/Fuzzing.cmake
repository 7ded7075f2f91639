# MODEL_SERVER_FUZZ=ON: every compile gets AddressSanitizer, UndefinedBehavior-
# Sanitizer (fatal) and libFuzzer's coverage instrumentation; fuzz/ links the
# libFuzzer main into its targets. -O1 with line tables keeps Eigen-heavy
# kernels quick to compile and stack traces readable.
#
# MODEL_SERVER_PREBUILT_KERNELS (runtime/CMakeLists.txt) links the kernels
# of a normal build instead of compiling all of them again with clang (about
# an hour on two cores): the parsers, loader, plan compiler and executor stay
# instrumented, kernel bodies do not. The targets that need no kernels
# (bundle, TensorProto, Example, images, config) never link that library.
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
