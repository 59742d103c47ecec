// Engine::check: reading a request, running the criteria, rendering the response.
#include "engine.hpp"

#include "casecheck/model/record_json.hpp"
#include "response.hpp"

namespace casecheck {
namespace {

using nlohmann::json;

Failure schema_error(const std::string& path, const std::string& message) {
    return Failure{CASECHECK_E_SCHEMA, "request " + (path.empty() ? std::string("/") : path) + ": " + message};
}

Failure schema_error(const model::SchemaError& error) { return schema_error(error.path, error.message); }

// The records to check: one, or a batch in which a bad record is set aside.
struct TargetRecords {
    std::vector<model::Record> records;
    std::vector<Rejection> rejections;
};

Result<TargetRecords> read_targets(const json& request) {
    const auto single = request.find("record");
    const auto batch = request.find("records");
    const bool has_single = single != request.end();
    const bool has_batch = batch != request.end();
    if (has_single == has_batch) {
        return schema_error("", has_single ? "give either \"record\" or \"records\", not both"
                                           : "required field is missing: \"record\" (or \"records\" for a batch)");
    }

    TargetRecords targets;
    if (has_single) {
        auto read = model::read_record(*single, "/record");
        if (read.error) return schema_error(*read.error);
        targets.records.push_back(std::move(*read.record));
        return targets;
    }

    if (!batch->is_array()) return schema_error("/records", "must be an array of records");
    for (std::size_t i = 0; i < batch->size(); ++i) {
        const std::string path = "/records/" + std::to_string(i);
        auto read = model::read_record((*batch)[i], path);
        if (read.error) {
            targets.rejections.push_back({i, read.error->path, schema_error(*read.error)});
        } else {
            targets.records.push_back(std::move(*read.record));
        }
    }
    return targets;
}

Result<std::vector<model::Record>> read_context(const json& request) {
    std::vector<model::Record> context;
    const auto it = request.find("context");
    if (it == request.end() || it->is_null()) return context;
    if (!it->is_array()) return schema_error("/context", "must be an array of records");
    for (std::size_t i = 0; i < it->size(); ++i) {
        auto read = model::read_record((*it)[i], "/context/" + std::to_string(i));
        if (read.error) return schema_error(*read.error);
        context.push_back(std::move(*read.record));
    }
    return context;
}

}  // namespace

Result<std::string> Engine::check(std::string_view request_json) const {
    auto parsed = parse_json_input(request_json, limits_, "request");
    if (!parsed.ok()) return parsed.failure();
    const json& request = parsed.value();
    if (!request.is_object()) return schema_error("", "must be a JSON object");

    if (const auto it = request.find("flavour"); it != request.end()) {
        if (!it->is_string()) return schema_error("/flavour", "must be a string");
        if (it->get_ref<const std::string&>() != "native") {
            return Failure{CASECHECK_E_VERSION, "request /flavour: this plugin serves only \"native\""};
        }
    }

    std::optional<model::Instant> as_of = as_of_;
    if (const auto it = request.find("as_of"); it != request.end()) {
        as_of = it->is_string() ? model::parse_instant(it->get<std::string>()) : std::nullopt;
        if (!as_of || as_of->date_only) return schema_error("/as_of", "must be an RFC 3339 date-time with a UTC offset");
    }

    auto context = read_context(request);
    if (!context.ok()) return context.failure();
    auto targets = read_targets(request);
    if (!targets.ok()) return targets.failure();

    // Cross-record checks see the whole case: the context and every record being checked.
    std::vector<model::Record> case_records = std::move(context.value());
    case_records.insert(case_records.end(), targets.value().records.begin(), targets.value().records.end());

    std::vector<ReportedPrompt> prompts;
    std::vector<Finding> findings;
    for (const auto& record : targets.value().records) {
        const CheckInput input{record, case_records, as_of};
        for (const auto& criterion : criteria_) {
            findings.clear();
            criterion.check->run(input, findings);
            for (auto& finding : findings) prompts.push_back({criterion.definition, &record, std::move(finding)});
        }
    }
    return render_native_response(prompts, targets.value().records.size(), targets.value().rejections, as_of);
}

}  // namespace casecheck
