# Installs the compiler, the runtime (library + headers) and the find_package(mcc) config.
include(CMakePackageConfigHelpers)
include(GNUInstallDirs)

install(TARGETS mcc_rt EXPORT mccTargets ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/mcc DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
if(MCC_BUILD_COMPILER)
  install(TARGETS mcc mcc-run RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()
set(MCC_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/mcc)
install(EXPORT mccTargets NAMESPACE mcc:: DESTINATION ${MCC_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/mccConfig.cmake.in
  ${PROJECT_BINARY_DIR}/mccConfig.cmake INSTALL_DESTINATION ${MCC_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/mccConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/mccConfig.cmake ${PROJECT_BINARY_DIR}/mccConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/MccAddModel.cmake DESTINATION ${MCC_CMAKE_DIR})
