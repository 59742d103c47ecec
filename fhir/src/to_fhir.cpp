// Records -> FHIR R4 JSON. Keys are written in StructureDefinition order so the
// JSON reads like the spec's tables; the XML writer orders elements itself.
#include "casecheck/fhir/mapping.hpp"

#include "vocabulary.hpp"

#include <cstdint>
#include <cstdio>

namespace casecheck::fhir {
namespace {

namespace vocab = vocabulary;
using model::Instant;
using model::Party;
using model::Record;
using nlohmann::ordered_json;

// A name-based UUID (RFC 9562 version 8): stable for the same record and role.
std::string uuid_for(const std::string& record_id, std::string_view role) {
    const auto fnv = [&](std::uint64_t seed) {
        std::uint64_t hash = seed;
        const auto add = [&](std::string_view text) {
            for (const char c : text) {
                hash ^= static_cast<unsigned char>(c);
                hash *= 0x100000001b3ull;
            }
            hash ^= 0xffu;
            hash *= 0x100000001b3ull;
        };
        add(record_id);
        add(role);
        return hash;
    };
    std::uint8_t bytes[16];
    const std::uint64_t high = fnv(0xcbf29ce484222325ull), low = fnv(0x84222325cbf29ce4ull);
    for (int i = 0; i < 8; ++i) {
        bytes[i] = static_cast<std::uint8_t>(high >> (56 - 8 * i));
        bytes[8 + i] = static_cast<std::uint8_t>(low >> (56 - 8 * i));
    }
    bytes[6] = static_cast<std::uint8_t>((bytes[6] & 0x0Fu) | 0x80u);
    bytes[8] = static_cast<std::uint8_t>((bytes[8] & 0x3Fu) | 0x80u);
    char text[48];
    std::snprintf(text, sizeof text, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                  bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7], bytes[8], bytes[9],
                  bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
    return text;
}

std::string base64(std::string_view data) {
    static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8 |
                       static_cast<unsigned char>(data[i + 2]);
        out += {alphabet[n >> 18 & 63], alphabet[n >> 12 & 63], alphabet[n >> 6 & 63], alphabet[n & 63]};
    }
    if (i + 1 == data.size()) {
        const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
        out += {alphabet[n >> 18 & 63], alphabet[n >> 12 & 63], '=', '='};
    } else if (i + 2 == data.size()) {
        const auto n = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
                       static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
        out += {alphabet[n >> 18 & 63], alphabet[n >> 12 & 63], alphabet[n >> 6 & 63], '='};
    }
    return out;
}

std::string escape_xhtml(std::string_view text) {
    std::string out;
    for (const char c : text) {
        switch (c) {
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '&': out += "&amp;"; break;
            case '"': out += "&quot;"; break;
            default: out += c;
        }
    }
    return out;
}

// The element FHIR sanctions for a required value the record does not have.
ordered_json absent() {
    return {{"extension", ordered_json::array({{{"url", vocab::data_absent_reason}, {"valueCode", "unknown"}}})}};
}

ordered_json coding(std::string_view system, std::string_view code, std::string_view display = {}) {
    ordered_json c = {{"system", system}, {"code", code}};
    if (!display.empty()) c["display"] = display;
    return c;
}

// Writes the resources of one record, noting what FHIR cannot carry.
class RecordWriter {
public:
    RecordWriter(const Record& record, std::vector<MappingIssue>& issues) : record_(record), issues_(issues) {}

    std::string urn(std::string_view role) const { return uuid_for(record_.id, role); }

    // A string FHIR can hold: FHIR strings may not be empty, so "" is left out and reported.
    bool usable(const std::optional<std::string>& value, const std::string& path) {
        if (!value) return false;
        if (value->empty()) {
            issue(path, "an empty string is not a valid FHIR value; left out");
            return false;
        }
        return true;
    }

    void put_string(ordered_json& target, const char* key, const std::optional<std::string>& value, const std::string& path) {
        if (usable(value, path)) target[key] = *value;
    }

    void put_text(ordered_json& target, const char* key, const std::optional<std::string>& value, const std::string& path) {
        if (usable(value, path)) target[key] = {{"text", *value}};
    }

    // An `instant` needs a time of day; a date alone cannot be written there.
    bool put_instant(ordered_json& target, const char* key, const std::optional<Instant>& value, const std::string& path) {
        if (!value) return false;
        if (value->date_only) {
            issue(path, "FHIR records this as an instant, which needs a time of day; the date alone is left out");
            return false;
        }
        target[key] = model::format_instant(*value);
        return true;
    }

    // FHIR `date` elements: a time of day cannot be kept.
    void put_date(ordered_json& target, const char* key, const std::optional<Instant>& value, const std::string& path) {
        if (!value) return;
        if (!value->date_only) issue(path, "FHIR records this as a date; the time of day is left out");
        Instant date = *value;
        date.epoch_ms += date.offset_minutes * 60000LL;
        date.offset_minutes = 0;
        date.date_only = true;
        target[key] = model::format_instant(date).substr(0, 10);
    }

