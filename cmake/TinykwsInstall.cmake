# Install rules: the shared runtime library and the static micro runtime,
# their public headers, a CMake package (find_package(tinykws): the targets
# tinykws::tinykws and tinykws::micro) and a pkg-config file for each
# (tinykws.pc, tinykws_micro.pc).
include(CMakePackageConfigHelpers)

install(TARGETS tinykws EXPORT tinykwsTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES
        ${PROJECT_SOURCE_DIR}/include/tinykws/tinykws.h
        ${PROJECT_SOURCE_DIR}/include/tinykws/runtime.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/spotter.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/resampler.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/detector.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/features.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/status.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/export.hpp
        ${PROJECT_SOURCE_DIR}/include/tinykws/micro.h
        ${PROJECT_SOURCE_DIR}/include/tinykws/micro_resampler.h
        ${PROJECT_SOURCE_DIR}/include/tinykws/model_limits.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/tinykws)
install(TARGETS tinykws_micro EXPORT tinykwsTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT tinykwsTargets NAMESPACE tinykws::
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tinykws)
configure_package_config_file(
  ${PROJECT_SOURCE_DIR}/cmake/tinykwsConfig.cmake.in
  ${PROJECT_BINARY_DIR}/tinykwsConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tinykws)
write_basic_package_version_file(
  ${PROJECT_BINARY_DIR}/tinykwsConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/tinykwsConfig.cmake
              ${PROJECT_BINARY_DIR}/tinykwsConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/tinykws)
# Relative to the .pc file, so an install into any --prefix works.
file(RELATIVE_PATH TINYKWS_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
foreach(pc tinykws tinykws_micro)
  configure_file(${PROJECT_SOURCE_DIR}/cmake/${pc}.pc.in
                 ${PROJECT_BINARY_DIR}/${pc}.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/${pc}.pc
          DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
endforeach()
