# `cmake --build --preset demo`: the main job, shown the way its users see it (see README).
# First a quality team's audit: 2,000 client cases made by the bundled generator with a
# fixed seed (so every run audits the same bytes), reported as HTML, JSON, CSV and FHIR
# with a summary table. Then a clinician's view: the prompts for the hand-written samples.
set(casecheck_demo_dir ${CMAKE_BINARY_DIR}/demo)
add_custom_target(demo
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck version"
    COMMAND $<TARGET_FILE:casecheck_cli> version
    COMMAND ${CMAKE_COMMAND} -E make_directory ${casecheck_demo_dir}
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck generate: 2000 synthetic client cases (seed 7, 15% of records with an injected defect)"
    COMMAND $<TARGET_FILE:casecheck_cli> generate --clients 2000 --seed 7 --defect-rate 0.15 --as-of 2026-06-30T12:00:00Z
            --out ${casecheck_demo_dir}/cases.ndjson
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck audit: compliance per criterion, team, author, kind and month"
    COMMAND $<TARGET_FILE:casecheck_cli> audit ${casecheck_demo_dir}/cases.ndjson --as-of 2026-06-30T12:00:00Z
            --out ${casecheck_demo_dir}/audit
    COMMAND ${CMAKE_COMMAND} -E echo "== open ${casecheck_demo_dir}/audit/report.html in a browser for the charts"
    COMMAND ${CMAKE_COMMAND} -E echo "== casecheck check examples/data/batch.json (a batch of four notes; one is malformed)"
    COMMAND $<TARGET_FILE:casecheck_cli> check --table ${PROJECT_SOURCE_DIR}/examples/data/batch.json
    COMMAND ${CMAKE_COMMAND} -E echo "== the prompts for one note, as the response document a host receives"
    COMMAND $<TARGET_FILE:casecheck_cli> check --json ${PROJECT_SOURCE_DIR}/examples/data/case-ada.json
    DEPENDS casecheck_cli casecheck_plugin
    WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
    USES_TERMINAL
    VERBATIM)
