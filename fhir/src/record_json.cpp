#include "casecheck/model/record_json.hpp"

#include "object_reader.hpp"

namespace casecheck::model {
namespace {

using detail::ObjectReader;
using nlohmann::json;
using nlohmann::ordered_json;

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
    n.information_given = r.strings("information_given");
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


// Writes the fields that are present, in the schema's order.
class ObjectWriter {
public:
    template <typename T>
    ObjectWriter& field(const char* key, const std::optional<T>& value) {
        if (value) out_[key] = convert(*value);
        return *this;
    }
    template <typename T>
    ObjectWriter& field(const char* key, const std::vector<T>& values) {
        if (values.empty()) return *this;
        auto& array = out_[key] = ordered_json::array();
        for (const auto& value : values) array.push_back(convert(value));
        return *this;
    }
    ordered_json done() { return std::move(out_); }

private:
    static ordered_json convert(const std::string& value) { return value; }
    static ordered_json convert(bool value) { return value; }
    static ordered_json convert(const Instant& value) { return format_instant(value); }
    static ordered_json convert(const Duration& value) { return format_duration(value); }
    static ordered_json convert(const Party& p) { return ObjectWriter().field("id", p.id).field("name", p.name).field("role", p.role).done(); }
    static ordered_json convert(const Period& p) { return ObjectWriter().field("start", p.start).field("end", p.end).done(); }
    static ordered_json convert(const Disclosure& d) {
        return ObjectWriter().field("recipient", d.recipient).field("role", d.role).field("purpose", d.purpose).field("date", d.date)
            .field("items", d.items).field("exception", d.exception).field("exception_rationale", d.exception_rationale).done();
    }
    static ordered_json convert(const LateEntry& l) { return ObjectWriter().field("flag", std::optional<bool>(l.flag)).field("reason", l.reason).done(); }
    static ordered_json convert(const Amendment& a) { return ObjectWriter().field("id", a.id).field("reason", a.reason).done(); }
    static ordered_json convert(const Risk& r) {
        return ObjectWriter().field("type", r.type).field("description", r.description).field("level", r.level).field("strategy", r.strategy).done();
    }
    static ordered_json convert(const Goal& g) {
        return ObjectWriter().field("id", g.id).field("description", g.description).field("measure", g.measure).field("target", g.target)
            .field("due", g.due).field("review", g.review).field("expressed_by", g.expressed_by).field("agreed", g.agreed)
            .field("status", g.status).field("achievement", g.achievement).field("linked_needs", g.linked_needs).done();
    }
    static ordered_json convert(const Activity& a) {
        return ObjectWriter().field("id", a.id).field("description", a.description).field("performer", a.performer)
            .field("scheduled", a.scheduled).field("goal_ids", a.goal_ids).field("resource", a.resource).field("status", a.status).done();
    }
    static ordered_json convert(const Agreement& a) { return ObjectWriter().field("flag", std::optional<bool>(a.flag)).field("date", a.date).done(); }
    static ordered_json convert(const Review& r) { return ObjectWriter().field("date", r.date).field("frequency", r.frequency).done(); }
    static ordered_json convert(const Communication& c) { return ObjectWriter().field("recipient", c.recipient).field("role", c.role).field("date", c.date).done(); }
    static ordered_json convert(const Provider& p) { return ObjectWriter().field("organisation", p.organisation).field("contact", p.contact).done(); }
    static ordered_json convert(const TransitionPlan& p) {
        return ObjectWriter().field("agreed_with_receiver", p.agreed_with_receiver).field("agreement_date", p.agreement_date).field("steps", p.steps).done();
    }
    static ordered_json convert(const ConsentRecipient& r) { return ObjectWriter().field("party", r.party).field("role", r.role).done(); }
    static ordered_json convert(const Capacity& c) {
        return ObjectWriter().field("assessed", c.assessed).field("outcome", c.outcome).field("decision_maker", c.decision_maker).done();
    }

    ordered_json out_ = ordered_json::object();
};

// An occurrence that is a single instant is written as that instant, as hosts send it.
std::optional<ordered_json> occurrence_json(const std::optional<Occurrence>& occurred) {
    if (!occurred) return std::nullopt;
    if (occurred->start && !occurred->end) return ordered_json(format_instant(*occurred->start));
    ordered_json period = ordered_json::object();
    if (occurred->start) period["start"] = format_instant(*occurred->start);
    if (occurred->end) period["end"] = format_instant(*occurred->end);
    return period;
}

ordered_json write_body(const Note& n) {
    ordered_json out = ObjectWriter().field("author", n.author).done();
    if (auto occurred = occurrence_json(n.occurred)) out["occurred"] = *occurred;
    const ordered_json rest = ObjectWriter().field("recorded", n.recorded).field("type", n.type).field("text", n.text)
                                  .field("signed", n.is_signed).field("signed_at", n.signed_at).field("late_entry", n.late_entry)
                                  .field("amends", n.amends).field("disclosures", n.disclosures)
                                  .field("consent_reconfirmed", n.consent_reconfirmed)
                                  .field("information_given", n.information_given).done();
    for (const auto& item : rest.items()) out[item.key()] = item.value();
    return out;
}

ordered_json write_body(const CarePlan& p) {
    return ObjectWriter().field("status", p.status).field("created", p.created).field("author", p.author).field("contributors", p.contributors)
        .field("period", p.period).field("review", p.review).field("agreed_by_client", p.agreed_by_client)
        .field("communicated_to", p.communicated_to).field("goals", p.goals).field("activities", p.activities).field("risks", p.risks).done();
}

ordered_json write_body(const Transition& t) {
    return ObjectWriter().field("type", t.type).field("date", t.date).field("author", t.author).field("from", t.from).field("to", t.to)
        .field("reason", t.reason).field("plan", t.plan).field("client_involved", t.client_involved)
        .field("information_sent", t.information_sent).done();
}

ordered_json write_body(const Consent& c) {
    return ObjectWriter().field("scope", c.scope).field("status", c.status).field("date", c.date).field("period", c.period)
        .field("recipients", c.recipients).field("purposes", c.purposes).field("data_classes", c.data_classes)
        .field("capacity", c.capacity).field("verified_with", c.verified_with).field("recorded_by", c.recorded_by).done();
}

ordered_json write_body(const Assessment& a) {
    ordered_json out = ObjectWriter().field("author", a.author).done();
    if (auto occurred = occurrence_json(a.occurred)) out["occurred"] = *occurred;
    const ordered_json rest = ObjectWriter().field("recorded", a.recorded).field("domains", a.domains).field("client_views", a.client_views)
                                  .field("sources", a.sources).field("risks", a.risks).field("reassess_by", a.reassess_by)
                                  .field("text", a.text).done();
    for (const auto& item : rest.items()) out[item.key()] = item.value();
    return out;
}

}  // namespace

ordered_json write_record(const Record& record) {
    ordered_json out = {{"id", record.id}, {"kind", kind_name(record.kind())}};
    if (record.client) out["client"] = *record.client;
    std::visit([&](const auto& body) {
        const ordered_json fields = write_body(body);
        for (const auto& item : fields.items()) out[item.key()] = item.value();
    }, record.body);
    return out;
}

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
