#include "casecheck/model/record_json.hpp"

#include <nlohmann/json.hpp>

#include <utility>

namespace casecheck::model {
namespace {

using nlohmann::json;

// Walks one JSON object, reading typed fields and keeping the first error.
// After an error every read returns "missing", so callers need no checks of
// their own between reads; the caller looks at `error` once at the end.
class ObjectReader {
public:
    ObjectReader(const json& object, std::string path, std::optional<SchemaError>& error)
        : object_(object), path_(std::move(path)), error_(error) {}

    std::optional<std::string> string(const char* key) {
        const json* value = field(key, json::value_t::string, "a string");
        if (value == nullptr) return std::nullopt;
        return value->get<std::string>();
    }

    std::optional<bool> boolean(const char* key) {
        const json* value = field(key, json::value_t::boolean, "true or false");
        if (value == nullptr) return std::nullopt;
        return value->get<bool>();
    }

    std::optional<Instant> instant(const char* key) {
        const json* value = field(key, json::value_t::string, "a date or date-time string");
        if (value == nullptr) return std::nullopt;
        auto parsed = parse_instant(value->get_ref<const std::string&>());
        if (!parsed) fail(key, "must be a date (YYYY-MM-DD) or an RFC 3339 date-time with a UTC offset");
        return parsed;
    }

    std::optional<Duration> duration(const char* key) {
        const json* value = field(key, json::value_t::string, "an ISO 8601 duration string");
        if (value == nullptr) return std::nullopt;
        auto parsed = parse_duration(value->get_ref<const std::string&>());
        if (!parsed) fail(key, "must be an ISO 8601 duration in weeks, days, hours, minutes or seconds");
        return parsed;
    }

    std::vector<std::string> strings(const char* key) {
        std::vector<std::string> out;
        const json* array = field(key, json::value_t::array, "an array of strings");
        if (array == nullptr) return out;
        for (std::size_t i = 0; i < array->size() && !error_; ++i) {
            const json& item = (*array)[i];
            if (!item.is_string()) {
                error_ = SchemaError{child_path(key) + "/" + std::to_string(i), "must be a string"};
                break;
            }
            out.push_back(item.get<std::string>());
        }
        return out;
    }

    // Reads a nested object with `read(ObjectReader&)`.
    template <typename Read>
    auto object(const char* key, Read read) -> std::optional<decltype(read(std::declval<ObjectReader&>()))> {
        const json* value = field(key, json::value_t::object, "an object");
        if (value == nullptr) return std::nullopt;
        ObjectReader nested(*value, child_path(key), error_);
        auto result = read(nested);
        if (error_) return std::nullopt;
        return result;
    }

    // Reads an array of objects, each with `read(ObjectReader&)`.
    template <typename Read>
    auto objects(const char* key, Read read) -> std::vector<decltype(read(std::declval<ObjectReader&>()))> {
        std::vector<decltype(read(std::declval<ObjectReader&>()))> out;
        const json* array = field(key, json::value_t::array, "an array of objects");
        if (array == nullptr) return out;
        for (std::size_t i = 0; i < array->size() && !error_; ++i) {
            const std::string item_path = child_path(key) + "/" + std::to_string(i);
            const json& item = (*array)[i];
            if (!item.is_object()) {
                error_ = SchemaError{item_path, "must be an object"};
                break;
            }
            ObjectReader nested(item, item_path, error_);
            out.push_back(read(nested));
        }
        return out;
    }

    // An instant, or an object {start, end} for a period.
    std::optional<Occurrence> occurrence(const char* key) {
        const json* value = present(key);
        if (value == nullptr) return std::nullopt;
        if (value->is_string()) {
            auto start = instant(key);
            if (!start) return std::nullopt;
            return Occurrence{start, std::nullopt};
        }
        if (!value->is_object()) {
            fail(key, "must be a date-time string or an object {start, end}");
            return std::nullopt;
        }
        return period(key);
    }

    std::optional<Period> period(const char* key) {
        return object(key, [](ObjectReader& r) { return Period{r.instant("start"), r.instant("end")}; });
    }

