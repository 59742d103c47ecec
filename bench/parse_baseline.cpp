// The audit benchmark's baseline: the same NDJSON through nlohmann::json::parse
// alone, one thread, line by line, read in large blocks as the audit reads it.
// DESIGN.md asks the audit for at least 40% of this rate. Prints one JSON object.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: casecheck_parse_baseline FILE.ndjson\n";
        return 2;
    }
    std::ifstream file(argv[1], std::ios::binary);
    if (!file) {
        std::cerr << "casecheck_parse_baseline: cannot read " << argv[1] << "\n";
        return 2;
    }
    std::vector<char> block(std::size_t{8} << 20);
    std::string carry;
    std::uint64_t bytes = 0, lines = 0, members = 0;
    const auto started = std::chrono::steady_clock::now();
    const auto parse = [&](std::string_view line) {
        if (line.empty()) return;
        const auto document = nlohmann::json::parse(line);
        members += document.size();  // keeps the parse from being optimised away
        ++lines;
    };
    while (file) {
        file.read(block.data(), static_cast<std::streamsize>(block.size()));
        const std::string_view read(block.data(), static_cast<std::size_t>(file.gcount()));
        bytes += read.size();
        std::size_t start = 0;
        for (std::size_t end = read.find('\n'); end != std::string_view::npos; end = read.find('\n', start)) {
            if (!carry.empty()) {
                carry.append(read.substr(start, end - start));
                parse(carry);
                carry.clear();
            } else {
                parse(read.substr(start, end - start));
            }
            start = end + 1;
        }
        carry.append(read.substr(start));
    }
    parse(carry);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("{\"bytes\": %llu, \"lines\": %llu, \"members\": %llu, \"seconds\": %.3f, \"mb_per_s\": %.1f, \"lines_per_s\": %.0f}\n",
                static_cast<unsigned long long>(bytes), static_cast<unsigned long long>(lines), static_cast<unsigned long long>(members),
                seconds, static_cast<double>(bytes) / 1e6 / seconds, static_cast<double>(lines) / seconds);
    return 0;
}
