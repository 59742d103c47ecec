// FHIR R4 JSON -> records: the inverse of to_fhir.cpp for what casecheck
// writes, and a faithful reading of plain FHIR that an EHR already holds.
#include "casecheck/fhir/mapping.hpp"

#include "object_reader.hpp"
#include "vocabulary.hpp"

#include <map>
#include <set>

namespace casecheck::fhir {
namespace {

namespace vocab = vocabulary;
using model::Instant;
using model::Party;
using model::Record;
using model::SchemaError;
using nlohmann::json;

std::optional<std::string> decode_base64(std::string_view text) {
    const auto value = [](char c) -> int {
        if (c >= 'A' && c <= 'Z') return c - 'A';
        if (c >= 'a' && c <= 'z') return c - 'a' + 26;
        if (c >= '0' && c <= '9') return c - '0' + 52;
        if (c == '+') return 62;
        if (c == '/') return 63;
        return -1;
    };
    std::string out;
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t padding = 0;
    for (const char c : text) {
        if (c == '=') {
            ++padding;
            continue;
        }
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        const int v = value(c);
        if (v < 0 || padding > 0) return std::nullopt;
        buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>((buffer >> bits) & 0xFFu);
        }
    }
    if (padding > 2) return std::nullopt;
    return out;
}

// Typed access to FHIR JSON with JSON-pointer error paths; the first error wins
// and later reads return nothing, so mapping code reads straight through.
class Reader {
public:
    explicit Reader(std::optional<SchemaError>& error) : error_(error) {}

    const json* member(const json& object, const char* key) const {
        if (error_ || !object.is_object()) return nullptr;
        const auto it = object.find(key);
        return it == object.end() || it->is_null() ? nullptr : &*it;
    }

    // Typed members come from the record model's reader, so both report types alike.
    const json* object(const json& parent, const char* key, const std::string& path) { return at(parent, path).object_member(key); }
    std::optional<std::string> string(const json& parent, const char* key, const std::string& path) { return at(parent, path).string(key); }
    std::optional<bool> boolean(const json& parent, const char* key, const std::string& path) { return at(parent, path).boolean(key); }
    std::optional<Instant> instant(const json& parent, const char* key, const std::string& path) { return at(parent, path).instant(key); }

    // An array member, with each element's path; a single object where an array belongs is a type error.
    std::vector<std::pair<const json*, std::string>> array(const json& parent, const char* key, const std::string& path) {
        std::vector<std::pair<const json*, std::string>> items;
        const json* value = at(parent, path).array_member(key);
        if (value == nullptr) return items;
        for (std::size_t i = 0; i < value->size(); ++i) items.emplace_back(&(*value)[i], path + "/" + key + "/" + std::to_string(i));
        return items;
    }

    std::optional<model::Period> period(const json& parent, const char* key, const std::string& path) {
        const json* value = object(parent, key, path);
        if (value == nullptr) return std::nullopt;
        return model::Period{instant(*value, "start", path + "/" + key), instant(*value, "end", path + "/" + key)};
    }

    // CodeableConcept.text, else the first coding's display or code.
    std::optional<std::string> concept_text_of(const json& concept, const std::string& path) {
        if (!concept.is_object()) return fail(path, "must be an object"), std::nullopt;
        if (auto text = string(concept, "text", path)) return text;
        for (const auto& [coding, coding_path] : array(concept, "coding", path)) {
            if (auto display = string(*coding, "display", coding_path)) return display;
            if (auto code = string(*coding, "code", coding_path)) return code;
        }
        return std::nullopt;
    }

    std::optional<std::string> concept_text(const json& parent, const char* key, const std::string& path) {
        const json* concept = object(parent, key, path);
        return concept == nullptr ? std::nullopt : concept_text_of(*concept, path + "/" + key);
    }

    // The text of the first CodeableConcept of an array member.
    std::optional<std::string> first_concept_text(const json& parent, const char* key, const std::string& path) {
        const auto items = array(parent, key, path);
        return items.empty() ? std::nullopt : concept_text_of(*items.front().first, items.front().second);
    }

    // The extensions of an element with one URL.
    std::vector<std::pair<const json*, std::string>> extensions(const json& element, std::string_view url, const std::string& path) {
        std::vector<std::pair<const json*, std::string>> found;
        for (const auto& [extension, extension_path] : array(element, "extension", path)) {
            if (!extension->is_object()) {
                fail(extension_path, "must be an object");
                break;
            }
            if (string(*extension, "url", extension_path) == std::optional<std::string>(url)) found.emplace_back(extension, extension_path);
        }
        return found;
    }

