// Property test of the FHIR mapping: generated records of every kind, with
// random field subsets and edge values, go to FHIR (JSON, and XML) and back.
// What comes back must equal the record as FHIR can carry it: `as_fhir_keeps`
// states, field by field, the losses docs/fhir-mapping.md documents.
#include "casecheck/fhir/mapping.hpp"
#include "casecheck/fhir/xml.hpp"
#include "casecheck/model/record_json.hpp"

#include <catch2/catch.hpp>

#include <random>

using namespace casecheck;
using namespace casecheck::model;
using nlohmann::json;

namespace {

class Generator {
public:
    explicit Generator(std::uint64_t seed) : random_(seed) {}

    bool chance(double p = 0.6) { return std::bernoulli_distribution(p)(random_); }
    std::size_t below(std::size_t n) { return std::uniform_int_distribution<std::size_t>(0, n - 1)(random_); }

    // Free text, including the edge values FHIR and XML make hard: empty, non-ASCII, markup, quotes, new lines.
    std::optional<std::string> text() {
        static const char* const pool[] = {"",
                                           "Zo\u00eb \u00c5ngstr\u00f6m",
                                           "Dr \u0141ukasz Nowak",
                                           "\u5c71\u7530 \u82b1\u5b50",
                                           "O'Brien & Sons <Ltd>",
                                           "said \"yes\" twice",
                                           "line one\nline two",
                                           "case manager",
                                           "Riverside Housing Trust",
                                           "\u0645\u0631\u062d\u0628\u0627",
                                           "care coordination",
                                           "   padded   ",
                                           "emoji \U0001F600 ok"};
        if (!chance()) return std::nullopt;
        return std::string(pool[below(std::size(pool))]);
    }

    std::optional<bool> flag() { return chance() ? std::optional<bool>(chance(0.5)) : std::nullopt; }

    // Instants across three centuries, in the offsets case records really carry, sometimes dates alone.
    std::optional<Instant> instant(bool allow_date_only = true) {
        if (!chance()) return std::nullopt;
        static const int offsets[] = {0, 330, -300, 840, -720, 60, 545};
        Instant i;
        i.offset_minutes = offsets[below(std::size(offsets))];
        const std::int64_t seconds = std::uniform_int_distribution<std::int64_t>(-2'208'988'800LL, 4'102'444'800LL)(random_);
        i.epoch_ms = seconds * 1000 + (chance(0.3) ? static_cast<std::int64_t>(below(1000)) : 0);
        if (allow_date_only && chance(0.2)) {
            i = *parse_instant(format_instant(i).substr(0, 10));
        }
        return i;
    }

    std::optional<Party> party() {
        if (!chance()) return std::nullopt;
        return Party{text(), text(), text()};
    }

    std::optional<Period> period() {
        if (!chance()) return std::nullopt;
        return Period{instant(), instant()};
    }

    std::optional<Occurrence> occurrence() {
        if (!chance()) return std::nullopt;
        return chance() ? Occurrence{instant(), std::nullopt} : Occurrence{instant(), instant()};
    }

    template <typename Make>
    auto some(Make make, std::size_t most = 3) {
        std::vector<decltype(make())> out(chance() ? below(most + 1) : 0);
        for (auto& item : out) item = make();
        return out;
    }

    std::string some_text() { return text().value_or("x"); }

    Disclosure disclosure() {
        return Disclosure{text(), text(), text(), instant(), some([&] { return some_text(); }), text(), text()};
    }

    std::optional<std::string> status(std::initializer_list<const char*> codes) {
        if (!chance()) return std::nullopt;
        std::vector<const char*> choices(codes);
        choices.push_back("not-a-code");
        choices.push_back("unknown");
        return std::string(choices[below(choices.size())]);
    }

    Record record(std::size_t index) {
        Record r;
        r.id = "rec-" + std::to_string(index) + (chance(0.2) ? " with spaces" : "");
        if (chance(0.9)) r.client = chance(0.7) ? "client-" + std::to_string(below(100)) : "client #" + std::to_string(below(9));
        switch (index % 5) {
            case 0: r.body = note(); break;
            case 1: r.body = care_plan(); break;
            case 2: r.body = transition(); break;
            case 3: r.body = consent(); break;
            default: r.body = assessment(); break;
        }
        return r;
    }

private:
    Note note() {
        Note n;
        n.author = party();
        n.occurred = occurrence();
        n.recorded = instant();
        if (chance()) n.type = std::string(std::vector<const char*>{"contact", "review", "referral", "handover", "closure", "home visit"}[below(6)]);
        n.text = text();
        n.is_signed = flag();
        n.signed_at = instant();
        if (chance()) n.late_entry = LateEntry{chance(0.5), text()};
        if (chance(0.3)) n.amends = Amendment{chance() ? std::optional<std::string>("rec-earlier") : std::nullopt, text()};
        n.disclosures = some([&] { return disclosure(); });
        n.consent_reconfirmed = flag();
        n.information_given = some([&] { return some_text(); });
        return n;
    }

