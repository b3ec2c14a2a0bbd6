# Shared CMake helpers for tinykws targets.

# Adds the project's warning flags to a target.
function(tinykws_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow
                         -Wno-psabi)
endfunction()

# Applies a sanitizer choice to everything built after this call. Unknown
# values are a configure error rather than being silently ignored.
function(tinykws_apply_sanitizers choice)
  if(choice STREQUAL "none" OR choice STREQUAL "")
    return()
  elseif(choice STREQUAL "address")
    set(flags -fsanitize=address -fno-omit-frame-pointer)
  elseif(choice STREQUAL "undefined")
    set(flags -fsanitize=undefined -fno-sanitize-recover=undefined)
  elseif(choice STREQUAL "address+undefined")
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=undefined
              -fno-omit-frame-pointer)
  elseif(choice STREQUAL "thread")
    set(flags -fsanitize=thread -fno-omit-frame-pointer)
  else()
    message(FATAL_ERROR "TINYKWS_SANITIZE='${choice}' is not one of: none, "
                        "address, undefined, address+undefined, thread")
  endif()
  add_compile_options(${flags})
  add_link_options(${flags})
endfunction()

# Adds a static library that is part of tinykws, with warnings and the
# public include directory.
function(tinykws_add_library name)
  add_library(${name} STATIC ${ARGN})
  tinykws_warnings(${name})
  target_include_directories(${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/src>
    $<INSTALL_INTERFACE:${CMAKE_INSTALL_INCLUDEDIR}>)
endfunction()

# Adds a GoogleTest binary and registers its tests with ctest under LABELS.
#   tinykws_add_gtest(NAME name SOURCES ... LIBS ... LABELS ...)
function(tinykws_add_gtest)
  cmake_parse_arguments(ARG "" "NAME;PREFIX" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${ARG_NAME} ${ARG_SOURCES})
  tinykws_warnings(${ARG_NAME})
  target_link_libraries(${ARG_NAME} PRIVATE ${ARG_LIBS} GTest::gtest_main)
  target_compile_definitions(${ARG_NAME} PRIVATE
    TINYKWS_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    TINYKWS_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # PREFIX (e.g. "synth.") names a library's tests for `ctest -R`.
  gtest_discover_tests(${ARG_NAME} TEST_PREFIX "${ARG_PREFIX}"
                       TEST_LIST ${ARG_NAME}_TESTS DISCOVERY_TIMEOUT 60)
  # Labels are set after discovery, from the list of discovered tests:
  # through gtest_discover_tests(PROPERTIES) a second label would be read
  # as a property name.
  set(labels_file ${CMAKE_CURRENT_BINARY_DIR}/${ARG_NAME}_labels.cmake)
  file(WRITE ${labels_file}
       "if(${ARG_NAME}_TESTS)\n"
       "  set_tests_properties(\${${ARG_NAME}_TESTS} PROPERTIES LABELS \"${ARG_LABELS}\")\n"
       "endif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${labels_file})
endfunction()
