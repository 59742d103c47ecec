// Errors as values inside the plugin; the ABI layer turns them into statuses and messages.
#pragma once

#include "casecheck/casecheck.h"

#include <string>
#include <utility>
#include <variant>

namespace casecheck {

// Why a call failed: a status from casecheck.h and a message that names the
// path, limit, line or column at fault and never quotes client data.
struct Failure {
    casecheck_status status = CASECHECK_E_INTERNAL;
    std::string message;
};

// The name of a status as hosts see it ("OK", "E_PARSE", ...); "E_UNKNOWN" for others.
inline const char* status_name(casecheck_status status) {
    switch (status) {
        case CASECHECK_OK: return "OK";
        case CASECHECK_E_INVALID_ARGUMENT: return "E_INVALID_ARGUMENT";
        case CASECHECK_E_PARSE: return "E_PARSE";
        case CASECHECK_E_SCHEMA: return "E_SCHEMA";
        case CASECHECK_E_LIMIT: return "E_LIMIT";
        case CASECHECK_E_CONFIG: return "E_CONFIG";
        case CASECHECK_E_VERSION: return "E_VERSION";
        case CASECHECK_E_INTERNAL: return "E_INTERNAL";
        case CASECHECK_E_OUT_OF_MEMORY: return "E_OUT_OF_MEMORY";
        case CASECHECK_E_ENCODING: return "E_ENCODING";
        default: return "E_UNKNOWN";
    }
}

// A value or the reason there is none.
template <typename T>
class Result {
public:
    Result(T value) : state_(std::move(value)) {}
    Result(Failure failure) : state_(std::move(failure)) {}

    bool ok() const { return state_.index() == 0; }
    T& value() { return std::get<0>(state_); }
    const T& value() const { return std::get<0>(state_); }
    const Failure& failure() const { return std::get<1>(state_); }

private:
    std::variant<T, Failure> state_;
};

}  // namespace casecheck
