# `cmake --build --preset demo`: the main job on the bundled sample data, shown
# the way a host sees it (see README).
add_custom_target(demo
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck version"
    COMMAND $<TARGET_FILE:casecheck_cli> version
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck check examples/data/batch.json (a batch of four notes; one is malformed)"
    COMMAND $<TARGET_FILE:casecheck_cli> check --table ${PROJECT_SOURCE_DIR}/examples/data/batch.json
    COMMAND ${CMAKE_COMMAND} -E echo "== the prompts for one note, as the response document a host receives"
    COMMAND $<TARGET_FILE:casecheck_cli> check --json ${PROJECT_SOURCE_DIR}/examples/data/case-ada.json
    DEPENDS casecheck_cli casecheck_plugin
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    USES_TERMINAL
    VERBATIM)
