# Uses ccache when it is installed, so rebuilds (and builds of several
# checkouts) reuse earlier compiles. Turn off with -DMODEL_SERVER_CCACHE=OFF.
option(MODEL_SERVER_CCACHE "Compile through ccache when it is installed" ON)
if(MODEL_SERVER_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  find_program(MODEL_SERVER_CCACHE_PROGRAM ccache)
  if(MODEL_SERVER_CCACHE_PROGRAM)
    set(CMAKE_C_COMPILER_LAUNCHER ${MODEL_SERVER_CCACHE_PROGRAM})
    set(CMAKE_CXX_COMPILER_LAUNCHER ${MODEL_SERVER_CCACHE_PROGRAM})
  endif()
endif()
