// services.hpp: the CDS Hooks 2.0 service itself, independent of HTTP plumbing.
//
// Discovery, the four hook services (prefetch -> FHIR Bundle -> engine.check ->
// cards filtered for the hook) and feedback. server.cpp feeds it parsed requests.
#pragma once

#include "casecheck/casecheck.hpp"

#include "authenticator.hpp"
#include "config.hpp"
#include "feedback_log.hpp"

#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace casecheck::cds {

// A request as the service sees it: no Beast types, so it can be tested without sockets.
struct HttpExchange {
    std::string method;
    std::string target;          // path and query as sent
    std::string authorization;   // the Authorization header, if any
    std::string content_type;
    std::string body;
};

// The answer to send back.
struct HttpAnswer {
    unsigned status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::string route = "unknown";   // for the access log: a fixed route name, never client input
    std::string www_authenticate;    // set on 401
};

// The declaration of one CDS service (what discovery lists) and which cards it shows.
struct ServiceDefinition {
    std::string id;
    std::string hook;
    std::string title;
    std::string description;
    std::vector<std::pair<std::string, std::string>> prefetch;   // key -> FHIR query template
    std::set<std::string> optional_prefetch;                     // keys whose absence is not a 412
    std::vector<std::string> required_context;                   // context fields the hook requires
    std::set<std::string> criteria;                              // empty: every criterion
    // Where the records to judge come from: empty for the whole case, else a context field
    // ("draftOrders", "document") whose resources alone are judged.
    std::string judged_context;
};

// The services casecheck offers, in discovery order.
const std::vector<ServiceDefinition>& service_definitions();

// The whole application: routes a request and answers it. Thread-safe.
class CdsApplication {
public:
    // `authenticator` may be null only when authentication is disabled in `config`.
    CdsApplication(const ServiceConfig& config, const casecheck::plugin& plugin,
                   std::unique_ptr<RequestAuthenticator> authenticator, std::unique_ptr<FeedbackLog> feedback_log);

    // Handles one request; never throws.
    HttpAnswer handle(const HttpExchange& request) const;

private:
    HttpAnswer discovery() const;
    HttpAnswer call_hook(const ServiceDefinition& service, const HttpExchange& request) const;
    HttpAnswer receive_feedback(const ServiceDefinition& service, const HttpExchange& request) const;
    casecheck::engine cards_engine_;    // flavour cds-hooks: the cards
    casecheck::engine native_engine_;   // flavour native: which record each prompt is about
    std::unique_ptr<RequestAuthenticator> authenticator_;
    std::unique_ptr<FeedbackLog> feedback_log_;
    bool auth_enabled_;
};

}  // namespace casecheck::cds
