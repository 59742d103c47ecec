#include "services.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <map>
#include <stdexcept>

namespace casecheck::cds {
namespace {

using nlohmann::json;
using nlohmann::ordered_json;

constexpr int max_json_depth = 100;              // FHIR resources nest far less; deeper input is hostile
constexpr std::size_t max_feedback_items = 1000;
constexpr const char* record_id_system = "https://casecheck.example/fhir/record-id";

// Thrown by the parse callback, so a deeply nested body is refused before it is built.
struct TooDeep : std::runtime_error {
    TooDeep() : std::runtime_error("nested too deeply") {}
};

// Parses a request body; nullopt-like discarded value on bad JSON. Throws TooDeep.
json parse_body(const std::string& body) {
    const json::parser_callback_t limit_depth = [](int depth, json::parse_event_t, json&) {
        if (depth > max_json_depth) throw TooDeep();
        return true;
    };
    return json::parse(body, limit_depth, false);
}

// Errors are OperationOutcome-shaped (as CDS Hooks 3.0 recommends) and carry only fixed text or our own names.
HttpAnswer error_answer(unsigned status, const std::string& route, const char* code, const std::string& text) {
    ordered_json outcome = {{"resourceType", "OperationOutcome"},
                            {"issue", ordered_json::array({{{"severity", "error"}, {"code", code}, {"diagnostics", text}}})}};
    HttpAnswer answer;
    answer.status = status;
    answer.route = route;
    answer.body = outcome.dump();
    return answer;
}

std::string utc_now_rfc3339() {
    const auto now = std::chrono::system_clock::now();
    const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
    const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm utc{};
    gmtime_r(&seconds, &utc);
    char text[64];
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday,
                  utc.tm_hour, utc.tm_min, utc.tm_sec, static_cast<int>(millis));
    return text;
}

bool all_of_chars(const std::string& text, std::size_t max_length, bool (*allowed)(char)) {
    return !text.empty() && text.size() <= max_length && std::all_of(text.begin(), text.end(), allowed);
}
bool code_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' || c == '_'; }
bool uri_char(char c) { return c > 0x20 && c < 0x7f && c != '"' && c != '\\'; }
bool timestamp_char(char c) { return std::isdigit(static_cast<unsigned char>(c)) || c == 'T' || c == 'Z' || c == ':' || c == '.' || c == '+' || c == '-'; }
bool hex_char(char c) { return std::isdigit(static_cast<unsigned char>(c)) || (c >= 'a' && c <= 'f'); }

// The plugin's prompt ids are "cc-" and 16 hex digits.
bool is_prompt_id(const std::string& text) {
    return text.size() == 19 && text.compare(0, 3, "cc-") == 0 && std::all_of(text.begin() + 3, text.end(), hex_char);
}

// A card uuid as issued here: "<prompt id>:<criterion>", so feedback names its criterion without server state.
bool split_card_uuid(const std::string& uuid, std::string& prompt, std::string& criterion) {
    const auto colon = uuid.find(':');
    if (colon == std::string::npos) return false;
    prompt = uuid.substr(0, colon);
    criterion = uuid.substr(colon + 1);
    return is_prompt_id(prompt) && all_of_chars(criterion, 32, code_char);
}

// Suggestion ids are the plugin's "<prompt id>-<n>".
bool is_suggestion_id(const std::string& text) {
    const auto dash = text.rfind('-');
    return dash != std::string::npos && is_prompt_id(text.substr(0, dash)) &&
           all_of_chars(text.substr(dash + 1), 4, [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; });
}

// CDS Hooks 2.0 wants a summary of fewer than 140 characters; cut on a UTF-8 boundary, marking the cut.
std::string clamp_summary(const std::string& text) {
    constexpr std::size_t most = 139;
    std::size_t characters = 0;
    std::size_t cut = std::string::npos;
    for (std::size_t i = 0; i < text.size(); ++i) {
        if ((static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) continue;
        ++characters;
        if (characters == most) cut = i;  // where the 139th character starts: room for the ellipsis
        if (characters > most) return text.substr(0, cut) + "\u2026";
    }
    return text;
}

int indicator_rank(const json& card) {
    const std::string indicator = card.value("indicator", "");
    return indicator == "critical" ? 0 : indicator == "warning" ? 1 : 2;
}

const json* find_member(const json& object, const char* key) {
    if (!object.is_object()) return nullptr;
    const auto it = object.find(key);
    return it == object.end() ? nullptr : &*it;
}

std::string string_member(const json& object, const char* key) {
    const json* value = find_member(object, key);
    return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

// The ids the plugin gives a FHIR resource's record: its record-id identifier, else its id.
void add_record_ids(const json& resource, std::set<std::string>& ids) {
    if (const json* identifiers = find_member(resource, "identifier"); identifiers != nullptr && identifiers->is_array()) {
        for (const auto& identifier : *identifiers) {
            if (string_member(identifier, "system") == record_id_system) {
                const std::string value = string_member(identifier, "value");
                if (!value.empty()) {
                    ids.insert(value);
                    return;
                }
            }
        }
    }
    const std::string id = string_member(resource, "id");
    if (!id.empty()) ids.insert(id);
}

// Collects FHIR resources into one collection Bundle, each once (a later copy of Type/id replaces an earlier one).
class CaseBundle {
public:
    // Adds a resource, or every entry of a Bundle.
    void add(const json& value) {
        if (!value.is_object()) return;
        if (string_member(value, "resourceType") == "Bundle") {
            if (const json* entries = find_member(value, "entry"); entries != nullptr && entries->is_array()) {
                for (const auto& entry : *entries) {
                    if (const json* resource = find_member(entry, "resource")) add_resource(*resource, string_member(entry, "fullUrl"));
                }
            }
            return;
        }
        add_resource(value, "");
    }

    std::string dump() const {
        json bundle = {{"resourceType", "Bundle"}, {"type", "collection"}, {"entry", entries_}};
        return bundle.dump();
    }

private:
    void add_resource(const json& resource, const std::string& full_url) {
        if (!resource.is_object()) return;
        json entry = json::object();
        if (!full_url.empty()) entry["fullUrl"] = full_url;
        entry["resource"] = resource;
        const std::string id = string_member(resource, "id");
        if (!id.empty()) {
            const std::string key = string_member(resource, "resourceType") + "/" + id;
            if (const auto seen = index_.find(key); seen != index_.end()) {
                entries_[seen->second] = std::move(entry);
                return;
            }
            index_.emplace(key, entries_.size());
        }
        entries_.push_back(std::move(entry));
    }

    json entries_ = json::array();
    std::map<std::string, std::size_t> index_;
};

std::vector<ServiceDefinition> make_definitions() {
    const std::string patient = "{{context.patientId}}";
    std::vector<ServiceDefinition> services;

    ServiceDefinition view;
    view.id = "casecheck-patient-view";
    view.hook = "patient-view";
    view.title = "casecheck: outstanding documentation gaps";
    view.description = "When a client's record is opened, lists case-level documentation gaps: consent to engage and its "
                       "capacity, consent terms, reassessment and reviews overdue, risks without a strategy, and care plan quality.";
    view.prefetch = {{"patient", "Patient/" + patient},
                     {"consents", "Consent?patient=" + patient},
                     {"documents", "DocumentReference?patient=" + patient},
                     {"carePlans", "CarePlan?subject=" + patient},
                     {"goals", "Goal?subject=" + patient},
                     {"referrals", "ServiceRequest?subject=" + patient},
                     {"tasks", "Task?patient=" + patient},
                     {"communications", "Communication?subject=" + patient},
                     {"provenance", "Provenance?patient=" + patient}};
    view.optional_prefetch = {"tasks", "communications", "provenance"};
    view.required_context = {"userId", "patientId"};
    view.criteria = {"CO-01", "CO-04", "CO-06", "AS-04", "AS-05", "MO-01", "MO-02",
                     "PL-01", "PL-02", "PL-03", "PL-04", "PL-05", "PL-06", "PL-07"};
    services.push_back(view);

    ServiceDefinition discharge;
    discharge.id = "casecheck-encounter-discharge";
    discharge.hook = "encounter-discharge";
    discharge.title = "casecheck: transition and closure";
    discharge.description = "At discharge, checks the transition and closure documentation: a plan agreed with the receiver, "
                            "the client's involvement, information sent, the closure reason and who carries on, and handover.";
    discharge.prefetch = {{"patient", "Patient/" + patient},
                          {"encounter", "Encounter/{{context.encounterId}}"},
                          {"documents", "DocumentReference?patient=" + patient},
                          {"referrals", "ServiceRequest?subject=" + patient},
                          {"tasks", "Task?patient=" + patient},
                          {"communications", "Communication?subject=" + patient},
                          {"provenance", "Provenance?patient=" + patient}};
    discharge.optional_prefetch = {"tasks", "communications", "provenance"};
    discharge.required_context = {"userId", "patientId", "encounterId"};
    discharge.criteria = {"TR-01", "TR-02", "TR-03", "TR-04", "TR-05"};
    services.push_back(discharge);

    ServiceDefinition order;
    order.id = "casecheck-order-sign";
    order.hook = "order-sign";
    order.title = "casecheck: referral before signing";
    order.description = "When a referral (ServiceRequest) is signed, checks that a consent to share covers the disclosure to "
                        "the receiving organisation, that the referral gives its reason and the client's involvement, and "
                        "that the transition has a plan.";
    order.prefetch = {{"patient", "Patient/" + patient},
                      {"consents", "Consent?patient=" + patient},
                      {"tasks", "Task?patient=" + patient},
                      {"communications", "Communication?subject=" + patient}};
    order.optional_prefetch = {"tasks", "communications"};
    order.required_context = {"userId", "patientId", "draftOrders"};
    order.criteria = {"CO-03", "CO-07", "TR-01", "TR-06", "RK-02"};
    order.judged_context = "draftOrders";
    services.push_back(order);

    ServiceDefinition note;
    note.id = "casecheck-note-sign";
    note.hook = "casecheck-note-sign";
    note.title = "casecheck: note before signing";
    note.description = "Custom hook (no standard note-signing hook exists in CDS Hooks 2.0): context.document is the "
                       "DocumentReference being signed. Checks everything casecheck judges in a note: timeliness, "
                       "attribution, rationale, language, consent and disclosures, rights information, risk.";
    note.prefetch = {{"patient", "Patient/" + patient},
                     {"consents", "Consent?patient=" + patient},
                     {"documents", "DocumentReference?patient=" + patient},
                     {"carePlans", "CarePlan?subject=" + patient},
                     {"provenance", "Provenance?patient=" + patient}};
    note.optional_prefetch = {"carePlans", "provenance"};
    note.required_context = {"userId", "patientId", "document"};
    note.judged_context = "document";
    services.push_back(note);
    return services;
}

}  // namespace

const std::vector<ServiceDefinition>& service_definitions() {
    static const std::vector<ServiceDefinition> definitions = make_definitions();
    return definitions;
}

namespace {

std::string engine_config(const ServiceConfig& config, const char* flavour) {
    json settings = json::parse(config.engine_extra_json);
    settings["flavour"] = flavour;
    settings["rule_pack"] = config.rule_pack;
    return settings.dump();
}

}  // namespace

CdsApplication::CdsApplication(const ServiceConfig& config, const casecheck::plugin& plugin,
                               std::unique_ptr<RequestAuthenticator> authenticator, std::unique_ptr<FeedbackLog> feedback_log)
    : cards_engine_(plugin.create_engine(engine_config(config, "cds-hooks"))),
      native_engine_(plugin.create_engine(engine_config(config, "native"))),
      authenticator_(std::move(authenticator)),
      feedback_log_(std::move(feedback_log)),
      auth_enabled_(config.auth.enabled) {
    if (auth_enabled_ && !authenticator_) throw std::logic_error("authentication is enabled but no authenticator was given");
}

HttpAnswer CdsApplication::handle(const HttpExchange& request) const {
    try {
        std::string path = request.target.substr(0, request.target.find('?'));
        if (path == "/healthz") {
            if (request.method != "GET") return error_answer(405, "health", "not-supported", "use GET");
            HttpAnswer answer;
            answer.route = "health";
            answer.body = R"({"status":"ok"})";
            return answer;
        }
        if (path == "/cds-services" || path == "/cds-services/") {
            if (request.method != "GET") return error_answer(405, "discovery", "not-supported", "use GET");
            return discovery();
        }
        const std::string prefix = "/cds-services/";
        if (path.compare(0, prefix.size(), prefix) != 0) return error_answer(404, "unknown", "not-found", "no such endpoint");
        std::string rest = path.substr(prefix.size());
        bool feedback = false;
        if (const auto slash = rest.find('/'); slash != std::string::npos) {
            if (rest.substr(slash) != "/feedback") return error_answer(404, "unknown", "not-found", "no such endpoint");
            feedback = true;
            rest.resize(slash);
        }
        const auto& services = service_definitions();
        const auto service = std::find_if(services.begin(), services.end(), [&](const ServiceDefinition& s) { return s.id == rest; });
        if (service == services.end()) return error_answer(404, "unknown", "not-found", "no such CDS service");
        const std::string route = (feedback ? "feedback:" : "hook:") + service->id;
        if (request.method != "POST") return error_answer(405, route, "not-supported", "use POST");

        if (auth_enabled_) {
            const AuthVerdict verdict = authenticator_->check(request.authorization);
            if (!verdict.accepted) {
                HttpAnswer answer = error_answer(401, route, "login", "a valid bearer token for this endpoint is required");
                answer.www_authenticate = "Bearer error=\"invalid_token\"";
                answer.route = route + " (" + verdict.reason + ")";
                return answer;
            }
        }
        const std::string type = request.content_type.substr(0, request.content_type.find(';'));
        if (type != "application/json") return error_answer(415, route, "not-supported", "the body must be application/json");

        HttpAnswer answer = feedback ? receive_feedback(*service, request) : call_hook(*service, request);
        if (answer.route == "unknown") answer.route = route;
        return answer;
    } catch (const TooDeep&) {
        return error_answer(400, "unknown", "too-costly", "the body nests deeper than " + std::to_string(max_json_depth) + " levels");
    } catch (const std::bad_alloc&) {
        return error_answer(503, "unknown", "exception", "out of memory");
    } catch (const std::exception&) {
        // The message may hold fragments of the input, so it is neither logged nor returned.
        return error_answer(500, "unknown", "exception", "internal error");
    }
}

HttpAnswer CdsApplication::discovery() const {
    ordered_json services = ordered_json::array();
    for (const auto& service : service_definitions()) {
        ordered_json entry = {{"hook", service.hook}, {"title", service.title}, {"description", service.description}, {"id", service.id}};
        ordered_json prefetch = ordered_json::object();
        for (const auto& [key, query] : service.prefetch) prefetch[key] = query;
        entry["prefetch"] = std::move(prefetch);
        entry["usageRequirements"] = "Requires a JWT signed by a trusted issuer (aud = this service's URL). Optional prefetch keys: " +
                                     [&] {
                                         std::string keys;
                                         for (const auto& key : service.optional_prefetch) keys += (keys.empty() ? "" : ", ") + key;
                                         return keys.empty() ? std::string("none") : keys;
                                     }() + "; every other key is needed (the service does not query FHIR servers).";
        services.push_back(std::move(entry));
    }
    HttpAnswer answer;
    answer.route = "discovery";
    answer.body = ordered_json{{"services", std::move(services)}}.dump();
    return answer;
}

HttpAnswer CdsApplication::call_hook(const ServiceDefinition& service, const HttpExchange& request) const {
    const json body = parse_body(request.body);
    if (body.is_discarded() || !body.is_object()) return error_answer(400, "unknown", "invalid", "the body is not a JSON object");
    if (string_member(body, "hook") != service.hook) {
        return error_answer(400, "unknown", "invalid", "hook must be \"" + service.hook + "\" for this service");
    }
    if (string_member(body, "hookInstance").empty()) return error_answer(400, "unknown", "required", "hookInstance is required");
    if (find_member(body, "fhirAuthorization") != nullptr && string_member(body, "fhirServer").empty()) {
        return error_answer(400, "unknown", "required", "fhirServer is required with fhirAuthorization");
    }
    const json* context = find_member(body, "context");
    if (context == nullptr || !context->is_object()) return error_answer(400, "unknown", "required", "context is required");
    for (const auto& field : service.required_context) {
        const json* value = find_member(*context, field.c_str());
        const bool resource_field = field == service.judged_context;
        if (value == nullptr || (resource_field ? !value->is_object() : (!value->is_string() || value->get_ref<const std::string&>().empty()))) {
            return error_answer(400, "unknown", "required",
                                "context." + field + (resource_field ? " (a FHIR resource or Bundle)" : " (a string)") + " is required");
        }
    }

    // Prefetch: a missing required key is data the service lacks and cannot fetch, which CDS Hooks answers with 412.
    const json* prefetch = find_member(body, "prefetch");
    if (prefetch != nullptr && !prefetch->is_object() && !prefetch->is_null()) {
        return error_answer(400, "unknown", "invalid", "prefetch must be an object");
    }
    CaseBundle bundle;
    std::string missing;
    for (const auto& [key, query] : service.prefetch) {
        const json* value = prefetch != nullptr && prefetch->is_object() ? find_member(*prefetch, key.c_str()) : nullptr;
        const bool failed = value != nullptr && string_member(*value, "resourceType") == "OperationOutcome";
        if ((value == nullptr || failed) && service.optional_prefetch.count(key) == 0) {
            missing += (missing.empty() ? "" : ", ") + key;
            continue;
        }
        if (value == nullptr || failed || value->is_null()) continue;
        if (!value->is_object()) return error_answer(400, "unknown", "invalid", "prefetch." + key + " must be a FHIR resource, a Bundle or null");
        bundle.add(*value);
    }
    if (!missing.empty()) {
        return error_answer(412, "unknown", "incomplete",
                            "prefetch lacks " + missing + "; this service does not query FHIR servers, so the client must prefetch them");
    }

    std::set<std::string> judged_records;
    if (!service.judged_context.empty()) {
        const json& judged = (*context)[service.judged_context];
        CaseBundle only_judged;
        only_judged.add(judged);
        const json resources = json::parse(only_judged.dump());
        for (const auto& entry : resources["entry"]) {
            const json& resource = entry["resource"];
            // Of the draft orders only referrals are casecheck's business; a medication order is not a record.
            if (service.judged_context == "draftOrders" && string_member(resource, "resourceType") != "ServiceRequest") continue;
            if (service.judged_context == "document" && string_member(resource, "resourceType") != "DocumentReference") continue;
            add_record_ids(resource, judged_records);
        }
        if (judged_records.empty()) {
            HttpAnswer answer;
            answer.body = R"({"cards":[]})";
            return answer;
        }
        if (service.judged_context == "document") {
            // The hook fires as the note is signed, so judge it as signed: "not signed" would be noise.
            json signing = judged;
            signing["docStatus"] = "final";
            bundle.add(signing);
        } else {
            bundle.add(judged);  // added last: the version being signed replaces a stored copy
        }
    }

    const std::string case_bundle = bundle.dump();
    json cards_response;
    std::set<std::string> judged_prompts;
    try {
        cards_response = json::parse(cards_engine_.check(case_bundle).view());
        if (!judged_records.empty()) {
            const json native = json::parse(native_engine_.check(case_bundle).view());
            for (const auto& prompt : native["prompts"]) {
                if (judged_records.count(prompt.value("record", "")) != 0) judged_prompts.insert(prompt.value("id", ""));
            }
        }
    } catch (const casecheck::error& e) {
        const std::string status = e.status_name();
        if (e.status() == CASECHECK_E_LIMIT) return error_answer(413, "unknown", "too-costly", "the case is over the engine's limits (" + status + ")");
        if (e.status() == CASECHECK_E_SCHEMA || e.status() == CASECHECK_E_PARSE || e.status() == CASECHECK_E_ENCODING) {
            return error_answer(400, "unknown", "structure", "the prefetch or context holds FHIR R4 that casecheck cannot read (" + status + ")");
        }
        return error_answer(500, "unknown", "exception", "the engine failed (" + status + ")");
    }

    json kept = json::array();
    for (auto& card : cards_response["cards"]) {
        const std::string criterion = card["source"]["topic"].value("code", "");
        const std::string prompt = card.value("uuid", "");
        if (!service.criteria.empty() && service.criteria.count(criterion) == 0) continue;
        if (!service.judged_context.empty() && judged_prompts.count(prompt) == 0) continue;
        card["uuid"] = prompt + ":" + criterion;
        card["summary"] = clamp_summary(card.value("summary", ""));
        kept.push_back(std::move(card));
    }
    std::stable_sort(kept.begin(), kept.end(), [](const json& a, const json& b) { return indicator_rank(a) < indicator_rank(b); });
    json response = {{"cards", std::move(kept)}};
    if (cards_response.contains("extension")) response["extension"] = cards_response["extension"];
    HttpAnswer answer;
    answer.body = response.dump();
    return answer;
}

HttpAnswer CdsApplication::receive_feedback(const ServiceDefinition& service, const HttpExchange& request) const {
    const json body = parse_body(request.body);
    if (body.is_discarded() || !body.is_object()) return error_answer(400, "unknown", "invalid", "the body is not a JSON object");
    const json* items = find_member(body, "feedback");
    if (items == nullptr || !items->is_array() || items->empty()) return error_answer(400, "unknown", "required", "feedback must be a non-empty array");
    if (items->size() > max_feedback_items) {
        return error_answer(413, "unknown", "too-costly", "at most " + std::to_string(max_feedback_items) + " feedback items per request");
    }

    const std::string received = utc_now_rfc3339();
    std::vector<FeedbackEntry> entries;
    for (std::size_t i = 0; i < items->size(); ++i) {
        const json& item = (*items)[i];
        const std::string at = "feedback[" + std::to_string(i) + "]";
        FeedbackEntry entry;
        entry.service = service.id;
        entry.received = received;
        entry.card = string_member(item, "card");
        if (!split_card_uuid(entry.card, entry.prompt, entry.criterion)) {
            return error_answer(400, "unknown", "invalid", at + ".card is not a card uuid this service issued");
        }
        entry.outcome = string_member(item, "outcome");
        if (entry.outcome != "accepted" && entry.outcome != "overridden") {
            return error_answer(400, "unknown", "invalid", at + ".outcome must be accepted or overridden");
        }
        entry.outcome_timestamp = string_member(item, "outcomeTimestamp");
        if (!all_of_chars(entry.outcome_timestamp, 40, timestamp_char)) {
            return error_answer(400, "unknown", "required", at + ".outcomeTimestamp (RFC 3339, UTC) is required");
        }
        if (entry.outcome == "accepted") {
            const json* accepted = find_member(item, "acceptedSuggestions");
            if (accepted == nullptr || !accepted->is_array() || accepted->empty()) {
                return error_answer(400, "unknown", "required", at + ".acceptedSuggestions is required for an accepted outcome");
            }
            for (const auto& suggestion : *accepted) {
                const std::string id = string_member(suggestion, "id");
                if (!is_suggestion_id(id)) return error_answer(400, "unknown", "invalid", at + ".acceptedSuggestions holds an id this service did not issue");
                entry.accepted_suggestions.push_back(id);
            }
        } else if (const json* reason = find_member(item, "overrideReason")) {
            if (!reason->is_object()) return error_answer(400, "unknown", "invalid", at + ".overrideReason must be an object");
            if (const json* coding = find_member(*reason, "reason")) {
                entry.reason_system = string_member(*coding, "system");
                entry.reason_code = string_member(*coding, "code");
                // Codes only: anything else could be a clinician's words about the client, which the log never holds.
                if (!all_of_chars(entry.reason_code, 64, code_char) || !all_of_chars(entry.reason_system, 256, uri_char)) {
                    return error_answer(400, "unknown", "invalid", at + ".overrideReason.reason must be a Coding with system and code");
                }
            }
            entry.comment_given = find_member(*reason, "userComment") != nullptr;
        }
        entries.push_back(std::move(entry));
    }
    if (!feedback_log_->append(entries)) return error_answer(500, "unknown", "exception", "the feedback could not be stored");
    HttpAnswer answer;
    answer.body = "{}";
    return answer;
}

}  // namespace casecheck::cds