    std::optional<Party> party(const char* key) {
        return object(key, read_party);
    }

    std::vector<Party> parties(const char* key) { return objects(key, read_party); }

    // A field that must be present, non-empty and a string (ids).
    std::optional<std::string> required_string(const char* key) {
        if (error_) return std::nullopt;
        if (present(key) == nullptr) {
            fail(key, "required field is missing");
            return std::nullopt;
        }
        auto value = string(key);
        if (value && value->empty()) {
            fail(key, "must not be empty");
            return std::nullopt;
        }
        return value;
    }

    const std::string& path() const { return path_; }

    static Party read_party(ObjectReader& r) { return Party{r.string("id"), r.string("name"), r.string("role")}; }

private:
    std::string child_path(const char* key) const { return path_ + "/" + key; }

    // The value at `key`, or nullptr when absent or null (both mean "missing").
    const json* present(const char* key) const {
        if (error_) return nullptr;
        const auto it = object_.find(key);
        if (it == object_.end() || it->is_null()) return nullptr;
        return &*it;
    }

    // The value at `key` if present and of `type`; records an error on a type mismatch.
    const json* field(const char* key, json::value_t type, const char* expected) {
        const json* value = present(key);
        if (value == nullptr) return nullptr;
        if (value->type() != type) {
            fail(key, std::string("must be ") + expected);
            return nullptr;
        }
        return value;
    }

    void fail(const char* key, const std::string& message) {
        if (!error_) error_ = SchemaError{child_path(key), message};
    }