    CarePlan care_plan() {
        CarePlan p;
        p.status = status({"draft", "active", "completed", "revoked"});
        p.created = instant();
        p.author = party();
        p.contributors = some([&] { return party().value_or(Party{}); });
        p.period = period();
        if (chance()) {
            p.review = Review{instant(), chance() ? std::optional<Duration>(Duration{static_cast<std::int64_t>(below(1000)) * 3'600'000 + 500}) : std::nullopt};
        }
        if (chance()) p.agreed_by_client = Agreement{chance(0.5), instant()};
        p.communicated_to = some([&] { return Communication{text(), text(), instant()}; });
        const std::size_t goals = below(4);
        for (std::size_t g = 0; g < goals; ++g) {
            Goal goal;
            if (chance(0.8)) goal.id = "g" + std::to_string(g);
            goal.description = text();
            goal.measure = text();
            goal.target = text();
            goal.due = instant();
            goal.review = instant();
            goal.expressed_by = text();
            goal.agreed = flag();
            goal.status = status({"proposed", "active", "completed", "cancelled"});
            goal.achievement = text();
            goal.linked_needs = some([&] { return some_text(); });
            p.goals.push_back(goal);
        }
        p.activities = some([&] {
            Activity a;
            if (chance()) a.id = "a" + std::to_string(below(1000));
            a.description = text();
            a.performer = party();
            a.scheduled = instant();
            a.goal_ids = some([&] { return "g" + std::to_string(below(5)); }, 2);
            a.resource = text();
            a.status = status({"not-started", "scheduled", "in-progress", "completed"});
            return a;
        });
        p.risks = some([&] { return Risk{text(), text(), text(), text()}; });
        return p;
    }

    Transition transition() {
        Transition t;
        if (chance()) t.type = std::string(std::vector<const char*>{"transfer", "discharge", "referral", "handover", "closure"}[below(5)]);
        t.date = instant();
        t.author = party();
        if (chance()) t.from = Provider{text(), text()};
        if (chance()) t.to = Provider{text(), text()};
        t.reason = text();
        if (chance()) t.plan = TransitionPlan{flag(), instant(), some([&] { return some_text(); })};
        t.client_involved = flag();
        t.information_sent = some([&] { return disclosure(); });
        return t;
    }

    Consent consent() {
        Consent c;
        if (chance()) c.scope = std::string(std::vector<const char*>{"engage", "share", "treatment", "research", "", "advocacy"}[below(6)]);
        c.status = status({"active", "withdrawn", "expired", "refused", "draft", "inactive"});
        c.date = instant();
        c.period = period();
        c.recipients = some([&] { return ConsentRecipient{text(), text()}; });
        c.purposes = some([&] { return some_text(); });
        c.data_classes = some([&] { return some_text(); });
        if (chance()) c.capacity = Capacity{flag(), text(), text()};
        c.verified_with = text();
        c.recorded_by = party();
        return c;
    }

    Assessment assessment() {
        Assessment a;
        a.author = party();
        a.occurred = occurrence();
        a.recorded = instant();
        a.domains = some([&] { return some_text(); });
        a.client_views = text();
        a.sources = some([&] { return some_text(); });
        a.risks = some([&] { return Risk{text(), text(), text(), text()}; });
        a.reassess_by = instant();
        a.text = text();
        return a;
    }

