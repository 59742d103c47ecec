# Install rules: the plugin, the SDK headers and schemas, the CLI, and the
# package files that let consumers find them (CMake config and pkg-config).
include(CMakePackageConfigHelpers)

set(CASECHECK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/casecheck)
set(CASECHECK_SCHEMA_DIR ${CMAKE_INSTALL_DATADIR}/casecheck/schema)

install(TARGETS casecheck_sdk EXPORT casecheckTargets)
install(TARGETS casecheck_plugin EXPORT casecheckTargets
    LIBRARY DESTINATION ${CASECHECK_PLUGIN_INSTALL_DIR} COMPONENT runtime)
install(TARGETS casecheck_cli EXPORT casecheckTargets
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT runtime)
install(DIRECTORY sdk/include/casecheck DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} COMPONENT development)
install(DIRECTORY sdk/schema/ DESTINATION ${CASECHECK_SCHEMA_DIR} COMPONENT development FILES_MATCHING PATTERN "*.json" PATTERN "*.xsd")

install(EXPORT casecheckTargets NAMESPACE casecheck:: DESTINATION ${CASECHECK_CMAKE_DIR} COMPONENT development)
configure_package_config_file(cmake/casecheckConfig.cmake.in
    ${PROJECT_BINARY_DIR}/casecheckConfig.cmake
    INSTALL_DESTINATION ${CASECHECK_CMAKE_DIR}
    PATH_VARS CASECHECK_SCHEMA_DIR)
# Minor versions only append to the ABI, so any 0.x/1.x consumer of the same major works.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/casecheckConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/casecheckConfig.cmake ${PROJECT_BINARY_DIR}/casecheckConfigVersion.cmake
    DESTINATION ${CASECHECK_CMAKE_DIR} COMPONENT development)

# pkg-config: paths relative to the .pc file, so the installed tree can be moved.
set(CASECHECK_PC_DIR ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
file(RELATIVE_PATH CASECHECK_PC_TO_PREFIX ${CMAKE_INSTALL_PREFIX}/${CASECHECK_PC_DIR} ${CMAKE_INSTALL_PREFIX})
string(REGEX REPLACE "/$" "" CASECHECK_PC_TO_PREFIX "${CASECHECK_PC_TO_PREFIX}")
configure_file(cmake/casecheck.pc.in ${PROJECT_BINARY_DIR}/casecheck.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/casecheck.pc DESTINATION ${CASECHECK_PC_DIR} COMPONENT development)
