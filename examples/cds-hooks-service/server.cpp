#include "server.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>
#include <vector>

namespace casecheck::cds {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

class Session;

// Shared by the listener and every session; lives until the last of them is gone.
struct HttpServer::State : std::enable_shared_from_this<HttpServer::State> {
    State(const LimitsConfig& limits_in, bool access_log_in, RequestHandler handler_in)
        : limits(limits_in), access_log(access_log_in), handler(std::move(handler_in)),
          acceptor(asio::make_strand(io)), signals(io, SIGTERM, SIGINT), drain_deadline(io) {}

    LimitsConfig limits;
    bool access_log;
    RequestHandler handler;
    asio::io_context io;
    tcp::acceptor acceptor;
    asio::signal_set signals;
    asio::steady_timer drain_deadline;
    std::atomic<bool> stopping{false};
    std::atomic<bool> drained_cleanly{true};

    // Live sessions, so that shutdown can close the idle ones.
    std::mutex sessions_mutex;
    std::unordered_map<Session*, std::weak_ptr<Session>> sessions;

    void begin_shutdown();
    void session_ended(Session* session);
    void do_accept();
};

namespace {

// One access-log line: route (a fixed name), status, milliseconds. Never a body, header value or query.
void log_access(const std::string& method, const std::string& route, unsigned status, std::chrono::steady_clock::duration took) {
    const double millis = std::chrono::duration<double, std::milli>(took).count();
    char line[256];
    std::snprintf(line, sizeof line, "%.16s %.120s %u %.1fms\n", method.c_str(), route.c_str(), status, millis);
    std::fputs(line, stderr);
}

std::string safe_method(http::verb verb) {
    const auto name = http::to_string(verb);
    return verb == http::verb::unknown ? std::string("OTHER") : std::string(name.data(), name.size());
}

}  // namespace

// One connection: reads requests one after another (keep-alive), answers each, stops when told.
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, std::shared_ptr<HttpServer::State> state)
        : stream_(std::move(socket)), state_(std::move(state)) {}

    ~Session() { state_->session_ended(this); }

    void start() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] { self->read_header(); });
    }

    // Closes the connection if it is between requests; a request being read or answered finishes first.
    void close_if_idle() {
        asio::dispatch(stream_.get_executor(), [self = shared_from_this()] {
            if (self->idle_ && self->buffer_.size() == 0 && !self->parser_->got_some()) self->close();
        });
    }

private:
    void read_header() {
        parser_.emplace();
        parser_->body_limit(state_->limits.max_body_bytes);
        parser_->header_limit(static_cast<std::uint32_t>(state_->limits.max_header_bytes));
        if (state_->stopping) return close();
        idle_ = true;
        // One deadline for the whole request: slow senders cannot hold a connection open.
        stream_.expires_after(std::chrono::seconds(state_->limits.read_timeout_seconds));
        http::async_read_header(stream_, buffer_, *parser_,
                                [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_header(ec); });
    }

    void on_header(beast::error_code ec) {
        idle_ = false;
        started_ = std::chrono::steady_clock::now();
        if (ec) return on_read_error(ec);
        auto& request = parser_->get();
        if (beast::iequals(request[http::field::expect], "100-continue")) {
            // curl and others wait for this before sending a large body.
            auto interim = std::make_shared<http::response<http::empty_body>>(http::status::continue_, request.version());
            http::async_write(stream_, *interim, [self = shared_from_this(), interim](beast::error_code write_ec, std::size_t) {
                if (write_ec) return self->close();
                self->read_body();
            });
            return;
        }
        read_body();
    }

    void read_body() {
        http::async_read(stream_, buffer_, *parser_,
                         [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_body(ec); });
    }

    void on_read_error(beast::error_code ec) {
        if (ec == http::error::body_limit) return reply_and_close(413, "request body over the configured limit");
        if (ec == http::error::header_limit) return reply_and_close(431, "request header over the configured limit");
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted) return close();
        if (ec.category() == http::make_error_code(http::error::bad_target).category()) return reply_and_close(400, "malformed HTTP request");
        close();
    }

    void on_body(beast::error_code ec) {
        if (ec) return on_read_error(ec);
        const auto& request = parser_->get();
        HttpExchange exchange;
        exchange.method = safe_method(request.method());
        exchange.target = std::string(request.target());
        exchange.authorization = std::string(request[http::field::authorization]);
        exchange.content_type = std::string(request[http::field::content_type]);
        exchange.body = std::move(parser_->get().body());
        const HttpAnswer answer = state_->handler(exchange);
        if (state_->access_log) log_access(exchange.method, answer.route, answer.status, std::chrono::steady_clock::now() - started_);
        send(answer, request.version(), request.keep_alive() && !state_->stopping);
    }

    void reply_and_close(unsigned status, const char* text) {
        HttpAnswer answer;
        answer.status = status;
        answer.body = std::string(R"({"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"too-costly","diagnostics":")") +
                      text + "\"}]}";
        if (state_->access_log) log_access("-", "rejected", status, std::chrono::steady_clock::now() - started_);
        send(answer, 11, false);
    }

    void send(const HttpAnswer& answer, unsigned version, bool keep_alive) {
        auto response = std::make_shared<http::response<http::string_body>>(static_cast<http::status>(answer.status), version);
        response->set(http::field::server, "casecheck-cds-service");
        response->set(http::field::content_type, answer.content_type);
        response->set(http::field::cache_control, "no-store");
        if (!answer.www_authenticate.empty()) response->set(http::field::www_authenticate, answer.www_authenticate);
        response->keep_alive(keep_alive);
        response->body() = answer.body;
        response->prepare_payload();
        stream_.expires_after(std::chrono::seconds(state_->limits.write_timeout_seconds));
        http::async_write(stream_, *response, [self = shared_from_this(), response](beast::error_code ec, std::size_t) {
            if (ec || !response->keep_alive()) return self->close();
            self->read_header();
        });
    }

    void close() {
        idle_ = false;
        beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.socket().close(ignored);
    }

    beast::tcp_stream stream_;
    std::shared_ptr<HttpServer::State> state_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::chrono::steady_clock::time_point started_{};
    bool idle_ = false;  // waiting for the first byte of a request; touched only on the strand
};