    const json* extension(const json& element, std::string_view url, const std::string& path, std::string* found_path = nullptr) {
        auto found = extensions(element, url, path);
        if (found.empty()) return nullptr;
        if (found_path != nullptr) *found_path = found.front().second;
        return found.front().first;
    }

    std::optional<std::string> extension_string(const json& element, std::string_view url, const std::string& path) {
        std::string at;
        const json* e = extension(element, url, path, &at);
        return e == nullptr ? std::nullopt : string(*e, "valueString", at);
    }

    std::optional<bool> extension_boolean(const json& element, std::string_view url, const std::string& path) {
        std::string at;
        const json* e = extension(element, url, path, &at);
        return e == nullptr ? std::nullopt : boolean(*e, "valueBoolean", at);
    }

    std::optional<Instant> extension_instant(const json& element, std::string_view url, const std::string& path) {
        std::string at;
        const json* e = extension(element, url, path, &at);
        return e == nullptr ? std::nullopt : instant(*e, "valueDateTime", at);
    }

    // A Reference as a party: identifier value as id, display as name, the role extension as role.
    std::optional<Party> party(const json& parent, const char* key, const std::string& path) {
        const json* reference = object(parent, key, path);
        return reference == nullptr ? std::nullopt : party_of(*reference, path + "/" + key);
    }

    std::optional<Party> party_of(const json& reference, const std::string& path) {
        Party p;
        p.role = extension_string(reference, vocab::extension("party-role"), path);
        if (const json* identifier = object(reference, "identifier", path)) p.id = string(*identifier, "value", path + "/identifier");
        if (!p.id) {
            // A plain FHIR reference ("Practitioner/123") names the party by its id.
            if (auto target = string(reference, "reference", path); target && target->find('/') != std::string::npos &&
                                                                     target->rfind("urn:", 0) != 0) {
                p.id = target->substr(target->rfind('/') + 1);
            }
        }
        p.name = string(reference, "display", path);
        if (!p.id && !p.name && !p.role) return std::nullopt;
        return p;
    }

    bool failed() const { return error_.has_value(); }

    std::nullptr_t fail(const std::string& path, std::string message) {
        if (!error_) error_ = SchemaError{path, std::move(message)};
        return nullptr;
    }

private:
    model::detail::ObjectReader at(const json& parent, const std::string& path) {
        static const json empty = json::object();
        return model::detail::ObjectReader(parent.is_object() ? parent : empty, path, error_);
    }

    std::optional<SchemaError>& error_;
};

// The resources of one case, indexed for reference resolution.
class Case {
public:
    explicit Case(const std::vector<SourceResource>& resources) : resources_(resources) {
        for (std::size_t i = 0; i < resources.size(); ++i) {
            const json& r = *resources[i].resource;
            if (!resources[i].full_url.empty()) index_[resources[i].full_url] = i;
            const auto type = r.find("resourceType");
            const auto id = r.find("id");
            if (type != r.end() && type->is_string() && id != r.end() && id->is_string()) {
                index_[type->get<std::string>() + "/" + id->get<std::string>()] = i;
            }
        }
    }

    // The resource a Reference points at inside the case, if any.
    std::optional<std::size_t> resolve(const json& reference) const {
        const auto target = reference.find("reference");
        if (target == reference.end() || !target->is_string()) return std::nullopt;
        const auto found = index_.find(target->get<std::string>());
        if (found == index_.end()) return std::nullopt;
        return found->second;
    }

    std::string type_of(std::size_t i) const { return resources_[i].resource->value("resourceType", ""); }
    const json& at(std::size_t i) const { return *resources_[i].resource; }
    const std::string& path_of(std::size_t i) const { return resources_[i].path; }
    std::size_t size() const { return resources_.size(); }

private:
    const std::vector<SourceResource>& resources_;
    std::map<std::string, std::size_t> index_;
};

class CaseReader {
public:
    CaseReader(const std::vector<SourceResource>& resources, FhirReadResult& result)
        : case_(resources), result_(result), r_(result.error) {}

