# Run by ctest when python/ built no module: fails with the reason.
message(FATAL_ERROR "the Python module was not built: ${REASON} (see the "
                    "configure warning; -DTINYKWS_BUILD_PYTHON=OFF leaves it out)")