    ordered_json subject() const { return client_reference(record_.client).value_or(absent()); }

    ordered_json identifiers() const {
        return ordered_json::array({{{"system", vocab::record_id_system}, {"value", record_.id}}});
    }

    ordered_json narrative(std::string_view what) const {
        return {{"status", "generated"},
                {"div", "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>" + std::string(what) + " " +
                            escape_xhtml(record_.id) + "</p></div>"}};
    }

    // A person or organisation as a Reference; the role rides on an extension.
    std::optional<ordered_json> party(const std::optional<Party>& party, const std::string& path) {
        if (!party) return std::nullopt;
        ordered_json ref = ordered_json::object();
        if (usable(party->role, path + "/role")) {
            ref["extension"] = ordered_json::array({{{"url", vocab::extension("party-role")}, {"valueString", *party->role}}});
        }
        if (usable(party->id, path + "/id")) ref["identifier"] = {{"system", vocab::party_id_system}, {"value", *party->id}};
        put_string(ref, "display", party->name, path + "/name");
        if (ref.empty()) return std::nullopt;
        return ref;
    }

    std::optional<ordered_json> period(const std::optional<model::Period>& period) const {
        if (!period || (!period->start && !period->end)) return std::nullopt;
        ordered_json out = ordered_json::object();
        if (period->start) out["start"] = model::format_instant(*period->start);
        if (period->end) out["end"] = model::format_instant(*period->end);
        return out;
    }

    ordered_json ext_string(std::string_view name, const std::string& value) const {
        return {{"url", vocab::extension(name)}, {"valueString", value}};
    }

    // A complex extension, or nothing when none of its parts has a value (ext-1
    // forbids an extension with neither value nor parts).
    std::optional<ordered_json> ext_parts(std::string_view name, ordered_json parts, const std::string& path) {
        if (parts.empty()) {
            issue(path, "has no values FHIR can hold; left out");
            return std::nullopt;
        }
        return ordered_json{{"url", vocab::extension(name)}, {"extension", std::move(parts)}};
    }

    void issue(const std::string& path, std::string message) { issues_.push_back({record_.id, path, std::move(message)}); }