    void read() {
        for (std::size_t i = 0; i < case_.size() && !r_.failed(); ++i) {
            const json& resource = case_.at(i);
            if (!resource.is_object()) {
                r_.fail(case_.path_of(i), "must be a FHIR resource (a JSON object)");
                return;
            }
            if (!resource.contains("resourceType") || !resource["resourceType"].is_string()) {
                r_.fail(case_.path_of(i) + "/resourceType", resource.contains("resourceType") ? "must be a string" : "required field is missing");
                return;
            }
            if (!vocab::is_r4_resource_type(resource["resourceType"].get_ref<const std::string&>())) {
                r_.fail(case_.path_of(i) + "/resourceType", "is not a FHIR R4 resource type");
                return;
            }
        }
        // Supporting resources first, so the main ones can claim them.
        for (std::size_t i = 0; i < case_.size() && !r_.failed(); ++i) {
            const std::string type = case_.type_of(i);
            if (type == "DocumentReference") read_document_reference(i);
            else if (type == "Composition") read_composition(i);
            else if (type == "CarePlan") read_care_plan(i);
            else if (type == "ServiceRequest") read_service_request(i);
            else if (type == "Consent") read_consent(i);
            else if (type == "Encounter") read_encounter(i);
        }
        if (r_.failed()) return;
        for (std::size_t i = 0; i < case_.size(); ++i) {
            if (used_.count(i) == 0) ++result_.value.skipped[case_.type_of(i)];
        }
    }

private:
    // A record read from resource i: marked used, with its id and client.
    Record start_record(std::size_t i, const char* role, const char* subject_key) {
        used_.insert(i);
        Record record;
        record.id = record_id(i, role);
        record.client = client(i, subject_key);
        return record;
    }

    std::string record_id(std::size_t i, const char* fallback_role) {
        const json& resource = case_.at(i);
        for (const auto& [identifier, path] : r_.array(resource, "identifier", case_.path_of(i))) {
            if (r_.string(*identifier, "system", path) == std::optional<std::string>(vocab::record_id_system)) {
                if (auto value = r_.string(*identifier, "value", path)) return *value;
            }
        }
        if (auto id = r_.string(resource, "id", case_.path_of(i))) return *id;
        return std::string(fallback_role) + "-" + std::to_string(i);
    }

    std::optional<std::string> client(std::size_t i, const char* key) {
        const json* subject = r_.object(case_.at(i), key, case_.path_of(i));
        if (subject == nullptr) return std::nullopt;
        const std::string path = case_.path_of(i) + "/" + key;
        if (const json* identifier = r_.object(*subject, "identifier", path)) return r_.string(*identifier, "value", path + "/identifier");
        if (auto reference = r_.string(*subject, "reference", path)) {
            if (reference->rfind("Patient/", 0) == 0) return reference->substr(8);
            return reference;
        }
        return std::nullopt;
    }

    // Resources of `type` whose `key` references resource i (directly or in an array).
    std::vector<std::size_t> referring(std::size_t i, const char* type, const char* key, const char* nested = nullptr) {
        std::vector<std::size_t> found;
        for (std::size_t k = 0; k < case_.size(); ++k) {
            if (case_.type_of(k) != type) continue;
            const auto it = case_.at(k).find(key);
            if (it == case_.at(k).end()) continue;
            const auto points_here = [&](const json& element) {
                const json& ref = nested != nullptr && element.is_object() && element.contains(nested) ? element[nested] : element;
                return ref.is_object() && case_.resolve(ref) == i;
            };
            bool match = false;
            if (it->is_array()) {
                for (const auto& element : *it) match = match || points_here(element);
            } else {
                match = points_here(*it);
            }
            if (match) found.push_back(k);
        }
        return found;
    }

    model::Disclosure read_communication(std::size_t k) {
        used_.insert(k);
        const json& c = case_.at(k);
        const std::string& path = case_.path_of(k);
        model::Disclosure d;
        std::string at;
        if (const json* exception = r_.extension(c, vocab::extension("disclosure-exception"), path, &at)) {
            d.exception = r_.extension_string(*exception, "basis", at);
            d.exception_rationale = r_.extension_string(*exception, "rationale", at);
        }
        d.date = r_.instant(c, "sent", path);
        const auto recipients = r_.array(c, "recipient", path);
        if (!recipients.empty()) {
            d.recipient = r_.string(*recipients.front().first, "display", recipients.front().second);
            d.role = r_.extension_string(*recipients.front().first, vocab::extension("party-role"), recipients.front().second);
        }
        d.purpose = r_.first_concept_text(c, "reasonCode", path);
        for (const auto& [payload, payload_path] : r_.array(c, "payload", path)) {
            if (auto item = r_.string(*payload, "contentString", payload_path)) d.items.push_back(*item);
        }
        return d;
    }

