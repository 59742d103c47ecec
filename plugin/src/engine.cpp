// Engine::check and Engine::to_fhir: reading a request in any accepted form,
// running the criteria, rendering the response.
#include "engine.hpp"

#include "casecheck/fhir/xml.hpp"
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
Result<CaseInput> read_targets(const json& request, CaseInput input) {
    const auto single = request.find("record");
    const auto batch = request.find("records");
    const bool has_single = single != request.end();
    const bool has_batch = batch != request.end();
    if (has_single == has_batch) {
        return schema_error("", has_single ? "give either \"record\" or \"records\", not both"
                                           : "required field is missing: \"record\" (or \"records\" for a batch)");
    }

    if (has_single) {
        auto read = model::read_record(*single, "/record");
        if (read.error) return schema_error(*read.error);
        input.targets.push_back(std::move(*read.record));
        return input;
    }

    if (!batch->is_array()) return schema_error("/records", "must be an array of records");
    for (std::size_t i = 0; i < batch->size(); ++i) {
        const std::string path = "/records/" + std::to_string(i);
        auto read = model::read_record((*batch)[i], path);
        if (read.error) {
            input.rejections.push_back({i, read.error->path, schema_error(*read.error)});
        } else {
            input.targets.push_back(std::move(*read.record));
        }
    }
    return input;
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

// A FHIR document is one client's case: every record in it is checked, each with the others as context.
Result<CaseInput> from_fhir(const fhir::FhirReadResult& read, std::optional<model::Instant> as_of, Flavour flavour) {
    if (read.error) return schema_error(read.error->path, read.error->message);
    CaseInput input;
    input.flavour = flavour;
    input.targets = read.value.records;
    input.skipped = read.value.skipped;
    input.as_of = as_of;
    return input;
}

// An override reason as an audit can count it: a code as given (a string, or an
// object's "code"); free text is kept only to be bucketed, never reported.
std::string override_reason(const json& reason) {
    if (reason.is_string()) return reason.get<std::string>();
    if (reason.is_object()) {
        const auto code = reason.find("code");
        if (code != reason.end() && code->is_string()) return code->get<std::string>();
    }
    return "";
}

// A FHIR case is labelled by its Patient: the id names the case, and the
// managing organisation is the team that holds it.
void label_from_patient(const json& document, CaseInput& input) {
    const auto label = [&](const json& resource) {
        if (!resource.is_object() || resource.value("resourceType", "") != "Patient") return false;
        if (const auto id = resource.find("id"); id != resource.end() && id->is_string()) input.case_id = id->get<std::string>();
        const auto organisation = resource.find("managingOrganization");
        if (organisation != resource.end() && organisation->is_object()) {
            const auto display = organisation->find("display");
            if (display != organisation->end() && display->is_string()) input.team = display->get<std::string>();
        }
        return true;
    };
    if (label(document)) return;
    const auto entries = document.find("entry");
    if (entries == document.end() || !entries->is_array()) return;
    for (const auto& entry : *entries) {
        const auto resource = entry.is_object() ? entry.find("resource") : entry.end();
        if (entry.is_object() && resource != entry.end() && label(*resource)) return;
    }
}

std::string_view first_line(std::string_view text) { return text.substr(0, text.find('\n')); }

bool has_more_lines(std::string_view text) {
    const auto newline = text.find('\n');
    return newline != std::string_view::npos &&
           text.find_first_not_of(" \t\r\n", newline) != std::string_view::npos;
}

}  // namespace

