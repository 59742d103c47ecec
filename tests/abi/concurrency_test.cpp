// Engines under concurrent use, and unloading while another host object is
// busy. Meaningful on every build; decisive under the tsan preset.
#include "plugin_fixture.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

using casecheck_test::good_note;
using casecheck_test::load_plugin;
using casecheck_test::request_for;
using nlohmann::json;

namespace {

// A small batch that produces prompts of both criteria, so every code path runs.
std::string busy_request() {
    json late = good_note();
    late["id"] = "note-late";
    late["recorded"] = "2026-03-06T10:00:00Z";
    json anonymous = good_note();
    anonymous["id"] = "note-anonymous";
    anonymous.erase("author");
    json bad = good_note();
    bad.erase("kind");
    return json{{"records", json::array({good_note(), late, anonymous, bad})}}.dump();
}

bool plugin_is_mapped() {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    const std::string name = std::filesystem::path(CASECHECK_PLUGIN_PATH).filename().string();
    while (std::getline(maps, line)) {
        if (line.find(name) != std::string::npos) return true;
    }
    return false;
}

}  // namespace

TEST_CASE("eight threads checking on one engine all get the single-threaded answer") {
    const auto engine = load_plugin().create_engine(R"({"as_of": "2026-03-07T00:00:00Z"})");
    const std::string request = busy_request();
    const std::string expected = engine.check(request).str();
    REQUIRE(json::parse(expected).at("prompts").size() >= 2);

    constexpr int thread_count = 8;
    constexpr int iterations = 200;
    std::atomic<int> mismatches{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < thread_count; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < iterations; ++i) {
                if (engine.check(request).view() != expected) ++mismatches;
            }
        });
    }
    for (auto& thread : threads) thread.join();
    CHECK(mismatches == 0);
}

TEST_CASE("destroying one host's engine and unloading it does not disturb another host") {
    const bool mapped_before = plugin_is_mapped();
    {
        auto host_a = std::make_unique<casecheck::plugin>(load_plugin());
        auto engine_a = std::make_unique<casecheck::engine>(host_a->create_engine());
        const auto host_b = load_plugin();
        const auto engine_b = host_b.create_engine();
        const std::string request = busy_request();
        const std::string expected = engine_b.check(request).str();

        std::atomic<bool> stop{false};
        std::atomic<int> checks{0};
        std::atomic<int> mismatches{0};
        std::thread worker([&] {
            while (!stop.load()) {
                if (engine_b.check(request).view() != expected) ++mismatches;
                ++checks;
            }
        });
        // Let the worker get going, then tear down host A underneath it.
        while (checks.load() < 20) std::this_thread::yield();
        CHECK(engine_a->check(request).view() == expected);
        engine_a.reset();
        host_a.reset();
        const int after_unload = checks.load();
        while (checks.load() < after_unload + 50) std::this_thread::yield();
        stop = true;
        worker.join();
        CHECK(mismatches == 0);
    }
    // With every host object gone the library must really leave the process:
    // nothing in the plugin (such as a thread_local with a destructor) may pin it.
    if (!mapped_before) CHECK_FALSE(plugin_is_mapped());
}