    const Record& record() const { return record_; }

private:
    const Record& record_;
    std::vector<MappingIssue>& issues_;
};

struct Entry {
    std::string full_url;
    ordered_json resource;
};

// How a Communication points at what it passed on: a plan or request it is based
// on, or (for a note's disclosures) the document itself as its payload.
struct CommunicationLink {
    std::optional<std::string> based_on;
    std::optional<std::string> payload;
};

// A disclosure as a Communication.
Entry disclosure_communication(RecordWriter& w, const model::Disclosure& d, const std::string& path, std::string_view role,
                               const CommunicationLink& link) {
    ordered_json c = {{"resourceType", "Communication"}};
    ordered_json extensions = ordered_json::array();
    if (w.usable(d.exception, path + "/exception")) {
        ordered_json parts = ordered_json::array({{{"url", "basis"}, {"valueString", *d.exception}}});
        if (w.usable(d.exception_rationale, path + "/exception_rationale")) {
            parts.push_back({{"url", "rationale"}, {"valueString", *d.exception_rationale}});
        }
        extensions.push_back(*w.ext_parts("disclosure-exception", std::move(parts), path));
    } else if (d.exception_rationale) {
        w.issue(path + "/exception_rationale", "a rationale without its exception has nowhere to go in FHIR; left out");
    }
    if (!extensions.empty()) c["extension"] = extensions;
    if (link.based_on) c["basedOn"] = ordered_json::array({{{"reference", *link.based_on}}});
    c["status"] = "completed";
    c["subject"] = w.subject();
    if (d.date) c["sent"] = model::format_instant(*d.date);
    ordered_json recipient = ordered_json::object();
    if (w.usable(d.role, path + "/role")) {
        recipient["extension"] = ordered_json::array({w.ext_string("party-role", *d.role)});
    }
    w.put_string(recipient, "display", d.recipient, path + "/recipient");
    if (!recipient.empty()) c["recipient"] = ordered_json::array({recipient});
    if (w.usable(d.purpose, path + "/purpose")) c["reasonCode"] = ordered_json::array({{{"text", *d.purpose}}});
    ordered_json payload = ordered_json::array();
    if (link.payload) payload.push_back({{"contentReference", {{"reference", *link.payload}}}});
    for (std::size_t i = 0; i < d.items.size(); ++i) {
        const std::optional<std::string> item = d.items[i];
        if (w.usable(item, path + "/items/" + std::to_string(i))) payload.push_back({{"contentString", *item}});
    }
    if (!payload.empty()) c["payload"] = payload;
    return {w.urn(role), std::move(c)};
}

// The Provenance of an entry: who recorded it, when, and when the event was.
Entry provenance(RecordWriter& w, const std::string& target, const std::optional<Party>& author,
                 const std::optional<ordered_json>& author_reference,
                 const std::optional<model::Occurrence>& occurred, const std::optional<Instant>& recorded,
                 const std::optional<model::Amendment>& amends) {
    ordered_json p = {{"resourceType", "Provenance"}};
    p["target"] = ordered_json::array({{{"reference", target}}});
    if (occurred && occurred->end) {
        p["occurredPeriod"] = *w.period(occurred);
    } else if (occurred && occurred->start) {
        p["occurredDateTime"] = model::format_instant(*occurred->start);
    }
    if (!w.put_instant(p, "recorded", recorded, "/recorded")) p["_recorded"] = absent();
    if (amends && w.usable(amends->reason, "/amends/reason")) {
        p["reason"] = ordered_json::array({{{"text", *amends->reason}}});
    }
    p["activity"] = {{"coding", ordered_json::array({coding(vocab::v3_data_operation, amends ? "UPDATE" : "CREATE")})}};
    ordered_json agent = {{"type", {{"coding", ordered_json::array({coding(vocab::provenance_participant_type, "author", "Author")})}}}};
    if (author && author->role && !author->role->empty()) agent["role"] = ordered_json::array({{{"text", *author->role}}});
    agent["who"] = author_reference ? *author_reference : absent();
    p["agent"] = ordered_json::array({agent});
    return {w.urn("provenance"), std::move(p)};
}

// A document-like record (note or assessment) as a DocumentReference.
ordered_json document_reference(RecordWriter& w, std::string_view kind, ordered_json extensions,
                                const std::optional<std::string>& type, const std::optional<bool>& is_signed,
                                const std::optional<ordered_json>& author, const std::optional<Instant>& recorded,
                                const std::optional<model::Amendment>& amends, const std::optional<std::string>& text,
                                const std::optional<model::Occurrence>& occurred) {
    ordered_json d = {{"resourceType", "DocumentReference"}};
    d["text"] = w.narrative(kind == "note" ? "Case note" : "Assessment");
    if (!extensions.empty()) d["extension"] = std::move(extensions);
    d["identifier"] = w.identifiers();
    d["status"] = "current";
    if (is_signed) d["docStatus"] = *is_signed ? "final" : "preliminary";
    if (w.usable(type, "/type")) {
        ordered_json concept = ordered_json::object();
        for (const auto& document : vocab::note_documents) {
            if (document.note_type == *type) {
                concept["coding"] = ordered_json::array({coding(vocab::loinc, document.code, document.display)});
                break;
            }
        }
        concept["text"] = *type;
        d["type"] = concept;
    }
    d["category"] = ordered_json::array({{{"coding", ordered_json::array({coding(vocab::record_kind_system, kind)})}}});
    d["subject"] = w.subject();
    // A date-only entry time cannot be an instant; the Provenance reports it.
    if (recorded && !recorded->date_only) d["date"] = model::format_instant(*recorded);
    if (author) d["author"] = ordered_json::array({*author});
    if (amends) {
        ordered_json target = absent();
        if (amends->id && !amends->id->empty()) {
            target = {{"identifier", {{"system", vocab::record_id_system}, {"value", *amends->id}}}};
        }
        d["relatesTo"] = ordered_json::array({{{"code", "appends"}, {"target", target}}});
    }
    ordered_json attachment = absent();
    if (w.usable(text, "/text")) attachment = {{"contentType", "text/plain; charset=utf-8"}, {"data", base64(*text)}};
    d["content"] = ordered_json::array({{{"attachment", attachment}}});
    if (const auto when = w.period(occurred)) d["context"] = {{"period", *when}};
    return d;
}

void map_note(RecordWriter& w, const model::Note& n, std::vector<Entry>& out) {
    ordered_json extensions = ordered_json::array();
    if (n.late_entry) {
        ordered_json parts = ordered_json::array({{{"url", "flag"}, {"valueBoolean", n.late_entry->flag}}});
        if (w.usable(n.late_entry->reason, "/late_entry/reason")) parts.push_back({{"url", "reason"}, {"valueString", *n.late_entry->reason}});
        extensions.push_back({{"url", vocab::extension("late-entry")}, {"extension", parts}});
    }
    if (n.consent_reconfirmed) {
        extensions.push_back({{"url", vocab::extension("consent-reconfirmed")}, {"valueBoolean", *n.consent_reconfirmed}});
    }
    for (std::size_t i = 0; i < n.information_given.size(); ++i) {
        if (w.usable(n.information_given[i], "/information_given/" + std::to_string(i))) {
            extensions.push_back(w.ext_string("information-given", n.information_given[i]));
        }
    }
    if (n.signed_at) {
        extensions.push_back({{"url", vocab::extension("signed-at")}, {"valueDateTime", model::format_instant(*n.signed_at)}});
    }
    if (n.amends && n.amends->id && n.amends->id->empty()) w.issue("/amends/id", "an empty string is not a valid FHIR value; left out");

    const std::string document = w.urn("document");
    const auto author = w.party(n.author, "/author");
    out.push_back({document, document_reference(w, "note", std::move(extensions), n.type, n.is_signed, author,
                                                 n.recorded, n.amends, n.text, n.occurred)});
    out.push_back(provenance(w, document, n.author, author, n.occurred, n.recorded, n.amends));
    for (std::size_t i = 0; i < n.disclosures.size(); ++i) {
        out.push_back(disclosure_communication(w, n.disclosures[i], "/disclosures/" + std::to_string(i),
                                               "disclosure:" + std::to_string(i), {std::nullopt, document}));
    }
}

std::optional<ordered_json> risk_extension(RecordWriter& w, const model::Risk& risk, const std::string& path) {
    ordered_json parts = ordered_json::array();
    const auto part = [&](const char* name, const std::optional<std::string>& value) {
        if (w.usable(value, path + "/" + name)) parts.push_back({{"url", name}, {"valueString", *value}});
    };
    part("type", risk.type);
    part("description", risk.description);
    part("level", risk.level);
    part("strategy", risk.strategy);
    return w.ext_parts("risk", std::move(parts), path);
}

void map_assessment(RecordWriter& w, const model::Assessment& a, std::vector<Entry>& out) {
    ordered_json extensions = ordered_json::array();
    for (std::size_t i = 0; i < a.domains.size(); ++i) {
        if (w.usable(a.domains[i], "/domains/" + std::to_string(i))) extensions.push_back(w.ext_string("assessment-domain", a.domains[i]));
    }
    if (w.usable(a.client_views, "/client_views")) extensions.push_back(w.ext_string("client-views", *a.client_views));
    for (std::size_t i = 0; i < a.sources.size(); ++i) {
        if (w.usable(a.sources[i], "/sources/" + std::to_string(i))) extensions.push_back(w.ext_string("information-source", a.sources[i]));
    }
    for (std::size_t i = 0; i < a.risks.size(); ++i) {
        if (auto risk = risk_extension(w, a.risks[i], "/risks/" + std::to_string(i))) extensions.push_back(*risk);
    }
    if (a.reassess_by) {
        extensions.push_back({{"url", vocab::extension("reassess-by")}, {"valueDateTime", model::format_instant(*a.reassess_by)}});
    }
    const std::string document = w.urn("document");
    const auto author = w.party(a.author, "/author");
    out.push_back({document, document_reference(w, "assessment", std::move(extensions), std::nullopt, std::nullopt,
                                                 author, a.recorded, std::nullopt, a.text, a.occurred)});
    out.push_back(provenance(w, document, a.author, author, a.occurred, a.recorded, std::nullopt));
}

// A free-text status as a code of a required binding: the code when it is one,
// else the binding's "unknown" if it has one, else the data-absent form.
void put_status(RecordWriter& w, ordered_json& target, const char* key, const std::optional<std::string>& status,
                bool known, std::optional<std::string_view> unknown_code, const std::string& path) {
    if (status && known) {
        target[key] = *status;
        return;
    }
    if (status) w.issue(path, "not a code FHIR R4 allows here; recorded as unknown");
    if (unknown_code) target[key] = *unknown_code;
    else target[std::string("_") + key] = absent();
}

void map_care_plan(RecordWriter& w, const model::CarePlan& p, std::vector<Entry>& out) {
    const std::string plan_urn = w.urn("care-plan");
    const auto goal_urn = [&](const std::string& goal_id) { return w.urn("goal:" + goal_id); };

    ordered_json c = {{"resourceType", "CarePlan"}};
    c["text"] = w.narrative("Care plan");
    ordered_json extensions = ordered_json::array();
    if (p.review) {
        ordered_json parts = ordered_json::array();
        if (p.review->date) parts.push_back({{"url", "date"}, {"valueDateTime", model::format_instant(*p.review->date)}});
        if (p.review->frequency) {
            parts.push_back({{"url", "frequency"},
                             {"valueDuration", {{"value", static_cast<double>(p.review->frequency->ms) / 1000.0},
                                                {"unit", "s"}, {"system", "http://unitsofmeasure.org"}, {"code", "s"}}}});
        }
        if (auto review = w.ext_parts("review", std::move(parts), "/review")) extensions.push_back(*review);
    }
    if (p.agreed_by_client) {
        ordered_json parts = ordered_json::array({{{"url", "agreed"}, {"valueBoolean", p.agreed_by_client->flag}}});
        if (p.agreed_by_client->date) parts.push_back({{"url", "date"}, {"valueDateTime", model::format_instant(*p.agreed_by_client->date)}});
        extensions.push_back({{"url", vocab::extension("client-agreement")}, {"extension", parts}});
    }
    for (std::size_t i = 0; i < p.risks.size(); ++i) {
        if (auto risk = risk_extension(w, p.risks[i], "/risks/" + std::to_string(i))) extensions.push_back(*risk);
    }
    if (!extensions.empty()) c["extension"] = extensions;
    c["identifier"] = w.identifiers();
    put_status(w, c, "status", p.status, p.status && vocab::is_code_of(vocab::request_status, *p.status), "unknown", "/status");
    c["intent"] = "plan";
    c["subject"] = w.subject();
    if (const auto when = w.period(p.period)) c["period"] = *when;
    if (p.created) c["created"] = model::format_instant(*p.created);
    if (const auto author = w.party(p.author, "/author")) c["author"] = *author;
    ordered_json contributors = ordered_json::array();
    for (std::size_t i = 0; i < p.contributors.size(); ++i) {
        if (const auto who = w.party(p.contributors[i], "/contributors/" + std::to_string(i))) contributors.push_back(*who);
    }
    if (!contributors.empty()) c["contributor"] = contributors;

    std::vector<Entry> goals;
    ordered_json goal_refs = ordered_json::array();
    for (std::size_t i = 0; i < p.goals.size(); ++i) {
        const model::Goal& goal = p.goals[i];
        const std::string path = "/goals/" + std::to_string(i);
        const std::string urn = goal_urn(goal.id.value_or("#" + std::to_string(i)));
        goal_refs.push_back({{"reference", urn}});
        ordered_json g = {{"resourceType", "Goal"}};
        ordered_json goal_extensions = ordered_json::array();
        if (goal.agreed) goal_extensions.push_back({{"url", vocab::extension("client-agreed")}, {"valueBoolean", *goal.agreed}});
        if (goal.review) goal_extensions.push_back({{"url", vocab::extension("next-review")}, {"valueDateTime", model::format_instant(*goal.review)}});
        if (!goal_extensions.empty()) g["extension"] = goal_extensions;
        if (w.usable(goal.id, path + "/id")) g["identifier"] = ordered_json::array({{{"system", vocab::goal_id_system}, {"value", *goal.id}}});
        put_status(w, g, "lifecycleStatus", goal.status, goal.status && vocab::is_code_of(vocab::goal_lifecycle_status, *goal.status),
                   std::nullopt, path + "/status");
        w.put_text(g, "achievementStatus", goal.achievement, path + "/achievement");
        g["description"] = w.usable(goal.description, path + "/description") ? ordered_json{{"text", *goal.description}} : absent();
        g["subject"] = w.subject();
        if (goal.measure || goal.target || goal.due) {
            ordered_json target = ordered_json::object();
            if (w.usable(goal.measure, path + "/measure")) target["measure"] = {{"text", *goal.measure}};
            if (w.usable(goal.target, path + "/target")) {
                if (!target.contains("measure")) target["measure"] = absent();  // gol-1: a detail needs its measure
                target["detailString"] = *goal.target;
            }
            w.put_date(target, "dueDate", goal.due, path + "/due");
            if (!target.empty()) g["target"] = ordered_json::array({target});
        }
        if (w.usable(goal.expressed_by, path + "/expressed_by")) g["expressedBy"] = {{"display", *goal.expressed_by}};
        ordered_json needs = ordered_json::array();
        for (std::size_t k = 0; k < goal.linked_needs.size(); ++k) {
            if (w.usable(goal.linked_needs[k], path + "/linked_needs/" + std::to_string(k))) needs.push_back({{"display", goal.linked_needs[k]}});
        }
        if (!needs.empty()) g["addresses"] = needs;
        goals.push_back({urn, std::move(g)});
    }
    if (!goal_refs.empty()) c["goal"] = goal_refs;

    ordered_json activities = ordered_json::array();
    for (std::size_t i = 0; i < p.activities.size(); ++i) {
        const model::Activity& a = p.activities[i];
        const std::string path = "/activities/" + std::to_string(i);
        ordered_json detail = ordered_json::object();
        if (w.usable(a.resource, path + "/resource")) detail["extension"] = ordered_json::array({w.ext_string("activity-resource", *a.resource)});
        ordered_json linked = ordered_json::array();
        for (std::size_t k = 0; k < a.goal_ids.size(); ++k) {
            const std::string& goal_id = a.goal_ids[k];
            if (!w.usable(goal_id, path + "/goal_ids/" + std::to_string(k))) continue;
            bool in_plan = false;
            for (const auto& goal : p.goals) in_plan = in_plan || goal.id == goal_id;
            linked.push_back(in_plan ? ordered_json{{"reference", goal_urn(goal_id)}}
                                     : ordered_json{{"identifier", {{"system", vocab::goal_id_system}, {"value", goal_id}}}});
        }
        if (!linked.empty()) detail["goal"] = linked;
        put_status(w, detail, "status", a.status, a.status && vocab::is_code_of(vocab::care_plan_activity_status, *a.status),
                   "unknown", path + "/status");
        if (a.scheduled) detail["scheduledPeriod"] = {{"start", model::format_instant(*a.scheduled)}};
        if (const auto performer = w.party(a.performer, path + "/performer")) detail["performer"] = ordered_json::array({*performer});
        w.put_string(detail, "description", a.description, path + "/description");
        ordered_json activity = ordered_json::object();
        if (w.usable(a.id, path + "/id")) activity["id"] = *a.id;
        activity["detail"] = detail;
        activities.push_back(activity);
    }
    if (!activities.empty()) c["activity"] = activities;

    out.push_back({plan_urn, std::move(c)});
    for (auto& goal : goals) out.push_back(std::move(goal));
    for (std::size_t i = 0; i < p.communicated_to.size(); ++i) {
        const model::Communication& sent = p.communicated_to[i];
        const model::Disclosure as_disclosure{sent.recipient, sent.role, std::nullopt, sent.date, {}, std::nullopt, std::nullopt};
        out.push_back(disclosure_communication(w, as_disclosure, "/communicated_to/" + std::to_string(i),
                                               "communicated:" + std::to_string(i), {plan_urn, std::nullopt}));
    }
}

std::optional<ordered_json> provider(RecordWriter& w, const std::optional<model::Provider>& p, const std::string& path) {
    if (!p) return std::nullopt;
    ordered_json ref = ordered_json::object();
    if (w.usable(p->contact, path + "/contact")) ref["extension"] = ordered_json::array({w.ext_string("provider-contact", *p->contact)});
    w.put_string(ref, "display", p->organisation, path + "/organisation");
    if (ref.empty()) return std::nullopt;
    return ref;
}

void map_transition(RecordWriter& w, const model::Transition& t, std::vector<Entry>& out) {
    const std::string request_urn = w.urn("service-request");
    ordered_json s = {{"resourceType", "ServiceRequest"}};
    s["text"] = w.narrative("Transition");
    if (t.client_involved) s["extension"] = ordered_json::array({{{"url", vocab::extension("client-involved")}, {"valueBoolean", *t.client_involved}}});
    s["identifier"] = w.identifiers();
    s["status"] = "unknown";  // the record says nothing of the request's state
    s["intent"] = "order";
    if (w.usable(t.type, "/type")) s["category"] = ordered_json::array({{{"text", *t.type}}});
    s["subject"] = w.subject();
    if (t.date) s["occurrenceDateTime"] = model::format_instant(*t.date);
    if (const auto author = w.party(t.author, "/author")) s["requester"] = *author;
    const auto to = provider(w, t.to, "/to");
    if (to) s["performer"] = ordered_json::array({*to});
    if (w.usable(t.reason, "/reason")) s["reasonCode"] = ordered_json::array({{{"text", *t.reason}}});
    out.push_back({request_urn, s});

    // The receiving provider's acceptance of the plan is a Task on the request.
    ordered_json task = {{"resourceType", "Task"}};
    const model::TransitionPlan plan = t.plan.value_or(model::TransitionPlan{});
    if (plan.agreement_date) {
        task["extension"] = ordered_json::array({{{"url", vocab::extension("agreement-date")}, {"valueDateTime", model::format_instant(*plan.agreement_date)}}});
    }
    if (plan.agreed_with_receiver) task["status"] = *plan.agreed_with_receiver ? "accepted" : "requested";
    else task["_status"] = absent();
    task["intent"] = "order";
    task["focus"] = {{"reference", request_urn}};
    task["for"] = w.subject();
    if (const auto from = provider(w, t.from, "/from")) task["requester"] = *from;
    if (to) task["owner"] = *to;
    ordered_json steps = ordered_json::array();
    for (std::size_t i = 0; i < plan.steps.size(); ++i) {
        if (w.usable(plan.steps[i], "/plan/steps/" + std::to_string(i))) {
            steps.push_back({{"type", {{"text", "transition-step"}}}, {"valueString", plan.steps[i]}});
        }
    }
    if (!steps.empty()) task["input"] = steps;
    out.push_back({w.urn("task"), std::move(task)});

    if (t.type == std::optional<std::string>("discharge")) {
        ordered_json e = {{"resourceType", "Encounter"}};
        e["status"] = "finished";
        e["class"] = absent();  // the record does not say what kind of encounter ends
        e["subject"] = w.subject();
        e["basedOn"] = ordered_json::array({{{"reference", request_urn}}});
        if (t.date) e["period"] = {{"end", model::format_instant(*t.date)}};
        ordered_json hospitalization = ordered_json::object();
        if (t.reason && !t.reason->empty()) hospitalization["dischargeDisposition"] = {{"text", *t.reason}};
        if (to) hospitalization["destination"] = *to;
        if (!hospitalization.empty()) e["hospitalization"] = hospitalization;
        out.push_back({w.urn("encounter"), std::move(e)});
    }
    for (std::size_t i = 0; i < t.information_sent.size(); ++i) {
        out.push_back(disclosure_communication(w, t.information_sent[i], "/information_sent/" + std::to_string(i),
                                               "information:" + std::to_string(i), {request_urn, std::nullopt}));
    }
}

void map_consent(RecordWriter& w, const model::Consent& c, std::vector<Entry>& out) {
    ordered_json r = {{"resourceType", "Consent"}};
    r["text"] = w.narrative("Consent");
    ordered_json extensions = ordered_json::array();
    const auto state = c.status ? vocab::consent_state_for(*c.status) : std::nullopt;
    // R4's states merge withdrawn and expired into "inactive"; keep the record's own word.
    if (c.status && !c.status->empty() && (!state || *state != *c.status)) extensions.push_back(w.ext_string("record-status", *c.status));
    if (c.capacity) {
        ordered_json parts = ordered_json::array();
        if (c.capacity->assessed) parts.push_back({{"url", "assessed"}, {"valueBoolean", *c.capacity->assessed}});
        if (w.usable(c.capacity->outcome, "/capacity/outcome")) parts.push_back({{"url", "outcome"}, {"valueString", *c.capacity->outcome}});
        if (w.usable(c.capacity->decision_maker, "/capacity/decision_maker")) parts.push_back({{"url", "decision-maker"}, {"valueString", *c.capacity->decision_maker}});
        if (auto capacity = w.ext_parts("capacity", std::move(parts), "/capacity")) extensions.push_back(*capacity);
    }
    if (const auto recorder = w.party(c.recorded_by, "/recorded_by")) {
        extensions.push_back({{"url", vocab::extension("recorded-by")}, {"valueReference", *recorder}});
    }
    if (!extensions.empty()) r["extension"] = extensions;
    r["identifier"] = w.identifiers();
    if (state) r["status"] = *state;
    else r["_status"] = absent();
    if (w.usable(c.scope, "/scope")) {
        ordered_json scope = ordered_json::object();
        if (const auto code = vocab::consent_scope_for(*c.scope)) scope["coding"] = ordered_json::array({coding(vocab::consent_scope_system, *code)});
        scope["text"] = *c.scope;
        r["scope"] = scope;
    } else {
        r["scope"] = absent();
    }
    r["category"] = ordered_json::array({{{"coding", ordered_json::array({coding(vocab::loinc, "59284-0", "Patient Consent")})}}});
    r["patient"] = w.subject();
    if (c.date) r["dateTime"] = model::format_instant(*c.date);
    // ppc-1 needs a policy: the consent is the organisation's documented opt-in.
    r["policyRule"] = {{"coding", ordered_json::array({coding(vocab::v3_act_code, "OPTIN", "opt-in")})}};
    if (w.usable(c.verified_with, "/verified_with")) {
        r["verification"] = ordered_json::array({{{"verified", true}, {"verifiedWith", {{"display", *c.verified_with}}}}});
    }
    ordered_json provision = {{"type", state == std::optional<std::string_view>("rejected") ? "deny" : "permit"}};
    if (const auto when = w.period(c.period)) provision["period"] = *when;
    ordered_json actors = ordered_json::array();
    for (std::size_t i = 0; i < c.recipients.size(); ++i) {
        const auto& recipient = c.recipients[i];
        const std::string path = "/recipients/" + std::to_string(i);
        ordered_json role = {{"coding", ordered_json::array({coding(vocab::v3_participation_type, "IRCP", "information recipient")})}};
        if (w.usable(recipient.role, path + "/role")) role["text"] = *recipient.role;
        ordered_json reference = w.usable(recipient.party, path + "/party") ? ordered_json{{"display", *recipient.party}} : absent();
        actors.push_back({{"role", role}, {"reference", reference}});
    }
    if (!actors.empty()) provision["actor"] = actors;
    ordered_json purposes = ordered_json::array();
    for (std::size_t i = 0; i < c.purposes.size(); ++i) {
        if (w.usable(c.purposes[i], "/purposes/" + std::to_string(i))) purposes.push_back({{"display", c.purposes[i]}});
    }
    if (!purposes.empty()) provision["purpose"] = purposes;
    ordered_json classes = ordered_json::array();
    for (std::size_t i = 0; i < c.data_classes.size(); ++i) {
        if (w.usable(c.data_classes[i], "/data_classes/" + std::to_string(i))) classes.push_back({{"display", c.data_classes[i]}});
    }
    if (!classes.empty()) provision["class"] = classes;
    r["provision"] = provision;
    out.push_back({w.urn("consent"), std::move(r)});
}

// Percent-encodes a search parameter value (RFC 3986: all but unreserved characters),
// so that "&", spaces or "|" inside a record id cannot split the query.
std::string query_encode(std::string_view text) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto byte = static_cast<unsigned char>(c);
        const bool unreserved = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                                c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += hex[byte >> 4];
            out += hex[byte & 15];
        }
    }
    return out;
}

