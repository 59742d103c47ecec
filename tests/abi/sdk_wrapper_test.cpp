// casecheck.hpp: loading, ownership and errors on the host side.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

using casecheck_test::good_note;
using casecheck_test::load_plugin;
using casecheck_test::request_for;

TEST_CASE("loading a missing file is a load_error naming the path") {
    try {
        casecheck::plugin::load("/nonexistent/libcasecheck.so");
        FAIL("load succeeded");
    } catch (const casecheck::load_error& e) {
        CHECK(std::string(e.what()).find("/nonexistent/libcasecheck.so") != std::string::npos);
    }
}

TEST_CASE("loading a library that is not a casecheck plugin is a load_error") {
    // libm is on every glibc system and exports no casecheck_get_api.
    CHECK_THROWS_AS(casecheck::plugin::load("libm.so.6"), casecheck::load_error);
}

TEST_CASE("a failed status becomes casecheck::error with the status and message") {
    const auto plugin = load_plugin();
    try {
        plugin.create_engine(R"({"unknown": true})");
        FAIL("engine_create succeeded");
    } catch (const casecheck::error& e) {
        CHECK(e.status() == CASECHECK_E_CONFIG);
        CHECK(e.status_name() == "E_CONFIG");
        CHECK(std::string(e.what()).find("/unknown") != std::string::npos);
    }
    const auto engine = plugin.create_engine();
    try {
        engine.check(R"({"record": {"kind": "note"}})");
        FAIL("check succeeded");
    } catch (const casecheck::error& e) {
        CHECK(e.status() == CASECHECK_E_SCHEMA);
        CHECK(std::string(e.what()).find("/record/id") != std::string::npos);
    }
}

TEST_CASE("an engine keeps the plugin loaded after the plugin object is gone") {
    auto make_engine = [] { return load_plugin().create_engine(); };
    const auto engine = make_engine();
    const auto response = engine.check(request_for(good_note()));
    CHECK(nlohmann::json::parse(response.view()).at("records_checked") == 1);
}

TEST_CASE("a buffer stays valid after its engine is destroyed") {
    casecheck::buffer response;
    {
        const auto engine = load_plugin().create_engine();
        response = engine.check(request_for(good_note()));
    }
    CHECK(nlohmann::json::parse(response.view()).at("flavour") == "native");
}

TEST_CASE("engines and buffers move without double frees") {
    const auto plugin = load_plugin();
    auto first = plugin.create_engine();
    auto second = std::move(first);
    auto response = second.check(request_for(good_note()));
    auto moved = std::move(response);
    CHECK(response.size() == 0);
    CHECK(moved.size() > 0);
    CHECK(response.view().empty());
}
