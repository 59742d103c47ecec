// The record model: the five kinds of case record a host sends, as C++ values.
//
// Optional members stay empty when the host did not send them, because
// "missing" is exactly what the criteria look for; nothing is defaulted in.
// The JSON shape is sdk/schema/record.schema.json; field names match it.
#pragma once

#include "casecheck/model/time.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace casecheck::model {

// A person or organisation acting in a record (author, performer, decision-maker).
struct Party {
    std::optional<std::string> id;
    std::optional<std::string> name;
    // Role or discipline, e.g. "case manager", "occupational therapist".
    std::optional<std::string> role;
};

// A period with optional ends (an open end means "ongoing").
struct Period {
    std::optional<Instant> start;
    std::optional<Instant> end;
};

// When an event happened: one instant (only `start` set) or a period.
using Occurrence = Period;

// Information passed to a third party.
struct Disclosure {
    std::optional<std::string> recipient;
    std::optional<std::string> role;
    std::optional<std::string> purpose;
    std::optional<Instant> date;
    std::vector<std::string> items;
    // A lawful basis for sharing without consent (e.g. "safeguarding"), and why it applies.
    std::optional<std::string> exception;
    std::optional<std::string> exception_rationale;
};

struct LateEntry {
    bool flag = false;
    std::optional<std::string> reason;
};

struct Amendment {
    // Id of the record this one corrects or adds to.
    std::optional<std::string> id;
    std::optional<std::string> reason;
};

struct Note {
    std::optional<Party> author;
    std::optional<Occurrence> occurred;
    std::optional<Instant> recorded;
    // contact, assessment, review, referral, handover, closure, ...
    std::optional<std::string> type;
    std::optional<std::string> text;
    std::optional<bool> is_signed;
    std::optional<Instant> signed_at;
    std::optional<LateEntry> late_entry;
    std::optional<Amendment> amends;
    std::vector<Disclosure> disclosures;
    std::optional<bool> consent_reconfirmed;
    // What the client was told at this contact: "privacy" (rights to privacy and
    // confidentiality), "complaints" (how to complain or appeal), "role" (the case manager's role).
    std::vector<std::string> information_given;
};

struct Goal {
    std::optional<std::string> id;
    std::optional<std::string> description;
    std::optional<std::string> measure;
    std::optional<std::string> target;
    std::optional<Instant> due;
    std::optional<Instant> review;
    std::optional<std::string> expressed_by;
    std::optional<bool> agreed;
    std::optional<std::string> status;
    std::optional<std::string> achievement;
    std::vector<std::string> linked_needs;
};

struct Activity {
    std::optional<std::string> id;
    std::optional<std::string> description;
    std::optional<Party> performer;
    std::optional<Instant> scheduled;
    std::vector<std::string> goal_ids;
    std::optional<std::string> resource;
    std::optional<std::string> status;
};

struct Risk {
    // For assessments: "self", "others", ...; free for care plans.
    std::optional<std::string> type;
    std::optional<std::string> description;
    std::optional<std::string> level;
    std::optional<std::string> strategy;
};

struct Agreement {
    bool flag = false;
    std::optional<Instant> date;
};

struct Review {
    std::optional<Instant> date;
    std::optional<Duration> frequency;
};

struct Communication {
    std::optional<std::string> recipient;
    std::optional<std::string> role;
    std::optional<Instant> date;
};

struct CarePlan {
    std::optional<std::string> status;
    std::optional<Instant> created;
    std::optional<Party> author;
    std::vector<Party> contributors;
    std::optional<Period> period;
    std::optional<Review> review;
    std::optional<Agreement> agreed_by_client;
    std::vector<Communication> communicated_to;
    std::vector<Goal> goals;
    std::vector<Activity> activities;
    std::vector<Risk> risks;
};

// One end of a transition.
struct Provider {
    std::optional<std::string> organisation;
    std::optional<std::string> contact;
};

struct TransitionPlan {
    std::optional<bool> agreed_with_receiver;
    std::optional<Instant> agreement_date;
    std::vector<std::string> steps;
};

struct Transition {
    // transfer, discharge, referral, handover, closure
    std::optional<std::string> type;
    std::optional<Instant> date;
    std::optional<Party> author;
    std::optional<Provider> from;
    std::optional<Provider> to;
    std::optional<std::string> reason;
    std::optional<TransitionPlan> plan;
    std::optional<bool> client_involved;
    std::vector<Disclosure> information_sent;
};

struct ConsentRecipient {
    std::optional<std::string> party;
    std::optional<std::string> role;
};

struct Capacity {
    std::optional<bool> assessed;
    std::optional<std::string> outcome;
    std::optional<std::string> decision_maker;
};

struct Consent {
    // engage, share, treatment, ...
    std::optional<std::string> scope;
    // active, withdrawn, expired, refused, ...
    std::optional<std::string> status;
    std::optional<Instant> date;
    std::optional<Period> period;
    std::vector<ConsentRecipient> recipients;
    std::vector<std::string> purposes;
    std::vector<std::string> data_classes;
    std::optional<Capacity> capacity;
    std::optional<std::string> verified_with;
    std::optional<Party> recorded_by;
};

struct Assessment {
    std::optional<Party> author;
    std::optional<Occurrence> occurred;
    std::optional<Instant> recorded;
    std::vector<std::string> domains;
    std::optional<std::string> client_views;
    std::vector<std::string> sources;
    std::vector<Risk> risks;
    std::optional<Instant> reassess_by;
    std::optional<std::string> text;
};

// The record kinds, in the order of the variant below.
enum class RecordKind { note, care_plan, transition, consent, assessment };

// The JSON name of a kind ("note", "care_plan", ...).
std::string_view kind_name(RecordKind kind);

// The kind with that JSON name, or nothing.
std::optional<RecordKind> kind_from_name(std::string_view name);

// One record of any kind.
struct Record {
    std::string id;
    std::optional<std::string> client;
    std::variant<Note, CarePlan, Transition, Consent, Assessment> body;

    RecordKind kind() const { return static_cast<RecordKind>(body.index()); }

    // The body as a given kind, or nullptr when the record is of another kind.
    template <typename Body>
    const Body* as() const {
        return std::get_if<Body>(&body);
    }
};

}  // namespace casecheck::model