Result<CaseInput> Engine::read_case(std::string_view request_json) const {
    const auto start = request_json.find_first_not_of(" \t\r\n");
    if (start != std::string_view::npos && request_json[start] == '<') {
        if (auto failure = check_text_input(request_json, limits_, "request")) return *failure;
        auto xml = fhir::read_xml(request_json);
        if (xml.error) {
            return Failure{xml.error->path.empty() ? CASECHECK_E_PARSE : CASECHECK_E_SCHEMA,
                           "request " + (xml.error->path.empty() ? "" : xml.error->path + ": ") + xml.error->message};
        }
        return from_fhir(fhir::read_document(json(xml.resource)), as_of_, flavour_);
    }

    auto parsed = parse_json_input(request_json, limits_, "request");
    if (!parsed.ok()) {
        // NDJSON: one FHIR resource per line, as bulk exports write them.
        if (parsed.failure().status != CASECHECK_E_PARSE || !has_more_lines(request_json)) return parsed.failure();
        auto first = parse_json_input(first_line(request_json), limits_, "request line 1");
        if (!first.ok() || !fhir::is_fhir(first.value())) return parsed.failure();
        auto lines = parse_json_lines(request_json, limits_, "request");
        if (!lines.ok()) return lines.failure();
        std::vector<fhir::SourceResource> resources;
        for (const auto& [line, resource] : lines.value()) resources.push_back({&resource, "/line/" + std::to_string(line), ""});
        return from_fhir(fhir::read_resources(resources), as_of_, flavour_);
    }
    const json& request = parsed.value();
    if (fhir::is_fhir(request)) {
        auto input = from_fhir(fhir::read_document(request), as_of_, flavour_);
        if (input.ok()) label_from_patient(request, input.value());
        return input;
    }
    if (!request.is_object()) return schema_error("", "must be a JSON object");

    CaseInput input;
    input.flavour = flavour_;
    if (const auto it = request.find("flavour"); it != request.end()) {
        const auto flavour = it->is_string() ? flavour_named(it->get_ref<const std::string&>()) : std::nullopt;
        if (!flavour) return Failure{CASECHECK_E_VERSION, "request /flavour: must be \"native\", \"cds-hooks\" or \"fhir\""};
        input.flavour = *flavour;
    }
    // Prompts the host already showed and had overridden; each carries its reason for the host's records.
    if (const auto it = request.find("dismissed"); it != request.end()) {
        if (!it->is_array()) return schema_error("/dismissed", "must be an array of {\"prompt\", \"reason\"}");
        for (std::size_t i = 0; i < it->size(); ++i) {
            const json& item = (*it)[i];
            const std::string path = "/dismissed/" + std::to_string(i);
            if (!item.is_object() || !item.contains("prompt") || !item["prompt"].is_string()) {
                return schema_error(path + "/prompt", "required: the id of the dismissed prompt");
            }
            if (!item.contains("reason")) return schema_error(path + "/reason", "required: why the prompt was overridden");
            input.dismissed[item["prompt"].get<std::string>()] = override_reason(item["reason"]);
        }
    }

    if (const auto it = request.find("case"); it != request.end()) {
        if (!it->is_string()) return schema_error("/case", "must be a string");
        input.case_id = it->get<std::string>();
    }
    if (const auto it = request.find("team"); it != request.end()) {
        if (!it->is_string()) return schema_error("/team", "must be a string");
        input.team = it->get<std::string>();
    }
    input.as_of = as_of_;
    if (const auto it = request.find("as_of"); it != request.end()) {
        input.as_of = it->is_string() ? model::parse_instant(it->get<std::string>()) : std::nullopt;
        if (!input.as_of || input.as_of->date_only) return schema_error("/as_of", "must be an RFC 3339 date-time with a UTC offset");
    }
    auto context = read_context(request);
    if (!context.ok()) return context.failure();
    input.context = std::move(context.value());
    return read_targets(request, std::move(input));
}

void Engine::run_criteria(const CaseInput& input, const FindingVisitor& visit) const {
    // Cross-record checks see the whole case: the context and every record being checked.
    std::vector<model::Record> with_context;
    if (!input.context.empty()) {
        with_context = input.context;
        with_context.insert(with_context.end(), input.targets.begin(), input.targets.end());
    }
    const std::vector<model::Record>& case_records = input.context.empty() ? input.targets : with_context;

    std::vector<Finding> findings;
    const text::TextReader text_reader(*text_engine_);
    for (const auto& record : input.targets) {
        const CheckInput check_input{record, case_records, input.as_of, text_reader};
        for (const auto& criterion : criteria_) {
            findings.clear();
            criterion.check->run(check_input, findings);
            for (auto& finding : findings) visit(criterion, record, finding);
        }
    }
}