// The conditional-create query that makes a transaction idempotent for a record's
// main resource. Goals have ids unique only within their plan, so they get none.
std::optional<std::string> if_none_exist(const ordered_json& resource) {
    const auto identifiers = resource.find("identifier");
    if (identifiers == resource.end() || identifiers->empty()) return std::nullopt;
    const auto& first = identifiers->front();
    if (first["system"] != vocab::record_id_system) return std::nullopt;
    return "identifier=" + query_encode(vocab::record_id_system) + "|" + query_encode(first["value"].get<std::string>());
}

}  // namespace

std::string fhir_path_of(model::RecordKind kind, std::string_view record_pointer) {
    struct Row {
        model::RecordKind kind;
        std::string_view field;  // the first segment of the pointer
        std::string_view path;
    };
    using K = model::RecordKind;
    static constexpr Row rows[] = {
        {K::note, "recorded", "DocumentReference.date"},       {K::note, "occurred", "DocumentReference.context.period"},
        {K::note, "author", "DocumentReference.author"},       {K::note, "signed", "DocumentReference.docStatus"},
        {K::note, "type", "DocumentReference.type"},           {K::note, "text", "DocumentReference.content.attachment"},
        {K::note, "amends", "DocumentReference.relatesTo"},    {K::note, "client", "DocumentReference.subject"},
        {K::assessment, "recorded", "DocumentReference.date"}, {K::assessment, "occurred", "DocumentReference.context.period"},
        {K::assessment, "author", "DocumentReference.author"}, {K::assessment, "text", "DocumentReference.content.attachment"},
        {K::care_plan, "status", "CarePlan.status"},           {K::care_plan, "created", "CarePlan.created"},
        {K::care_plan, "author", "CarePlan.author"},           {K::care_plan, "period", "CarePlan.period"},
        {K::care_plan, "contributors", "CarePlan.contributor"}, {K::care_plan, "goals", "CarePlan.goal"},
        {K::care_plan, "activities", "CarePlan.activity"},     {K::care_plan, "client", "CarePlan.subject"},
        {K::transition, "date", "ServiceRequest.occurrence"},  {K::transition, "author", "ServiceRequest.requester"},
        {K::transition, "to", "ServiceRequest.performer"},     {K::transition, "reason", "ServiceRequest.reasonCode"},
        {K::transition, "type", "ServiceRequest.category"},    {K::transition, "client", "ServiceRequest.subject"},
        {K::consent, "status", "Consent.status"},              {K::consent, "scope", "Consent.scope"},
        {K::consent, "date", "Consent.dateTime"},              {K::consent, "period", "Consent.provision.period"},
        {K::consent, "recipients", "Consent.provision.actor"}, {K::consent, "purposes", "Consent.provision.purpose"},
        {K::consent, "verified_with", "Consent.verification"}, {K::consent, "client", "Consent.patient"},
    };
    std::string_view field = record_pointer.substr(record_pointer.empty() || record_pointer[0] != '/' ? 0 : 1);
    field = field.substr(0, field.find('/'));
    for (const Row& row : rows) {
        if (row.kind == kind && row.field == field) return std::string(row.path);
    }
    switch (kind) {
        case K::care_plan: return "CarePlan";
        case K::transition: return "ServiceRequest";
        case K::consent: return "Consent";
        default: return "DocumentReference";
    }
}

