// Checks a request with the installed plugin and prints "CRITERION severity" per prompt.
#include <casecheck/casecheck.hpp>

#include <fstream>
#include <iostream>
#include <sstream>

int main(int argc, char** argv) {
    if (argc != 2) return 2;
    std::ifstream file(argv[1], std::ios::binary);
    std::ostringstream request;
    request << file.rdbuf();
    try {
        const auto engine = casecheck::plugin::load(CASECHECK_PLUGIN_FILE).create_engine();
        const std::string response = engine.check(request.str()).str();
        // Pairs "criterion" with the "severity" that follows it; enough for a smoke test without a JSON library.
        for (auto at = response.find("\"criterion\":\""); at != std::string::npos;
             at = response.find("\"criterion\":\"", at + 1)) {
            const auto criterion = response.substr(at + 13, 5);
            const auto severity_at = response.find("\"severity\":\"", at) + 12;
            std::cout << criterion << " " << response.substr(severity_at, response.find('"', severity_at) - severity_at)
                      << "\n";
        }
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "consumer: " << e.what() << "\n";
        return 1;
    }
}
