// cpp-host: a C++ host using the SDK's header-only wrapper (casecheck.hpp).
//
// Usage: cpp-host PLUGIN_PATH REQUEST_JSON_FILE
//
// The wrapper loads the plugin with Boost.DLL, keeps it loaded while the
// engine and buffers live, and turns failed statuses into exceptions, so the
// host's own code is just the happy path plus one catch.
#include "casecheck/casecheck.hpp"

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: cpp-host PLUGIN_PATH REQUEST_JSON_FILE\n";
        return 2;
    }
    std::ifstream file(argv[2], std::ios::binary);
    if (!file) {
        std::cerr << "cpp-host: cannot read " << argv[2] << "\n";
        return 2;
    }
    std::ostringstream request;
    request << file.rdbuf();

    try {
        const auto plugin = casecheck::plugin::load(argv[1]);
        std::cout << plugin.version() << "\n";
        // The clock is pinned so that the demo's output is the same on every run.
        const auto engine = plugin.create_engine(R"({"as_of": "2026-03-06T09:00:00Z"})");
        const casecheck::buffer response = engine.check(request.str());
        std::cout << response.view() << "\n";

        // A host would parse the response with its own JSON library; counting
        // the criterion keys keeps this example free of one.
        std::size_t prompts = 0;
        for (auto at = response.view().find("\"criterion\":"); at != std::string_view::npos;
             at = response.view().find("\"criterion\":", at + 1)) {
            ++prompts;
        }
        std::cout << "prompts: " << prompts << "\n";
        return 0;
    } catch (const casecheck::load_error& e) {
        std::cerr << "cpp-host: " << e.what() << "\n";
    } catch (const casecheck::error& e) {
        std::cerr << "cpp-host: " << e.what() << "\n";
    }
    return 1;
}