    void read_provenance(std::size_t document, std::optional<Party>& author, std::optional<model::Occurrence>& occurred,
                         std::optional<Instant>& recorded, std::optional<model::Amendment>& amends) {
        for (const std::size_t k : referring(document, "Provenance", "target")) {
            used_.insert(k);
            const json& p = case_.at(k);
            const std::string& path = case_.path_of(k);
            if (auto when = r_.period(p, "occurredPeriod", path)) occurred = when;
            else if (auto at = r_.instant(p, "occurredDateTime", path)) occurred = model::Occurrence{at, std::nullopt};
            if (auto at = r_.instant(p, "recorded", path)) recorded = at;
            const auto agents = r_.array(p, "agent", path);
            if (!agents.empty()) {
                const auto& [agent, agent_path] = agents.front();
                if (auto who = r_.party(*agent, "who", agent_path)) author = who;
                if (author && !author->role) author->role = r_.first_concept_text(*agent, "role", agent_path);
            }
            if (amends) amends->reason = r_.first_concept_text(p, "reason", path);
        }
    }

    void read_document_reference(std::size_t i) {
        const json& d = case_.at(i);
        const std::string& path = case_.path_of(i);
        bool is_assessment = false;
        for (const auto& [category, category_path] : r_.array(d, "category", path)) {
            for (const auto& [c, coding_path] : r_.array(*category, "coding", category_path)) {
                if (r_.string(*c, "system", coding_path) == std::optional<std::string>(vocab::record_kind_system) &&
                    r_.string(*c, "code", coding_path) == std::optional<std::string>("assessment")) {
                    is_assessment = true;
                }
            }
        }
        Record record = start_record(i, "document", "subject");

        std::optional<Party> author;
        const auto authors = r_.array(d, "author", path);
        if (!authors.empty()) author = r_.party_of(*authors.front().first, authors.front().second);
        std::optional<model::Occurrence> occurred;
        if (const json* context = r_.object(d, "context", path)) occurred = r_.period(*context, "period", path + "/context");
        std::optional<Instant> recorded = r_.instant(d, "date", path);
        std::optional<model::Amendment> amends;
        const auto relations = r_.array(d, "relatesTo", path);
        if (!relations.empty()) {
            amends = model::Amendment{};
            if (const json* target = r_.object(*relations.front().first, "target", relations.front().second)) {
                const std::string target_path = relations.front().second + "/target";
                if (const json* identifier = r_.object(*target, "identifier", target_path)) amends->id = r_.string(*identifier, "value", target_path + "/identifier");
                else if (const auto k = case_.resolve(*target)) amends->id = record_id(*k, "document");
            }
        }
        read_provenance(i, author, occurred, recorded, amends);

        std::optional<std::string> text;
        const auto contents = r_.array(d, "content", path);
        if (!contents.empty()) {
            if (const json* attachment = r_.object(*contents.front().first, "attachment", contents.front().second)) {
                const std::string attachment_path = contents.front().second + "/attachment";
                if (auto data = r_.string(*attachment, "data", attachment_path)) {
                    text = decode_base64(*data);
                    if (!text) r_.fail(attachment_path + "/data", "must be base64");
                }
            }
        }

        if (is_assessment) {
            model::Assessment a;
            a.author = author;
            a.occurred = occurred;
            a.recorded = recorded;
            a.text = text;
            for (const auto& [e, at] : r_.extensions(d, vocab::extension("assessment-domain"), path)) {
                if (auto v = r_.string(*e, "valueString", at)) a.domains.push_back(*v);
            }
            a.client_views = r_.extension_string(d, vocab::extension("client-views"), path);
            for (const auto& [e, at] : r_.extensions(d, vocab::extension("information-source"), path)) {
                if (auto v = r_.string(*e, "valueString", at)) a.sources.push_back(*v);
            }
            a.risks = risks(d, path);
            a.reassess_by = r_.extension_instant(d, vocab::extension("reassess-by"), path);
            record.body = std::move(a);
        } else {
            model::Note n;
            n.author = author;
            n.occurred = occurred;
            n.recorded = recorded;
            n.text = text;
            n.amends = amends;
            if (auto status = r_.string(d, "docStatus", path)) {
                if (*status == "final" || *status == "amended") n.is_signed = true;
                else if (*status == "preliminary") n.is_signed = false;
            }
            if (const json* type = r_.object(d, "type", path)) {
                n.type = r_.string(*type, "text", path + "/type");
                for (const auto& [c, coding_path] : r_.array(*type, "coding", path + "/type")) {
                    const auto code = r_.string(*c, "code", coding_path);
                    for (const auto& document : vocab::note_documents) {
                        if (!n.type && code && *code == document.code) n.type = std::string(document.note_type);
                    }
                }
            }
            std::string at;
            if (const json* late = r_.extension(d, vocab::extension("late-entry"), path, &at)) {
                n.late_entry = model::LateEntry{r_.extension_boolean(*late, "flag", at).value_or(false),
                                                r_.extension_string(*late, "reason", at)};
            }
            n.consent_reconfirmed = r_.extension_boolean(d, vocab::extension("consent-reconfirmed"), path);
            for (const auto& [e, at] : r_.extensions(d, vocab::extension("information-given"), path)) {
                if (auto v = r_.string(*e, "valueString", at)) n.information_given.push_back(*v);
            }
            n.signed_at = r_.extension_instant(d, vocab::extension("signed-at"), path);
            for (const std::size_t k : referring(i, "Communication", "payload", "contentReference")) {
                n.disclosures.push_back(read_communication(k));
            }
            record.body = std::move(n);
        }
        emit(std::move(record));
    }

