// The engine: a configuration compiled once, then used read-only by any number of threads.
#pragma once

#include "criterion.hpp"
#include "failure.hpp"
#include "json_input.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace casecheck {

// A criterion with its check configured for this engine.
struct ConfiguredCriterion {
    const CriterionDefinition* definition = nullptr;
    std::unique_ptr<Check> check;
};

class Engine {
public:
    // Builds an engine from a configuration document (config.schema.json); an
    // empty document selects every default. Fails with E_CONFIG and the path
    // of the offending key for anything it does not understand.
    static Result<std::unique_ptr<Engine>> create(std::string_view config_json);

    // Checks a request document and returns the native response document.
    Result<std::string> check(std::string_view request_json) const;

    const InputLimits& limits() const { return limits_; }

private:
    Engine() = default;

    InputLimits limits_;
    std::optional<model::Instant> as_of_;
    std::vector<ConfiguredCriterion> criteria_;
};

}  // namespace casecheck
