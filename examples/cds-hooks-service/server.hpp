// server.hpp: HTTP/1.1 over Boost.Beast, with bounded requests, timeouts and graceful shutdown.
#pragma once

#include "config.hpp"
#include "services.hpp"

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace casecheck::cds {

// Answers one parsed request; called on the connection's strand, possibly on many threads at once.
using RequestHandler = std::function<HttpAnswer(const HttpExchange&)>;

// Accepts connections, serves keep-alive HTTP/1.1 and drains on SIGTERM/SIGINT.
class HttpServer {
public:
    HttpServer(const LimitsConfig& limits, bool access_log, RequestHandler handler);
    ~HttpServer();

    // Binds and listens; returns the bound port (useful with port 0). Throws on failure.
    std::uint16_t listen(const std::string& address, std::uint16_t port);

    // Serves on `threads` threads until SIGTERM/SIGINT (or request_shutdown) and every
    // in-flight request is answered, or the grace period ends. Returns true on a clean drain.
    bool run(unsigned threads);

    // Begins a graceful shutdown, as SIGTERM does. Thread-safe.
    void request_shutdown();

    // The listener's and sessions' shared state (server.cpp); public only so that sessions can name it.
    struct State;

private:
    std::shared_ptr<State> state_;
};

}  // namespace casecheck::cds