std::optional<ordered_json> client_reference(const std::optional<std::string>& client) {
    if (!client || client->empty()) return std::nullopt;
    if (vocab::is_fhir_id(*client)) return ordered_json{{"reference", "Patient/" + *client}};
    return ordered_json{{"identifier", {{"system", vocab::client_id_system}, {"value", *client}}}};
}

ordered_json record_reference(const std::string& record_id) {
    return {{"identifier", {{"system", vocab::record_id_system}, {"value", record_id}}}};
}

std::string urn_uuid(const std::string& name, std::string_view role) { return uuid_for(name, role); }

std::string criterion_system() { return std::string(vocab::base) + "/CodeSystem/criterion"; }

std::string criterion_url(std::string_view criterion_id) { return std::string(vocab::base) + "/criterion/" + std::string(criterion_id); }

MappedBundle to_bundle(const std::vector<Record>& records, BundleType type) {
    MappedBundle mapped;
    std::vector<Entry> entries;
    for (const auto& record : records) {
        RecordWriter writer(record, mapped.issues);
        std::visit(
            [&](const auto& body) {
                using Body = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<Body, model::Note>) map_note(writer, body, entries);
                else if constexpr (std::is_same_v<Body, model::CarePlan>) map_care_plan(writer, body, entries);
                else if constexpr (std::is_same_v<Body, model::Transition>) map_transition(writer, body, entries);
                else if constexpr (std::is_same_v<Body, model::Consent>) map_consent(writer, body, entries);
                else map_assessment(writer, body, entries);
            },
            record.body);
    }

    ordered_json bundle = {{"resourceType", "Bundle"}, {"type", type == BundleType::transaction ? "transaction" : "collection"}};
    ordered_json out = ordered_json::array();
    for (auto& entry : entries) {
        ordered_json e = {{"fullUrl", entry.full_url}};
        const std::string resource_type = entry.resource["resourceType"];
        const auto conditional = if_none_exist(entry.resource);
        e["resource"] = std::move(entry.resource);
        if (type == BundleType::transaction) {
            ordered_json request = {{"method", "POST"}, {"url", resource_type}};
            if (conditional) request["ifNoneExist"] = *conditional;
            e["request"] = request;
        }
        out.push_back(std::move(e));
    }
    bundle["entry"] = std::move(out);
    mapped.bundle = std::move(bundle);
    return mapped;
}

}  // namespace casecheck::fhir