    void read_composition(std::size_t i) {
        const json& c = case_.at(i);
        const std::string& path = case_.path_of(i);
        Record record = start_record(i, "composition", "subject");
        model::Note n;
        n.type = r_.concept_text(c, "type", path);
        n.recorded = r_.instant(c, "date", path);
        const auto authors = r_.array(c, "author", path);
        if (!authors.empty()) n.author = r_.party_of(*authors.front().first, authors.front().second);
        if (auto status = r_.string(c, "status", path)) n.is_signed = *status == "final" || *status == "amended";
        const auto events = r_.array(c, "event", path);
        if (!events.empty()) n.occurred = r_.period(*events.front().first, "period", events.front().second);
        // The note's text is the narrative of its sections, markup and all.
        std::string text;
        for (const auto& [section, section_path] : r_.array(c, "section", path)) {
            if (const json* narrative = r_.object(*section, "text", section_path)) {
                if (auto div = r_.string(*narrative, "div", section_path + "/text")) text += (text.empty() ? "" : "\n") + *div;
            }
        }
        if (!text.empty()) n.text = text;
        std::optional<model::Amendment> no_amendment;
        read_provenance(i, n.author, n.occurred, n.recorded, no_amendment);
        record.body = std::move(n);
        emit(std::move(record));
    }

    std::vector<model::Risk> risks(const json& element, const std::string& path) {
        std::vector<model::Risk> out;
        for (const auto& [e, at] : r_.extensions(element, vocab::extension("risk"), path)) {
            out.push_back({r_.extension_string(*e, "type", at), r_.extension_string(*e, "description", at),
                           r_.extension_string(*e, "level", at), r_.extension_string(*e, "strategy", at)});
        }
        return out;
    }

    // A required code, where "unknown" and the data-absent form both mean "not recorded".
    std::optional<std::string> status_code(const json& resource, const char* key, const std::string& path) {
        auto code = r_.string(resource, key, path);
        if (code == std::optional<std::string>("unknown")) return std::nullopt;
        return code;
    }