Result<std::string> Engine::check(std::string_view request_json) const {
    auto read = read_case(request_json);
    if (!read.ok()) return read.failure();
    const CaseInput& input = read.value();

    CheckOutcome outcome;
    outcome.rule_pack = rule_pack_;
    outcome.records_checked = input.targets.size();
    outcome.rejections = input.rejections;
    outcome.skipped = input.skipped;
    outcome.as_of = input.as_of;
    run_criteria(input, [&](const Criterion& criterion, const model::Record& record, Finding& finding) {
        // A prompt id is tied to its record, so a dismissal never hides a finding on another record.
        if (!input.dismissed.empty() && input.dismissed.count(prompt_id(criterion.id, record.id, finding)) != 0) {
            ++outcome.suppressed;
            return;
        }
        outcome.prompts.push_back({&criterion, &record, std::move(finding)});
    });
    return render_response(input.flavour, outcome);
}

Result<FhirOutput> Engine::to_fhir(std::string_view request_json, std::string_view options_json) const {
    bool xml = false;
    fhir::BundleType bundle_type = fhir::BundleType::collection;
    if (!options_json.empty()) {
        auto parsed = parse_json_input(options_json, InputLimits{}, "options");
        if (!parsed.ok()) return parsed.failure();
        const json& options = parsed.value();
        if (!options.is_object()) return Failure{CASECHECK_E_SCHEMA, "options /: must be a JSON object"};
        for (const auto& item : options.items()) {
            const bool string = item.value().is_string();
            const std::string value = string ? item.value().get<std::string>() : "";
            if (item.key() == "format" && string && (value == "json" || value == "xml")) {
                xml = value == "xml";
            } else if (item.key() == "bundle_type" && string && (value == "collection" || value == "transaction")) {
                bundle_type = value == "transaction" ? fhir::BundleType::transaction : fhir::BundleType::collection;
            } else if (item.key() == "format" || item.key() == "bundle_type") {
                return Failure{CASECHECK_E_SCHEMA, "options /" + item.key() + ": " +
                                                       (item.key() == "format" ? "must be \"json\" or \"xml\""
                                                                               : "must be \"collection\" or \"transaction\"")};
            } else {
                return Failure{CASECHECK_E_SCHEMA, "options /" + item.key() + ": unknown key"};
            }
        }
    }

    auto read = read_case(request_json);
    if (!read.ok()) return read.failure();
    std::vector<model::Record> records = read.value().targets;
    records.insert(records.end(), read.value().context.begin(), read.value().context.end());
    const fhir::MappedBundle mapped = fhir::to_bundle(records, bundle_type);

    nlohmann::ordered_json issues = nlohmann::ordered_json::array();
    for (const auto& rejection : read.value().rejections) {
        issues.push_back({{"path", rejection.path}, {"status", status_name(rejection.failure.status)}, {"message", rejection.failure.message}});
    }
    for (const auto& issue : mapped.issues) {
        issues.push_back({{"record", issue.record}, {"path", issue.path}, {"message", issue.message}});
    }

    FhirOutput output;
    output.issues = issues.dump();
    if (!xml) {
        output.document = mapped.bundle.dump();
        return output;
    }
    auto written = fhir::write_xml(mapped.bundle);
    // Only text XML 1.0 cannot hold (control characters) gets here: JSON can carry it, XML cannot.
    if (written.error) return Failure{CASECHECK_E_SCHEMA, "FHIR XML cannot carry the Bundle's " + written.error->path + ": " + written.error->message};
    output.document = std::move(written.xml);
    return output;
}

}  // namespace casecheck
