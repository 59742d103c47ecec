// casecheck-cds-service: casecheck's prompts as a CDS Hooks 2.0 service.
//
//   casecheck-cds-service --config FILE [--port N]     serve until SIGTERM/SIGINT
//   casecheck-cds-service feedback-report LOG [--dismissed]
//                                                      override rates from the feedback log (JSON), or
//                                                      the overridden prompts as audit "dismissed" lines
#include "authenticator.hpp"
#include "config.hpp"
#include "feedback_log.hpp"
#include "server.hpp"
#include "services.hpp"

#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <thread>

namespace {

using namespace casecheck::cds;

int usage() {
    std::cerr << "usage: casecheck-cds-service --config FILE [--port N]\n"
                 "       casecheck-cds-service feedback-report LOG [--dismissed]\n";
    return 2;
}

int feedback_report(int argc, char** argv) {
    if (argc < 3) return usage();
    const bool dismissed = argc > 3 && std::string(argv[3]) == "--dismissed";
    const FeedbackSummary summary = read_feedback_log(argv[2]);
    if (!dismissed) {
        std::cout << summary_report(summary).dump(2) << "\n";
        return 0;
    }
    // The audit counts overrides from "dismissed": [{"prompt", "reason"}] in each case line.
    for (const auto& entry : summary.entries) {
        if (entry.outcome != "overridden") continue;
        nlohmann::ordered_json line = {{"prompt", entry.prompt}, {"reason", entry.reason_code.empty() ? "unspecified" : entry.reason_code},
                                       {"criterion", entry.criterion}, {"service", entry.service}};
        std::cout << line.dump() << "\n";
    }
    return 0;
}

int serve(const std::string& config_file, int port_override) {
    ServiceConfig config = load_config(config_file);
    if (port_override >= 0) config.listen_port = static_cast<std::uint16_t>(port_override);

    // The server is built before the application, so the bound port is known for the default base URL (token aud).
    std::unique_ptr<CdsApplication> application;
    HttpServer server(config.limits, config.access_log, [&application](const HttpExchange& request) { return application->handle(request); });
    const std::uint16_t port = server.listen(config.listen_address, config.listen_port);
    if (config.public_base_url.empty()) config.public_base_url = "http://" + config.listen_address + ":" + std::to_string(port);

    std::unique_ptr<RequestAuthenticator> authenticator;
    if (config.auth.enabled) {
        std::string error;
        authenticator = make_jwt_authenticator(config.auth, config.public_base_url, error);
        if (!authenticator) throw std::runtime_error("authentication: " + error);
    } else {
        std::cerr << "casecheck-cds-service: WARNING: authentication is disabled; any local process can call the service\n";
    }
    const auto plugin = casecheck::plugin::load(config.plugin_path);
    application = std::make_unique<CdsApplication>(config, plugin, std::move(authenticator),
                                                   std::make_unique<FeedbackLog>(config.feedback_log));

    const unsigned threads = config.threads != 0 ? config.threads : std::max(1u, std::thread::hardware_concurrency());
    std::cout << "casecheck-cds-service listening on " << config.public_base_url << " (" << threads << " threads)" << std::endl;
    const bool clean = server.run(threads);
    std::cerr << "casecheck-cds-service: " << (clean ? "stopped after draining" : "stopped; the grace period ended first") << "\n";
    return clean ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    try {
        if (argc >= 2 && std::string(argv[1]) == "feedback-report") return feedback_report(argc, argv);
        std::string config_file;
        int port = -1;
        for (int i = 1; i < argc; ++i) {
            const std::string arg = argv[i];
            if (arg == "--config" && i + 1 < argc) {
                config_file = argv[++i];
            } else if (arg == "--port" && i + 1 < argc) {
                port = std::stoi(argv[++i]);
                if (port < 0 || port > 65535) return usage();
            } else {
                return usage();
            }
        }
        if (config_file.empty()) return usage();
        std::signal(SIGPIPE, SIG_IGN);
        return serve(config_file, port);
    } catch (const std::exception& e) {
        std::cerr << "casecheck-cds-service: " << e.what() << "\n";
        return 1;
    }
}