    void read_care_plan(std::size_t i) {
        const json& c = case_.at(i);
        const std::string& path = case_.path_of(i);
        Record record = start_record(i, "care-plan", "subject");
        model::CarePlan p;
        std::string at;
        if (const json* review = r_.extension(c, vocab::extension("review"), path, &at)) {
            p.review = model::Review{r_.extension_instant(*review, "date", at), std::nullopt};
            std::string frequency_at;
            if (const json* frequency = r_.extension(*review, "frequency", at, &frequency_at)) {
                if (const json* duration = r_.object(*frequency, "valueDuration", frequency_at)) {
                    const auto value = r_.member(*duration, "value");
                    if (value == nullptr || !value->is_number()) r_.fail(frequency_at + "/valueDuration/value", "must be a number of seconds");
                    else p.review->frequency = model::Duration{static_cast<std::int64_t>(value->get<double>() * 1000.0 + (value->get<double>() >= 0 ? 0.5 : -0.5))};
                }
            }
        }
        if (const json* agreement = r_.extension(c, vocab::extension("client-agreement"), path, &at)) {
            p.agreed_by_client = model::Agreement{r_.extension_boolean(*agreement, "agreed", at).value_or(false),
                                                  r_.extension_instant(*agreement, "date", at)};
        }
        p.risks = risks(c, path);
        p.status = status_code(c, "status", path);
        p.period = r_.period(c, "period", path);
        p.created = r_.instant(c, "created", path);
        p.author = r_.party(c, "author", path);
        for (const auto& [contributor, contributor_path] : r_.array(c, "contributor", path)) {
            if (auto who = r_.party_of(*contributor, contributor_path)) p.contributors.push_back(*who);
        }
        std::map<std::size_t, std::string> goal_ids;
        for (const auto& [goal_ref, goal_path] : r_.array(c, "goal", path)) {
            const auto k = case_.resolve(*goal_ref);
            if (!k || case_.type_of(*k) != "Goal") continue;
            used_.insert(*k);
            model::Goal goal = read_goal(*k);
            if (goal.id) goal_ids[*k] = *goal.id;
            p.goals.push_back(std::move(goal));
        }
        for (const auto& [activity, activity_path] : r_.array(c, "activity", path)) {
            model::Activity a;
            a.id = r_.string(*activity, "id", activity_path);
            if (const json* detail = r_.object(*activity, "detail", activity_path)) {
                const std::string detail_path = activity_path + "/detail";
                a.resource = r_.extension_string(*detail, vocab::extension("activity-resource"), detail_path);
                for (const auto& [goal_ref, goal_path] : r_.array(*detail, "goal", detail_path)) {
                    if (const auto k = case_.resolve(*goal_ref); k && goal_ids.count(*k)) {
                        a.goal_ids.push_back(goal_ids[*k]);
                    } else if (const json* identifier = r_.object(*goal_ref, "identifier", goal_path)) {
                        if (auto value = r_.string(*identifier, "value", goal_path + "/identifier")) a.goal_ids.push_back(*value);
                    }
                }
                a.status = status_code(*detail, "status", detail_path);
                if (const json* scheduled = r_.object(*detail, "scheduledPeriod", detail_path)) {
                    a.scheduled = r_.instant(*scheduled, "start", detail_path + "/scheduledPeriod");
                }
                const auto performers = r_.array(*detail, "performer", detail_path);
                if (!performers.empty()) a.performer = r_.party_of(*performers.front().first, performers.front().second);
                a.description = r_.string(*detail, "description", detail_path);
            }
            p.activities.push_back(std::move(a));
        }
        for (const std::size_t k : referring(i, "Communication", "basedOn")) {
            const model::Disclosure d = read_communication(k);
            p.communicated_to.push_back({d.recipient, d.role, d.date});
        }
        record.body = std::move(p);
        emit(std::move(record));
    }

    model::Goal read_goal(std::size_t k) {
        const json& g = case_.at(k);
        const std::string& path = case_.path_of(k);
        model::Goal goal;
        goal.agreed = r_.extension_boolean(g, vocab::extension("client-agreed"), path);
        goal.review = r_.extension_instant(g, vocab::extension("next-review"), path);
        for (const auto& [identifier, identifier_path] : r_.array(g, "identifier", path)) {
            if (r_.string(*identifier, "system", identifier_path) == std::optional<std::string>(vocab::goal_id_system)) {
                goal.id = r_.string(*identifier, "value", identifier_path);
            }
        }
        if (!goal.id) goal.id = r_.string(g, "id", path);
        goal.status = r_.string(g, "lifecycleStatus", path);
        goal.achievement = r_.concept_text(g, "achievementStatus", path);
        goal.description = r_.concept_text(g, "description", path);
        const auto targets = r_.array(g, "target", path);
        if (!targets.empty()) {
            const auto& [target, target_path] = targets.front();
            goal.measure = r_.concept_text(*target, "measure", target_path);
            goal.target = r_.string(*target, "detailString", target_path);
            goal.due = r_.instant(*target, "dueDate", target_path);
        }
        if (const json* expressed = r_.object(g, "expressedBy", path)) goal.expressed_by = r_.string(*expressed, "display", path + "/expressedBy");
        for (const auto& [need, need_path] : r_.array(g, "addresses", path)) {
            if (auto display = r_.string(*need, "display", need_path)) goal.linked_needs.push_back(*display);
        }
        return goal;
    }