    const json& object_;
    std::string path_;
    std::optional<SchemaError>& error_;
};

Disclosure read_disclosure(ObjectReader& r) {
    Disclosure d;
    d.recipient = r.string("recipient");
    d.role = r.string("role");
    d.purpose = r.string("purpose");
    d.date = r.instant("date");
    d.items = r.strings("items");
    d.exception = r.string("exception");
    d.exception_rationale = r.string("exception_rationale");
    return d;
}

Risk read_risk(ObjectReader& r) {
    return Risk{r.string("type"), r.string("description"), r.string("level"), r.string("strategy")};
}

Note read_note(ObjectReader& r) {
    Note n;
    n.author = r.party("author");
    n.occurred = r.occurrence("occurred");
    n.recorded = r.instant("recorded");
    n.type = r.string("type");
    n.text = r.string("text");
    n.is_signed = r.boolean("signed");
    n.signed_at = r.instant("signed_at");
    n.late_entry = r.object("late_entry", [](ObjectReader& o) {
        return LateEntry{o.boolean("flag").value_or(false), o.string("reason")};
    });
    n.amends = r.object("amends", [](ObjectReader& o) { return Amendment{o.string("id"), o.string("reason")}; });
    n.disclosures = r.objects("disclosures", read_disclosure);
    n.consent_reconfirmed = r.boolean("consent_reconfirmed");
    return n;
}

CarePlan read_care_plan(ObjectReader& r) {
    CarePlan p;
    p.status = r.string("status");
    p.created = r.instant("created");
    p.author = r.party("author");
    p.contributors = r.parties("contributors");
    p.period = r.period("period");
    p.review = r.object("review", [](ObjectReader& o) { return Review{o.instant("date"), o.duration("frequency")}; });
    p.agreed_by_client = r.object("agreed_by_client", [](ObjectReader& o) {
        return Agreement{o.boolean("flag").value_or(false), o.instant("date")};
    });
    p.communicated_to = r.objects("communicated_to", [](ObjectReader& o) {
        return Communication{o.string("recipient"), o.string("role"), o.instant("date")};
    });
    p.goals = r.objects("goals", [](ObjectReader& o) {
        Goal g;
        g.id = o.string("id");
        g.description = o.string("description");
        g.measure = o.string("measure");
        g.target = o.string("target");
        g.due = o.instant("due");
        g.review = o.instant("review");
        g.expressed_by = o.string("expressed_by");
        g.agreed = o.boolean("agreed");
        g.status = o.string("status");
        g.achievement = o.string("achievement");
        g.linked_needs = o.strings("linked_needs");
        return g;
    });
    p.activities = r.objects("activities", [](ObjectReader& o) {
        Activity a;
        a.id = o.string("id");
        a.description = o.string("description");
        a.performer = o.party("performer");
        a.scheduled = o.instant("scheduled");
        a.goal_ids = o.strings("goal_ids");
        a.resource = o.string("resource");
        a.status = o.string("status");
        return a;
    });
    p.risks = r.objects("risks", read_risk);
    return p;
}

Transition read_transition(ObjectReader& r) {
    const auto read_provider = [](ObjectReader& o) { return Provider{o.string("organisation"), o.string("contact")}; };
    Transition t;
    t.type = r.string("type");
    t.date = r.instant("date");
    t.author = r.party("author");
    t.from = r.object("from", read_provider);
    t.to = r.object("to", read_provider);
    t.reason = r.string("reason");
    t.plan = r.object("plan", [](ObjectReader& o) {
        return TransitionPlan{o.boolean("agreed_with_receiver"), o.instant("agreement_date"), o.strings("steps")};
    });
    t.client_involved = r.boolean("client_involved");
    t.information_sent = r.objects("information_sent", read_disclosure);
    return t;
}

Consent read_consent(ObjectReader& r) {
    Consent c;
    c.scope = r.string("scope");
    c.status = r.string("status");
    c.date = r.instant("date");
    c.period = r.period("period");
    c.recipients = r.objects("recipients", [](ObjectReader& o) {
        return ConsentRecipient{o.string("party"), o.string("role")};
    });
    c.purposes = r.strings("purposes");
    c.data_classes = r.strings("data_classes");
    c.capacity = r.object("capacity", [](ObjectReader& o) {
        return Capacity{o.boolean("assessed"), o.string("outcome"), o.string("decision_maker")};
    });
    c.verified_with = r.string("verified_with");
    c.recorded_by = r.party("recorded_by");
    return c;
}

Assessment read_assessment(ObjectReader& r) {
    Assessment a;
    a.author = r.party("author");
    a.occurred = r.occurrence("occurred");
    a.recorded = r.instant("recorded");
    a.domains = r.strings("domains");
    a.client_views = r.string("client_views");
    a.sources = r.strings("sources");
    a.risks = r.objects("risks", read_risk);
    a.reassess_by = r.instant("reassess_by");
    a.text = r.string("text");
    return a;
}

}  // namespace

RecordReadResult read_record(const json& value, const std::string& path) {
    RecordReadResult result;
    if (!value.is_object()) {
        result.error = SchemaError{path, "a record must be an object"};
        return result;
    }
    ObjectReader reader(value, path, result.error);
    auto id = reader.required_string("id");
    auto kind_text = reader.required_string("kind");
    if (result.error) return result;

    const auto kind = kind_from_name(*kind_text);
    if (!kind) {
        result.error = SchemaError{path + "/kind", "must be one of note, care_plan, transition, consent, assessment"};
        return result;
    }

    Record record;
    record.id = std::move(*id);
    record.client = reader.string("client");
    switch (*kind) {
        case RecordKind::note: record.body = read_note(reader); break;
        case RecordKind::care_plan: record.body = read_care_plan(reader); break;
        case RecordKind::transition: record.body = read_transition(reader); break;
        case RecordKind::consent: record.body = read_consent(reader); break;
        case RecordKind::assessment: record.body = read_assessment(reader); break;
    }
    if (!result.error) result.record = std::move(record);
    return result;
}

std::string_view kind_name(RecordKind kind) {
    switch (kind) {
        case RecordKind::note: return "note";
        case RecordKind::care_plan: return "care_plan";
        case RecordKind::transition: return "transition";
        case RecordKind::consent: return "consent";
        case RecordKind::assessment: return "assessment";
    }
    return "note";
}

std::optional<RecordKind> kind_from_name(std::string_view name) {
    for (auto kind : {RecordKind::note, RecordKind::care_plan, RecordKind::transition, RecordKind::consent,
                      RecordKind::assessment}) {
        if (kind_name(kind) == name) return kind;
    }
    return std::nullopt;
}

}  // namespace casecheck::model
