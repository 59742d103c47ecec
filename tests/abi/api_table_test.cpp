// The function table: the one exported entry point, versions, and the self-description.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <boost/dll/shared_library.hpp>

namespace {

const casecheck_api* table_for_major(std::uint32_t major) {
    static boost::dll::shared_library library(CASECHECK_PLUGIN_PATH,
                                              boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    return library.get<const casecheck_api*(std::uint32_t)>(CASECHECK_ENTRY_SYMBOL)(major);
}

}  // namespace

TEST_CASE("casecheck_get_api serves ABI major 1 and no other") {
    CHECK(table_for_major(1) != nullptr);
    CHECK(table_for_major(0) == nullptr);
    CHECK(table_for_major(2) == nullptr);
    CHECK(table_for_major(0xFFFFFFFFu) == nullptr);
}

TEST_CASE("the table reports its size and version and has every v1 function") {
    const casecheck_api* api = table_for_major(CASECHECK_ABI_MAJOR);
    REQUIRE(api != nullptr);
    CHECK(api->struct_size == sizeof(casecheck_api));
    CHECK(api->abi_major == CASECHECK_ABI_MAJOR);
    CHECK(api->abi_minor == CASECHECK_ABI_MINOR);
    CHECK(api->reserved == 0);
    CHECK(CASECHECK_API_HAS(api, free_buffer));
    CHECK(api->version != nullptr);
    CHECK(api->status_name != nullptr);
    CHECK(api->engine_create != nullptr);
    CHECK(api->engine_destroy != nullptr);
    CHECK(api->check != nullptr);
    CHECK(api->free_buffer != nullptr);
}

TEST_CASE("version describes the plugin, its ABI and the criteria it checks") {
    const auto info = nlohmann::json::parse(table_for_major(1)->version());
    CHECK(info.at("name") == "casecheck");
    CHECK(info.at("version").get<std::string>().find('.') != std::string::npos);
    CHECK_FALSE(info.at("build").get<std::string>().empty());
    CHECK(info.at("abi") == nlohmann::json{{"major", 1}, {"minor", CASECHECK_ABI_MINOR}});
    const auto criteria = info.at("criteria");
    CHECK(std::find(criteria.begin(), criteria.end(), "RK-01") != criteria.end());
    CHECK(std::find(criteria.begin(), criteria.end(), "RK-03") != criteria.end());
    CHECK(info.at("rule_packs").is_array());
}

TEST_CASE("status_name names every status and falls back for unknown values") {
    const casecheck_api* api = table_for_major(1);
    CHECK(std::string(api->status_name(CASECHECK_OK)) == "OK");
    CHECK(std::string(api->status_name(CASECHECK_E_INVALID_ARGUMENT)) == "E_INVALID_ARGUMENT");
    CHECK(std::string(api->status_name(CASECHECK_E_PARSE)) == "E_PARSE");
    CHECK(std::string(api->status_name(CASECHECK_E_SCHEMA)) == "E_SCHEMA");
    CHECK(std::string(api->status_name(CASECHECK_E_LIMIT)) == "E_LIMIT");
    CHECK(std::string(api->status_name(CASECHECK_E_CONFIG)) == "E_CONFIG");
    CHECK(std::string(api->status_name(CASECHECK_E_VERSION)) == "E_VERSION");
    CHECK(std::string(api->status_name(CASECHECK_E_INTERNAL)) == "E_INTERNAL");
    CHECK(std::string(api->status_name(CASECHECK_E_OUT_OF_MEMORY)) == "E_OUT_OF_MEMORY");
    CHECK(std::string(api->status_name(CASECHECK_E_ENCODING)) == "E_ENCODING");
    CHECK(std::string(api->status_name(-1)) == "E_UNKNOWN");
    CHECK(std::string(api->status_name(1000)) == "E_UNKNOWN");
}