    std::optional<model::Provider> provider_of(const json& reference, const std::string& path) {
        return model::Provider{r_.string(reference, "display", path), r_.extension_string(reference, vocab::extension("provider-contact"), path)};
    }

    std::optional<model::Provider> provider(const json& parent, const char* key, const std::string& path) {
        const json* reference = r_.object(parent, key, path);
        return reference == nullptr ? std::nullopt : provider_of(*reference, path + "/" + key);
    }

    void read_service_request(std::size_t i) {
        const json& s = case_.at(i);
        const std::string& path = case_.path_of(i);
        Record record = start_record(i, "service-request", "subject");
        model::Transition t;
        t.client_involved = r_.extension_boolean(s, vocab::extension("client-involved"), path);
        t.type = r_.first_concept_text(s, "category", path);
        t.date = r_.instant(s, "occurrenceDateTime", path);
        t.author = r_.party(s, "requester", path);
        const auto performers = r_.array(s, "performer", path);
        if (!performers.empty()) t.to = provider_of(*performers.front().first, performers.front().second);
        t.reason = r_.first_concept_text(s, "reasonCode", path);
        for (const std::size_t k : referring(i, "Task", "focus")) {
            used_.insert(k);
            const json& task = case_.at(k);
            const std::string& task_path = case_.path_of(k);
            model::TransitionPlan plan;
            plan.agreement_date = r_.extension_instant(task, vocab::extension("agreement-date"), task_path);
            if (auto status = r_.string(task, "status", task_path)) {
                if (*status == "accepted" || *status == "in-progress" || *status == "completed") plan.agreed_with_receiver = true;
                else if (*status == "requested" || *status == "rejected") plan.agreed_with_receiver = false;
            }
            if (!t.from) t.from = provider(task, "requester", task_path);
            for (const auto& [input, input_path] : r_.array(task, "input", task_path)) {
                if (r_.concept_text(*input, "type", input_path) == std::optional<std::string>("transition-step")) {
                    if (auto step = r_.string(*input, "valueString", input_path)) plan.steps.push_back(*step);
                }
            }
            if (plan.agreement_date || plan.agreed_with_receiver || !plan.steps.empty()) t.plan = plan;
        }
        for (const std::size_t k : referring(i, "Communication", "basedOn")) t.information_sent.push_back(read_communication(k));
        for (const std::size_t k : referring(i, "Encounter", "basedOn")) used_.insert(k);  // derived from this request
        record.body = std::move(t);
        emit(std::move(record));
    }

    // An Encounter that no request of the case explains is a discharge in its own right.
    void read_encounter(std::size_t i) {
        for (const auto& [ref, ref_path] : r_.array(case_.at(i), "basedOn", case_.path_of(i))) {
            if (const auto k = case_.resolve(*ref); k && case_.type_of(*k) == "ServiceRequest") return;
        }
        const json& e = case_.at(i);
        const std::string& path = case_.path_of(i);
        Record record = start_record(i, "encounter", "subject");
        model::Transition t;
        t.type = "discharge";
        if (auto when = r_.period(e, "period", path)) t.date = when->end;
        if (const json* stay = r_.object(e, "hospitalization", path)) {
            t.reason = r_.concept_text(*stay, "dischargeDisposition", path + "/hospitalization");
            t.to = provider(*stay, "destination", path + "/hospitalization");
        }
        record.body = std::move(t);
        emit(std::move(record));
    }