void HttpServer::State::do_accept() {
    acceptor.async_accept(asio::make_strand(io), [this](beast::error_code ec, tcp::socket socket) {
        if (stopping) return;
        if (!ec) {
            auto session = std::make_shared<Session>(std::move(socket), shared_from_this());
            {
                const std::lock_guard<std::mutex> lock(sessions_mutex);
                sessions.emplace(session.get(), session);
            }
            session->start();
        }
        do_accept();
    });
}

void HttpServer::State::begin_shutdown() {
    if (stopping.exchange(true)) return;
    asio::post(acceptor.get_executor(), [this] {
        beast::error_code ignored;
        acceptor.close(ignored);
    });
    signals.cancel();
    std::vector<std::shared_ptr<Session>> live;
    {
        const std::lock_guard<std::mutex> lock(sessions_mutex);
        for (auto& [raw, weak] : sessions) {
            if (auto session = weak.lock()) live.push_back(std::move(session));
        }
    }
    for (auto& session : live) session->close_if_idle();
    // In-flight requests get the grace period; after it the event loop is stopped regardless.
    drain_deadline.expires_after(std::chrono::seconds(limits.shutdown_grace_seconds));
    drain_deadline.async_wait([this](beast::error_code ec) {
        if (ec) return;  // cancelled: everything drained
        drained_cleanly = false;
        io.stop();
    });
    session_ended(nullptr);  // nothing may be open already
}

void HttpServer::State::session_ended(Session* session) {
    bool last = false;
    {
        const std::lock_guard<std::mutex> lock(sessions_mutex);
        if (session != nullptr) sessions.erase(session);
        last = sessions.empty();
    }
    if (last && stopping) asio::post(io, [this] { drain_deadline.cancel(); });
}

HttpServer::HttpServer(const LimitsConfig& limits, bool access_log, RequestHandler handler)
    : state_(std::make_shared<State>(limits, access_log, std::move(handler))) {}

HttpServer::~HttpServer() = default;

std::uint16_t HttpServer::listen(const std::string& address, std::uint16_t port) {
    const tcp::endpoint endpoint(asio::ip::make_address(address), port);
    auto& acceptor = state_->acceptor;
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
    return acceptor.local_endpoint().port();
}

bool HttpServer::run(unsigned threads) {
    State& state = *state_;
    state.signals.async_wait([&state](beast::error_code ec, int) {
        if (!ec) state.begin_shutdown();
    });
    state.do_accept();
    std::vector<std::thread> workers;
    for (unsigned i = 1; i < threads; ++i) workers.emplace_back([&state] { state.io.run(); });
    state.io.run();
    for (auto& worker : workers) worker.join();
    return state.drained_cleanly;
}

void HttpServer::request_shutdown() {
    asio::post(state_->io, [state = state_] { state->begin_shutdown(); });
}

}  // namespace casecheck::cds