    std::mt19937_64 random_;
};

// ---- What FHIR keeps: the documented losses, applied to the expected record ----

void drop_empty(std::optional<std::string>& value) {
    if (value && value->empty()) value.reset();
}

void drop_empty(std::vector<std::string>& values) {
    values.erase(std::remove(values.begin(), values.end(), std::string()), values.end());
}

void keep_party(std::optional<Party>& party) {
    if (!party) return;
    drop_empty(party->id);
    drop_empty(party->name);
    drop_empty(party->role);
    if (!party->id && !party->name && !party->role) party.reset();
}

void keep_period(std::optional<Period>& period) {
    if (period && !period->start && !period->end) period.reset();
}

// A FHIR `instant` needs a time of day.
void keep_instant_only(std::optional<Instant>& value) {
    if (value && value->date_only) value.reset();
}

// A FHIR `date` keeps the calendar date of the local time.
void keep_date_only(std::optional<Instant>& value) {
    if (value) value = *parse_instant(format_instant(*value).substr(0, 10));
}

// A free-text status survives only as a code of its binding, and "unknown" means not recorded.
void keep_code(std::optional<std::string>& status, std::initializer_list<const char*> codes) {
    if (!status) return;
    for (const char* code : codes) {
        if (*status == code && *status != "unknown") return;
    }
    status.reset();
}

void keep_disclosure(Disclosure& d) {
    drop_empty(d.recipient);
    drop_empty(d.role);
    drop_empty(d.purpose);
    drop_empty(d.items);
    drop_empty(d.exception);
    drop_empty(d.exception_rationale);
    if (!d.exception) d.exception_rationale.reset();
}

void keep_risks(std::vector<Risk>& risks) {
    for (auto& r : risks) {
        drop_empty(r.type);
        drop_empty(r.description);
        drop_empty(r.level);
        drop_empty(r.strategy);
    }
    risks.erase(std::remove_if(risks.begin(), risks.end(), [](const Risk& r) { return !r.type && !r.description && !r.level && !r.strategy; }),
                risks.end());
}

Record as_fhir_keeps(Record r) {
    drop_empty(r.client);
    if (auto* n = std::get_if<Note>(&r.body)) {
        keep_party(n->author);
        keep_period(n->occurred);
        keep_instant_only(n->recorded);
        drop_empty(n->type);
        drop_empty(n->text);
        if (n->late_entry) drop_empty(n->late_entry->reason);
        if (n->amends) {
            drop_empty(n->amends->id);
            drop_empty(n->amends->reason);
        }
        for (auto& d : n->disclosures) keep_disclosure(d);
        drop_empty(n->information_given);
    } else if (auto* p = std::get_if<CarePlan>(&r.body)) {
        keep_code(p->status, {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error"});
        keep_party(p->author);
        for (auto& c : p->contributors) {
            std::optional<Party> kept = c;
            keep_party(kept);
            c = kept.value_or(Party{});
        }
        p->contributors.erase(std::remove_if(p->contributors.begin(), p->contributors.end(),
                                             [](const Party& c) { return !c.id && !c.name && !c.role; }),
                              p->contributors.end());
        keep_period(p->period);
        if (p->review && !p->review->date && !p->review->frequency) p->review.reset();
        for (auto& c : p->communicated_to) {
            drop_empty(c.recipient);
            drop_empty(c.role);
        }
        for (auto& g : p->goals) {
            drop_empty(g.description);
            drop_empty(g.measure);
            drop_empty(g.target);
            keep_date_only(g.due);
            drop_empty(g.expressed_by);
            keep_code(g.status, {"proposed", "planned", "accepted", "active", "on-hold", "completed", "cancelled", "entered-in-error", "rejected"});
            drop_empty(g.achievement);
            drop_empty(g.linked_needs);
        }
        for (auto& a : p->activities) {
            drop_empty(a.description);
            keep_party(a.performer);
            drop_empty(a.resource);
            keep_code(a.status, {"not-started", "scheduled", "in-progress", "on-hold", "completed", "cancelled", "stopped", "entered-in-error"});
        }
        keep_risks(p->risks);
    } else if (auto* t = std::get_if<Transition>(&r.body)) {
        drop_empty(t->type);
        keep_party(t->author);
        for (auto* provider : {&t->from, &t->to}) {
            if (!*provider) continue;
            drop_empty((*provider)->organisation);
            drop_empty((*provider)->contact);
            if (!(*provider)->organisation && !(*provider)->contact) provider->reset();
        }
        drop_empty(t->reason);
        if (t->plan) {
            drop_empty(t->plan->steps);
            if (!t->plan->agreed_with_receiver && !t->plan->agreement_date && t->plan->steps.empty()) t->plan.reset();
        }
        for (auto& d : t->information_sent) keep_disclosure(d);
    } else if (auto* c = std::get_if<Consent>(&r.body)) {
        drop_empty(c->scope);
        drop_empty(c->status);
        keep_period(c->period);
        for (auto& recipient : c->recipients) {
            drop_empty(recipient.party);
            drop_empty(recipient.role);
        }
        drop_empty(c->purposes);
        drop_empty(c->data_classes);
        if (c->capacity) {
            drop_empty(c->capacity->outcome);
            drop_empty(c->capacity->decision_maker);
            if (!c->capacity->assessed && !c->capacity->outcome && !c->capacity->decision_maker) c->capacity.reset();
        }
        drop_empty(c->verified_with);
        keep_party(c->recorded_by);
    } else if (auto* a = std::get_if<Assessment>(&r.body)) {
        keep_party(a->author);
        keep_period(a->occurred);
        keep_instant_only(a->recorded);
        drop_empty(a->domains);
        drop_empty(a->client_views);
        drop_empty(a->sources);
        keep_risks(a->risks);
        drop_empty(a->text);
    }
    return r;
}

std::vector<json> written(const std::vector<Record>& records) {
    std::vector<json> out;
    for (const auto& r : records) out.push_back(json(write_record(r)));
    return out;
}

std::vector<Record> generate_case(Generator& generate, std::size_t count, std::size_t first_index) {
    std::vector<Record> records;
    for (std::size_t i = 0; i < count; ++i) records.push_back(generate.record(first_index + i));
    return records;
}

}  // namespace

TEST_CASE("generated records of every kind survive model to FHIR JSON to model") {
    for (std::uint64_t seed = 1; seed <= 400; ++seed) {
        Generator generate(seed);
        const auto records = generate_case(generate, 1 + seed % 7, seed * 10);
        std::vector<Record> expected;
        for (const auto& r : records) expected.push_back(as_fhir_keeps(r));

        const auto mapped = fhir::to_bundle(records, seed % 2 ? fhir::BundleType::collection : fhir::BundleType::transaction);
        const auto read = fhir::read_document(json(mapped.bundle));
        INFO("seed " << seed);
        REQUIRE_FALSE(read.error);
        CHECK(written(read.value.records) == written(expected));
    }
}

TEST_CASE("generated records survive model to FHIR XML to model, equal to the JSON reading") {
    for (std::uint64_t seed = 1001; seed <= 1300; ++seed) {
        Generator generate(seed);
        const auto records = generate_case(generate, 1 + seed % 6, seed * 10);
        std::vector<Record> expected;
        for (const auto& r : records) expected.push_back(as_fhir_keeps(r));

        const auto mapped = fhir::to_bundle(records, fhir::BundleType::collection);
        const auto xml = fhir::write_xml(mapped.bundle);
        INFO("seed " << seed);
        REQUIRE_FALSE(xml.error);
        const auto parsed = fhir::read_xml(xml.xml);
        REQUIRE_FALSE(parsed.error);
        const auto from_xml = fhir::read_document(json(parsed.resource));
        REQUIRE_FALSE(from_xml.error);
        CHECK(written(from_xml.value.records) == written(expected));
        CHECK(written(from_xml.value.records) == written(fhir::read_document(json(mapped.bundle)).value.records));
    }
}

TEST_CASE("the same records always map to byte-identical Bundles") {
    Generator first(77), second(77);
    const auto a = fhir::to_bundle(generate_case(first, 10, 0), fhir::BundleType::transaction);
    const auto b = fhir::to_bundle(generate_case(second, 10, 0), fhir::BundleType::transaction);
    CHECK(a.bundle.dump() == b.bundle.dump());
    CHECK(fhir::write_xml(a.bundle).xml == fhir::write_xml(b.bundle).xml);
}

TEST_CASE("leap seconds in FHIR input are rejected with the element path") {
    const json provenance = {{"resourceType", "Bundle"},
                             {"type", "collection"},
                             {"entry", {{{"fullUrl", "urn:uuid:1"}, {"resource", {{"resourceType", "DocumentReference"}, {"status", "current"}}}},
                                        {{"resource", {{"resourceType", "Provenance"}, {"target", {{{"reference", "urn:uuid:1"}}}},
                                                       {"recorded", "2016-12-31T23:59:60Z"}}}}}}};
    const auto read = fhir::read_document(provenance);
    REQUIRE(read.error);
    CHECK(read.error->path == "/entry/1/resource/recorded");
}