    void read_consent(std::size_t i) {
        const json& c = case_.at(i);
        const std::string& path = case_.path_of(i);
        Record record = start_record(i, "consent", "patient");
        model::Consent consent;
        consent.status = r_.extension_string(c, vocab::extension("record-status"), path);
        if (!consent.status) consent.status = r_.string(c, "status", path);
        std::string at;
        if (const json* capacity = r_.extension(c, vocab::extension("capacity"), path, &at)) {
            consent.capacity = model::Capacity{r_.extension_boolean(*capacity, "assessed", at), r_.extension_string(*capacity, "outcome", at),
                                               r_.extension_string(*capacity, "decision-maker", at)};
        }
        if (const json* recorder = r_.extension(c, vocab::extension("recorded-by"), path, &at)) {
            consent.recorded_by = r_.party(*recorder, "valueReference", at);
        }
        if (const json* scope = r_.object(c, "scope", path)) {
            consent.scope = r_.string(*scope, "text", path + "/scope");
            for (const auto& [coding, coding_path] : r_.array(*scope, "coding", path + "/scope")) {
                if (!consent.scope) {
                    const auto code = r_.string(*coding, "code", coding_path);
                    if (code == std::optional<std::string>("patient-privacy")) consent.scope = "share";
                    else if (code) consent.scope = code;
                }
            }
        }
        consent.date = r_.instant(c, "dateTime", path);
        const auto verifications = r_.array(c, "verification", path);
        if (!verifications.empty()) {
            if (const json* with = r_.object(*verifications.front().first, "verifiedWith", verifications.front().second)) {
                consent.verified_with = r_.string(*with, "display", verifications.front().second + "/verifiedWith");
            }
        }
        if (const json* provision = r_.object(c, "provision", path)) {
            const std::string provision_path = path + "/provision";
            consent.period = r_.period(*provision, "period", provision_path);
            for (const auto& [actor, actor_path] : r_.array(*provision, "actor", provision_path)) {
                model::ConsentRecipient recipient;
                if (const json* role = r_.object(*actor, "role", actor_path)) recipient.role = r_.string(*role, "text", actor_path + "/role");
                if (const json* reference = r_.object(*actor, "reference", actor_path)) {
                    recipient.party = r_.string(*reference, "display", actor_path + "/reference");
                    if (!recipient.party) recipient.party = r_.string(*reference, "reference", actor_path + "/reference");
                }
                consent.recipients.push_back(std::move(recipient));
            }
            for (const auto& [purpose, purpose_path] : r_.array(*provision, "purpose", provision_path)) {
                auto text = r_.string(*purpose, "display", purpose_path);
                if (!text) text = r_.string(*purpose, "code", purpose_path);
                if (text) consent.purposes.push_back(*text);
            }
            for (const auto& [data_class, class_path] : r_.array(*provision, "class", provision_path)) {
                auto text = r_.string(*data_class, "display", class_path);
                if (!text) text = r_.string(*data_class, "code", class_path);
                if (text) consent.data_classes.push_back(*text);
            }
        }
        record.body = std::move(consent);
        emit(std::move(record));
    }

    void emit(Record record) {
        if (!r_.failed()) result_.value.records.push_back(std::move(record));
    }

    Case case_;
    FhirReadResult& result_;
    Reader r_;
    std::set<std::size_t> used_;
};

}  // namespace

FhirReadResult read_resources(const std::vector<SourceResource>& resources) {
    FhirReadResult result;
    CaseReader(resources, result).read();
    if (result.error) result.value = {};
    return result;
}

FhirReadResult read_document(const json& document) {
    std::vector<SourceResource> resources;
    const auto type = document.is_object() ? document.find("resourceType") : document.end();
    if (document.is_object() && type != document.end() && *type == "Bundle") {
        const auto entries = document.find("entry");
        if (entries != document.end() && !entries->is_array()) {
            FhirReadResult result;
            result.error = SchemaError{"/entry", "must be an array"};
            return result;
        }
        if (entries != document.end()) {
            for (std::size_t i = 0; i < entries->size(); ++i) {
                const json& entry = (*entries)[i];
                const std::string path = "/entry/" + std::to_string(i);
                const auto resource = entry.is_object() ? entry.find("resource") : entry.end();
                if (!entry.is_object() || resource == entry.end()) {
                    FhirReadResult result;
                    result.error = SchemaError{path + (entry.is_object() ? "/resource" : ""), entry.is_object() ? "required field is missing" : "must be an object"};
                    return result;
                }
                const auto full_url = entry.find("fullUrl");
                resources.push_back({&*resource, path + "/resource", full_url != entry.end() && full_url->is_string() ? full_url->get<std::string>() : ""});
            }
        }
    } else {
        resources.push_back({&document, "", ""});
    }
    return read_resources(resources);
}

bool is_fhir(const json& document) { return document.is_object() && document.contains("resourceType"); }

}  // namespace casecheck::fhir
