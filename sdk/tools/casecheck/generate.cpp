// casecheck generate: synthetic client cases whose compliance under the core
// rule pack is known exactly. Each case is built clean (no prompt at all), then
// some records get one defect each, designed to trip exactly one criterion; the
// generator counts which records that makes non-compliant. docs/generator.md
// describes the cases, the defect rule and the truth file.
//
// Everything here is synthetic: the people, services and places are made up.
#include "generate.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace casecheck::cli {
namespace {

// ---- Criteria of the core pack ----------------------------------------------------

enum Criterion : int {
    RK01, RK02, RK03, RK04, RK05, RK06, RK07,
    CO01, CO02, CO03, CO04, CO05, CO06, CO07,
    AS01, AS02, AS03, AS04, AS05,
    PL01, PL02, PL03, PL04, PL05, PL06, PL07,
    MO01, MO02,
    TR01, TR02, TR03, TR04, TR05, TR06,
    criterion_count
};

constexpr std::array<const char*, criterion_count> criterion_ids = {
    "RK-01", "RK-02", "RK-03", "RK-04", "RK-05", "RK-06", "RK-07", "CO-01", "CO-02", "CO-03", "CO-04", "CO-05",
    "CO-06", "CO-07", "AS-01", "AS-02", "AS-03", "AS-04", "AS-05", "PL-01", "PL-02", "PL-03", "PL-04", "PL-05",
    "PL-06", "PL-07", "MO-01", "MO-02", "TR-01", "TR-02", "TR-03", "TR-04", "TR-05", "TR-06"};

constexpr std::uint64_t bit(int criterion) { return std::uint64_t{1} << criterion; }

// ---- Deterministic randomness -------------------------------------------------------

constexpr std::uint64_t golden_gamma = 0x9E3779B97F4A7C15ull;

// splitmix64's finaliser: spreads any 64-bit value over the whole range.
constexpr std::uint64_t mix64(std::uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

// splitmix64 with range mappings of our own: the standard distributions are
// implementation-defined, and the output must be byte-identical everywhere.
class Random {
public:
    explicit Random(std::uint64_t seed) : state_(seed) {}

    std::uint64_t next() {
        state_ += golden_gamma;
        return mix64(state_);
    }
    // Uniform over [0, n). Plain modulo maps the same on every platform; its bias is below n / 2^64.
    std::uint64_t below(std::uint64_t n) { return n <= 1 ? 0 : next() % n; }
    int between(int low, int high) { return low + static_cast<int>(below(static_cast<std::uint64_t>(high - low) + 1)); }
    // Uniform over [0, 1) with 53 random bits: exact in IEEE double, so the same everywhere.
    double unit() { return static_cast<double>(next() >> 11) * (1.0 / 9007199254740992.0); }
    bool chance(double p) { return unit() < p; }
    template <class T, std::size_t N>
    const T& pick(const std::array<T, N>& items) {
        return items[below(N)];
    }

private:
    std::uint64_t state_;
};

// ---- Calendar -------------------------------------------------------------------------

constexpr std::int64_t seconds_per_day = 86'400;
constexpr std::int64_t seconds_per_hour = 3'600;

// Days since 1970-01-01 of a proleptic Gregorian date (the era-based method).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
    year -= month <= 2 ? 1 : 0;
    const std::int64_t era = (year >= 0 ? year : year - 399) / 400;
    const auto year_of_era = static_cast<unsigned>(year - era * 400);
    const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
    const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    return era * 146'097 + static_cast<std::int64_t>(day_of_era) - 719'468;
}

struct CivilDate {
    std::int64_t year;
    unsigned month;
    unsigned day;
};

CivilDate civil_from_days(std::int64_t days) {
    days += 719'468;
    const std::int64_t era = (days >= 0 ? days : days - 146'096) / 146'097;
    const auto day_of_era = static_cast<unsigned>(days - era * 146'097);
    const unsigned year_of_era = (day_of_era - day_of_era / 1460 + day_of_era / 36'524 - day_of_era / 146'096) / 365;
    const unsigned day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    const unsigned shifted_month = (5 * day_of_year + 2) / 153;
    const unsigned day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    const unsigned month = shifted_month < 10 ? shifted_month + 3 : shifted_month - 9;
    return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0)) ? 1 : 0); }
std::int64_t day_of(std::int64_t epoch_seconds) { return floor_div(epoch_seconds, seconds_per_day); }

void append_digits(std::string& out, std::int64_t value, int width) {
    char digits[24];
    int length = 0;
    std::uint64_t magnitude = value < 0 ? 0 : static_cast<std::uint64_t>(value);
    do {
        digits[length++] = static_cast<char>('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    for (int i = length; i < width; ++i) out += '0';
    while (length > 0) out += digits[--length];
}

// "YYYY-MM-DD" of a day number.
void append_date(std::string& out, std::int64_t day) {
    const CivilDate date = civil_from_days(day);
    append_digits(out, date.year, 4);
    out += '-';
    append_digits(out, date.month, 2);
    out += '-';
    append_digits(out, date.day, 2);
}

// "YYYY-MM-DDTHH:MM:SSZ": every generated time is written in UTC.
void append_date_time(std::string& out, std::int64_t epoch_seconds) {
    const std::int64_t day = day_of(epoch_seconds);
    const std::int64_t second_of_day = epoch_seconds - day * seconds_per_day;
    append_date(out, day);
    out += 'T';
    append_digits(out, second_of_day / 3600, 2);
    out += ':';
    append_digits(out, second_of_day / 60 % 60, 2);
    out += ':';
    append_digits(out, second_of_day % 60, 2);
    out += 'Z';
}

constexpr std::array<const char*, 12> month_names = {"January", "February", "March",     "April",   "May",      "June",
                                                     "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<const char*, 7> weekday_names = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

// "14 May", as a note would write a date.
void append_spoken_date(std::string& out, std::int64_t day) {
    const CivilDate date = civil_from_days(day);
    append_digits(out, date.day, 1);
    out += ' ';
    out += month_names[date.month - 1];
}

// Reads an RFC 3339 date-time with seconds and an offset ("2026-06-30T12:00:00Z",
// "2026-06-30T13:00:00+01:00") as epoch seconds; fractions of a second are dropped.
bool parse_date_time(std::string_view text, std::int64_t& epoch_seconds) {
    std::size_t at = 0;
    const auto digits = [&](std::size_t count, int& value) {
        if (at + count > text.size()) return false;
        value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text[at + i];
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        at += count;
        return true;
    };
    const auto expect = [&](char c) { return at < text.size() && text[at++] == c; };
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!digits(4, year) || !expect('-') || !digits(2, month) || !expect('-') || !digits(2, day) || !expect('T') ||
        !digits(2, hour) || !expect(':') || !digits(2, minute) || !expect(':') || !digits(2, second)) {
        return false;
    }
    if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    const int month_days[] = {31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (day < 1 || day > month_days[month - 1]) return false;
    if (at < text.size() && text[at] == '.') {
        ++at;
        const std::size_t first = at;
        while (at < text.size() && text[at] >= '0' && text[at] <= '9') ++at;
        if (at == first) return false;
    }
    int offset_minutes = 0;
    if (at < text.size() && text[at] == 'Z') {
        ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
        const int sign = text[at++] == '-' ? -1 : 1;
        int offset_hours = 0, offset_mins = 0;
        if (!digits(2, offset_hours) || !expect(':') || !digits(2, offset_mins) || offset_hours > 23 || offset_mins > 59) return false;
        offset_minutes = sign * (offset_hours * 60 + offset_mins);
    } else {
        return false;
    }
    if (at != text.size()) return false;
    epoch_seconds = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)) * seconds_per_day +
                    hour * seconds_per_hour + minute * 60 + second - offset_minutes * 60;
    return true;
}

// ---- The made-up world ------------------------------------------------------------
//
// Every name below is invented for this generator. The free-text pools avoid, on
// purpose, the words the core lexicon reads as decisions, closures, consent,
// capacity, disclosures, abbreviations, judgemental terms and late-entry markers,
// except where a sentence is meant to carry one (docs/generator.md).

constexpr int team_count = 6;
constexpr int staff_per_team = 8;
constexpr int staff_count = team_count * staff_per_team;

constexpr std::array<const char*, team_count> team_names = {"North East", "North West", "City Centre", "South Vale", "Riverside", "Eastfield"};
constexpr std::array<const char*, team_count> team_offices = {"Kenning Street", "Alder House", "Market Row", "Vale Road", "Wharfside", "Eastfield Parade"};

constexpr std::array<const char*, staff_count> staff_first_names = {
    "Orla",  "Tobias", "Priya",  "Matthias", "Ines",    "Callum", "Nadia",   "Rufus",  "Maren",  "Dev",      "Sorcha", "Ivo",
    "Lenka", "Bram",   "Tamsin", "Kofi",     "Elspeth", "Rohan",  "Saskia",  "Piet",   "Aoife",  "Lucan",    "Mirela", "Joss",
    "Hedda", "Farid",  "Cerys",  "Anselm",   "Zofia",   "Teodor", "Ailsa",   "Ravi",   "Linnea", "Osric",    "Yara",   "Dermot",
    "Signe", "Emeka",  "Perpetua", "Cormac", "Ilse",    "Kwame",  "Rosalind", "Tarek", "Wynne",  "Bastian",  "Leocadia", "Hamish"};
constexpr std::array<const char*, staff_count> staff_surnames = {
    "Penhallow",  "Wrenfield",   "Castellane", "Oyelaran",    "Quillfeather", "Brackenbury", "Marchetti-Vale", "Thornquist",
    "Ashdown",    "Pellinore",   "Faraday",    "Kettleby",    "Ravensworth",  "Okonkwo-Hale", "Gillingham",    "Strathmore",
    "Vandersloot", "Merriweather", "Tallis-Crane", "Ibbotson", "Fenwick-Ola",  "Harrowgate",  "Lindqvist",      "Moncrieff",
    "Abernethy",  "Soltani",     "Crowther",   "Delacourt",   "Nakashima-Bell", "Ormerod",   "Pemberton-Kaur", "Quenby",
    "Rushworth",  "Sandoval-Pike", "Treharne", "Underhill",   "Varga-Holt",   "Whitlock",    "Yardley",        "Zetterlund",
    "Amberley",   "Birtwhistle", "Coldicott",  "Dunmore",     "Elphick",      "Fothergill",  "Grimshaw",       "Hollingdrake"};

// Roles by position within a team: three case managers, two social workers, then one of each other discipline.
constexpr std::array<const char*, staff_per_team> team_roles = {"case manager",          "case manager",    "case manager",
                                                                "social worker",         "social worker",   "occupational therapist",
                                                                "community nurse",       "support worker"};
constexpr int lead_worker_slots = 5;  // the first five of a team hold cases
constexpr int therapist_slot = 5;
constexpr int nurse_slot = 6;
constexpr int support_worker_slot = 7;

constexpr std::array<const char*, 30> female_names = {
    "Agnieszka", "Beryl",   "Constance", "Dolores",  "Edwina",  "Florrie", "Gwendolen", "Hortense", "Isadora", "Jocasta",
    "Kirsi",     "Lavinia", "Marisol",   "Nerys",    "Ottilie", "Philippa", "Rhoslyn",  "Sabine",   "Theodora", "Ursula",
    "Verity",    "Winifred", "Xanthe",   "Yolanda",  "Zinnia",  "Bronagh", "Celestine", "Dagny",    "Eulalia", "Fionnuala"};
constexpr std::array<const char*, 30> male_names = {
    "Alaric",  "Barnaby",  "Cuthbert", "Desmond",   "Evander",   "Fergus",  "Godfrey", "Horace",   "Ignatius", "Jolyon",
    "Kasimir", "Leopold",  "Mortimer", "Nevin",     "Osbert",    "Percival", "Quentin", "Reginald", "Sebastian", "Thaddeus",
    "Ulric",   "Valentin", "Wilfred",  "Xavier",    "Yannick",   "Zebedee", "Ambrose", "Bartholomew", "Cosmo", "Dorian"};

struct Relative {
    const char* relation;
    const char* name;
};
constexpr std::array<Relative, 10> relatives = {{{"son", "Marcus"},     {"daughter", "Delia"},  {"niece", "Imogen"},
                                                 {"nephew", "Rafferty"}, {"brother", "Tristan"}, {"sister", "Clemency"},
                                                 {"son", "Jago"},        {"daughter", "Elowen"}, {"niece", "Posy"},
                                                 {"nephew", "Ned"}}};

constexpr std::array<const char*, 11> gp_practices = {"Larkfield Surgery",       "Cobb Lane Medical Practice", "Heron Way Health Centre",
                                                      "Saltmarsh Medical Centre", "Quarry Hill Surgery",       "Tanners Row Practice",
                                                      "Bellfield Health Centre", "Ockley Green Surgery",      "Wyvern Medical Practice",
                                                      "Halden Street Surgery",   "Pinfold Medical Centre"};
constexpr std::array<const char*, 6> gp_doctors = {"Dr Amara Vellacott", "Dr Linus Okafor-Baird", "Dr Hesper Quayle",
                                                   "Dr Ravindra Coldwell", "Dr Bettina Marlowe", "Dr Ansgar Fellowes"};
constexpr std::array<const char*, 8> housing_providers = {"Brookvale Homes",   "Harbourside Housing Association", "Greystone Homes",
                                                          "Linden Tree Housing", "Marlpit Housing Trust",        "Kingsmead Homes",
                                                          "Orchard Vale Housing", "Saltcote Living"};
constexpr std::array<const char*, 2> social_care_departments = {"Eastmoor Council Adult Social Care", "Westmoor Council Adult Social Care"};
constexpr std::array<const char*, 20> streets = {"Cobble Lane",    "Tanyard Road",  "Heathcote Avenue", "Sparrow Hill", "Ferry Street",
                                                 "Rookery Way",    "Larch Grove",   "Quayside Walk",    "Beacon Terrace", "Hopfield Road",
                                                 "Weaver Street",  "Chantry Lane",  "Pinfold Street",   "Osier Road",   "Kiln Lane",
                                                 "Morrow Avenue",  "Thistle Road",  "Dovecote Lane",    "Salter Street", "Brindle Way"};
constexpr std::array<const char*, 10> clubs = {"the Tuesday lunch club at Beacon Hall",   "the walking group in Rookery Park",
                                               "the knit and natter group at the library", "the chair yoga class at Osier Road hall",
                                               "the men's shed on Kiln Lane",             "the memory cafe at Chantry Lane hall",
                                               "the allotment group on Hopfield Road",    "the community choir at Weaver Street",
                                               "the bowls club by the river",             "the reading group at the library"};
constexpr std::array<const char*, 10> foods = {"soup",           "a jacket potato",    "scrambled eggs", "a fish pie", "a vegetable stew",
                                               "porridge",       "a shepherd's pie",   "a chicken casserole", "dal and rice", "beans on toast"};
constexpr std::array<const char*, 10> equipment_items = {"perching stool", "raised toilet seat", "bath board",   "second stair rail",
                                                         "grab rail by the front door", "walking frame", "pendant alarm", "kettle tipper",
                                                         "bed lever", "shower seat"};
constexpr std::array<const char*, 8> repairs = {"the leaking kitchen tap",      "the broken extractor fan in the bathroom",
                                                "the damp in the back bedroom", "the loose stair carpet",
                                                "the faulty front door lock",   "the cracked bathroom window",
                                                "the boiler that keeps losing pressure", "the broken back gate"};
constexpr std::array<const char*, 9> conditions = {"arthritis in both knees", "type 2 diabetes",     "heart failure",
                                                   "Parkinson's disease",     "chronic lung disease", "osteoporosis",
                                                   "macular degeneration",    "early-stage dementia", "multiple sclerosis"};
constexpr std::array<const char*, 6> pharmacies = {"Quayside Pharmacy", "Hopfield Chemist", "Beacon Pharmacy",
                                                   "Larch Grove Pharmacy", "Ferry Street Chemist", "Kiln Lane Pharmacy"};
constexpr std::array<const char*, 4> chapels = {"the Weaver Street chapel", "St Aldric's on Chantry Lane", "the Quaker meeting house",
                                                "the Hopfield Road gurdwara"};

// A service the client may be referred or transferred to, and the role that names it in a consent.
struct Receiver {
    const char* organisation;
    const char* role;
    const char* contact;
    const char* referral_reason;  // why, for the transition's reason and the referral note (after "because")
};
constexpr std::array<Receiver, 5> referral_receivers = {{
    {"Larkfield Falls Prevention Service", "falls service", "Bethan Ardley", "{s} has had two falls at home in the last six months"},
    {"Moorgate Memory Assessment Service", "memory service", "Corin Haddow", "{s} and {p} {rel} have noticed {p} memory getting worse"},
    {"Brightwater Debt Advice", "debt adviser", "Lorcan Wetherby", "{s} has rent arrears that {s} cannot clear on {p} own"},
    {"Fernhill Community Dietetics", "dietitian", "Anouk Pallister", "{s} has lost weight without trying over the winter"},
    {"Ashcombe Short Breaks", "respite provider", "Mabli Trevelyan", "{p} {rel} needs regular breaks from caring"},
}};
constexpr std::array<Receiver, 2> transfer_receivers = {{
    {"Hollowmere Neighbourhood Care Team", "community team", "Idris Calloway", "{s} has moved to {p} {rel}'s home in Hollowmere"},
    {"Ashby Vale Reablement Service", "reablement team", "Sunniva Brandt", "{s} needs a short spell of daily reablement at home"},
}};

// A recipient the client consented to share with for a limited time only; the consent later
// ended (withdrawn or expired), so sharing with them afterwards is CO-07's question.
struct LimitedRecipient {
    const char* party;
    const char* role;
    const char* purpose;
    const char* item;
};
constexpr std::array<LimitedRecipient, 3> limited_recipients = {{
    {"Hallam Road Day Centre", "day centre", "attendance planning", "visit timetable"},
    {"Kestrel Logistics HR team", "employer", "phased return to work", "fitness summary"},
    {"Eastmoor Jobcentre", "work coach", "benefit claim", "claim evidence"},
}};

// A need the plan addresses: its goal, measure and target, its activity, the variant of an
// activity that considers self-management (PL-07), and how a review or closure note reports it.
struct Need {
    const char* key;
    const char* goal;
    const char* measure;
    const char* target;
    const char* activity;
    const char* performer_name;  // nullptr: a member of the team does it
    const char* performer_role;
    const char* resource;
    const char* self_managed_activity;
    const char* progress;
};
constexpr int need_count = 8;
constexpr std::array<Need, need_count> needs = {{
    {"mobility", "Walk to the shops on {street} and back with a stick", "Trips to the shops and back each week",
     "Three trips a week", "Strength and balance class at Beacon Hall, weekly for twelve weeks", "Community falls prevention team",
     "physiotherapist", "Community strength and balance class",
     "Home exercise programme from the physiotherapist, on the days without a class",
     "Walking: {s} now gets to the shops on {street} and back three times most weeks."},
    {"medication", "Take every prescribed dose at the right time", "Missed doses found at the weekly pharmacy check",
     "No missed doses for four weeks in a row", "Pharmacy to deliver tablets in weekly blister packs", "{pharmacy}",
     "community pharmacist", "Pharmacy blister packs", "Dosette box and reminder chart so that {n} can manage {p} own tablets",
     "Tablets: no doses were missed at the last four pharmacy checks."},
    {"meals", "Cook a hot meal at home on most days", "Hot meals cooked each week", "Five a week",
     "Support worker to cook alongside {n} on {day}s for six weeks", nullptr, "support worker", "Support worker time, two hours a week",
     "Batch cooking on {day}s so that {n} can manage {p} own meals on the other days",
     "Meals: {s} is cooking a hot meal on four or five days a week."},
    {"social contact", "Go to a group or club outside the home every week", "Group sessions attended each week",
     "At least one a week", "Support worker to go with {n} to {club} for the first three sessions", nullptr, "support worker",
     "Community transport", "Peer support group for people living alone, which {n} can join without a worker",
     "Getting out: {s} has been to {club} every week since the last review."},
    {"finances", "Claim the pension credit and attendance allowance {n} is entitled to", "Claims submitted and decided",
     "Both claims decided", "Case manager to complete both claim forms with {n}", nullptr, "case manager", "Welfare benefits check",
     "Online course on household bills, which {n} can follow at {p} own pace",
     "Money: the pension credit claim is in and the attendance allowance form is with the assessor."},
    {"housing", "Have {repair} put right", "Repair completed and checked with {n}", "Repair done and no return of the problem for a month",
     "Case manager to chase the {hous} repairs team every fortnight", nullptr, "case manager", "Landlord repairs service",
     "Self-help guide from {hous} for reporting repairs online, which {n} will try with {p} {rel}",
     "Housing: the repair to {repair} is booked for {day}."},
    {"carer breaks", "Give {n}'s {rel} a regular break from caring", "Respite nights used each month", "Two nights a month",
     "Book respite nights at Ashcombe Short Breaks", "Ashcombe Short Breaks", "respite provider", "Respite budget",
     "Direct payment so that the family can choose and book the breaks",
     "Breaks: two respite nights were used this month, as planned."},
    {"mood", "Feel less low in the evenings", "Weekly score on the mood questionnaire", "Score under 10 for four weeks in a row",
     "Six sessions with Riverbend Talking Therapies", "Riverbend Talking Therapies", "therapist", "Talking therapies service",
     "Mood diary and coping strategies from the sessions, used on {p} own each evening",
     "Mood: the weekly mood score is down from 16 to 11."},
}};

// ---- Free text ----------------------------------------------------------------------

// Contact notes: an opening, a few topics, sometimes a decision given with its reason or a
// disclosure the case's consents cover, and a closing line. Visits and calls open differently.
constexpr std::array<const char*, 5> visit_openings = {
    "Planned home visit to {n} at {p} flat on {street}.",
    "Home visit to {n}, who was up and dressed and expecting me.",
    "{n} came to the {office} office for a planned appointment.",
    "Visited {n} at home on {street} at the usual time.",
    "Joint home visit to {n} with the community nurse from the team.",
};
constexpr std::array<const char*, 3> call_openings = {
    "Telephone call with {n} at the time we set last week.",
    "Planned telephone check-in with {n}.",
    "Video call with {n} on the tablet lent by the digital inclusion scheme.",
};
constexpr std::array<const char*, 30> contact_topics = {
    "{S} has been doing the chair exercises from the physiotherapy leaflet most mornings, and the stiffness in {p} knees now eases by lunchtime.",
    "We walked together to the end of {street} and back, and {s} needed only one rest at the bench by the bus stop.",
    "{S} now manages the stairs with the {equip}, and the route from the bedroom to the bathroom is clear of trip hazards.",
    "The fridge had fresh milk, bread and {food}, and {s} showed me the meal planner we put together at the last visit.",
    "{S} has cooked a hot meal on most days this week and had made {food} for lunch.",
    "The dosette box was filled correctly for the week, and the slots up to today were empty, as expected.",
    "{S} takes {p} morning tablets with breakfast and keeps the pharmacy reminder chart on the fridge door.",
    "The repair to {repair} is still outstanding, and {s} is keeping a note of each time the problem comes back.",
    "{S} has been going to {club} and has got to know two of the regulars.",
    "{P} {rel} {relname} came over at the weekend and helped with the big shop.",
    "{S} talked about missing {p} late {partner}, especially in the evenings, and we looked at the befriending calls on offer from the volunteer scheme.",
    "{P} mood was brighter than at the last visit, and {s} was chatty throughout.",
    "Sleep is better since the blackout blind went up in the bedroom.",
    "We went through the pension credit form together and {s} signed it, ready for posting on {day}.",
    "{S} has kept up with the gas and electricity payments this month and showed me the latest bills.",
    "The {equip} is in place and {s} is using it every day without any trouble.",
    "{S} has a hearing test at the audiology clinic on {day}, and a neighbour has offered to drive {o} there.",
    "The flat was warm and tidy, and the heating now comes on an hour before {s} gets up.",
    "We looked at the bus timetable together so that {s} can get to the market on {day} mornings.",
    "{S} has been sleeping through most nights and naps less in the afternoon.",
    "{P} feet were seen by the podiatrist last week, and the new shoes fit well.",
    "{S} has been keeping a simple record of good and bad days, which we read through together.",
    "The garden path has been swept, and the outside light over the back door now works.",
    "{S} has started wearing the pendant alarm in the shower as well as during the day.",
    "{S} is eating well, and {p} weight on the bathroom scales is steady.",
    "We talked through the week ahead, and {s} has something planned for most days.",
    "{P} {rel} rings every evening, and {s} looks forward to the call.",
    "The kettle tipper has made hot drinks easier, and there have been no spills since it arrived.",
    "{S} can now stand up from the armchair without pushing on the arms, which is a clear gain since the spring.",
    "We tested the smoke alarm together, and it is working.",
};
// Consent revisited at the contact (CO-02), in the note's own words.
constexpr std::array<const char*, 3> consent_sentences = {
    "{S} is happy for the visits to continue.",
    "Consent to continue working together was reconfirmed today.",
    "{S} consented to continue with the visits.",
};
// Decisions written with their reasons in the same sentence (RK-02 satisfied).
constexpr std::array<const char*, 4> reasoned_decisions = {
    "Arranged a joint visit with the occupational therapist for {day} because {s} is finding the bath board hard to use.",
    "Increased visits to weekly for the next month because {s} has been low since {p} {rel} moved away.",
    "Signposted {o} to the advice drop-in at the library so that {s} can get help with the council tax letter.",
    "Arranged a second visit for next {day} so that the new {equip} can be checked once it is fitted.",
};
constexpr std::array<const char*, 3> contact_closings = {
    "Next visit booked for {date}.",
    "I will ring {o} on {day} to hear how the week has gone.",
    "The next visit is on {date}, at the usual time.",
};

// Disclosures the consents cover, as the note's text states them (with a structured disclosure beside them).
constexpr const char* gp_disclosure_sentence = "I sent a copy of the updated medication list to the GP at {gp}, as agreed with {n}.";
constexpr const char* housing_disclosure_sentence = "I rang the housing officer at {hous} about {repair}, with {n} beside me.";

// The first contact: who, why, the service, the client's rights (CO-05), and consent.
constexpr std::array<const char*, 2> intake_openings = {
    "First home visit to {n} at {p} home on {street}, following the referral from {p} GP.",
    "First meeting with {n}, at {p} home on {street}, after {p} GP asked the team to get involved.",
};
constexpr const char* intake_role = "I explained my role, what the service can offer and how often we are likely to visit.";
constexpr const char* intake_rights =
    "We went through the privacy leaflet and the limits of confidentiality, and I gave {o} the complaints leaflet and explained how to make a complaint.";
constexpr std::array<const char*, 4> intake_topics = {
    "{n} lives alone and has {cond}.",
    "{S} described the last few months, including two falls at home and a spell when {s} stopped going out.",
    "{P} {rel} {relname} lives nearby and comes over most weekends.",
    "{S} manages {p} own tablets from a dosette box that the pharmacy fills each week.",
};
constexpr const char* intake_consent = "{S} consented to case management.";
constexpr const char* intake_closing = "We will meet again in two weeks to start work on a support plan.";

constexpr std::array<const char*, 2> review_openings = {
    "Review of {n}'s support plan at home, with {p} {rel} {relname} there for the second half of the visit.",
    "Review of the support plan with {n} at {p} home on {street}.",
};
constexpr std::array<const char*, 5> review_middles = {
    "We went through each goal against its measure, and the achievement of each goal is recorded in the plan.",
    "{n} is pleased with the progress so far and keen to keep going with the same activities.",
    "{S} talked through what has been harder since the last review, mainly the evenings and the stairs.",
    "We looked again at the risks in the plan, and the falls strategy is working as intended.",
    "The goals and activities stay as they are for now, with the same people doing each activity.",
};
constexpr const char* review_closing = "The next review is due on {review}.";

constexpr std::array<const char*, 2> referral_openings = {
    "Visited {n} at home to talk about more specialist help.",
    "Telephone call with {n} about getting more specialist help.",
};
constexpr const char* referral_decision = "I made a referral to {org} because {reason}.";
constexpr std::array<const char*, 2> referral_middles = {
    "{n} knows what the service offers, has its leaflet and expects a call from them within three weeks.",
    "The referral form includes a copy of the current support plan.",
};

constexpr const char* handover_opening = "Handover meeting with {colleague} today.";
constexpr const char* handover_reason = "{colleague1} becomes {n}'s case manager from {day} because I am moving to the {team2} team.";
constexpr std::array<const char*, 3> handover_middles = {
    "We went through the support plan, the risk assessment and the recent contact notes together.",
    "{n} met {colleague1} at a joint visit last week and is comfortable with the change.",
    "I have given {n} the direct number for {colleague1} and the duty line.",
};

constexpr const char* closure_opening = "Final visit to {n} at home to go through the support plan together.";
constexpr std::array<const char*, 3> closure_reasons = {
    "The case is closed because the goals of {p} support plan have been met.",
    "The case is closed because {s} is now settled and managing well day to day.",
    "The case is closed because {p} care is now with {org}.",
};
constexpr const char* closure_without_reason = "The case is closed today.";
constexpr const char* closure_continuity = "The GP will continue to review {p} medication, and {s} can self-refer to the team if things change.";
constexpr const char* closure_closing = "{n} has the number for the duty line.";

constexpr std::array<const char*, 3> addendum_texts = {
    "Addendum to the note of {amended}: the visit started at {time}, not at the time first given. {n} was told of the correction at today's call. The rest of that note is accurate.",
    "Addendum to the note of {amended}: the pharmacy named in it should be {pharmacy}, which fills {p} dosette box each week. The rest of that note is accurate.",
    "Addendum to the note of {amended}: the next visit is on a {day}, not on the day first given. {n} has the right day on the calendar by the phone. The rest of that note is accurate.",
};
constexpr std::array<const char*, 3> addendum_reasons = {"Start time of the visit corrected", "Pharmacy name corrected",
                                                         "Day of the next visit corrected"};

// Defect sentences for note text: each trips exactly one criterion.
constexpr std::array<const char*, 5> unreasoned_decisions = {  // RK-02
    "Referred {o} to the community falls team.",
    "Increased visits to twice a week.",
    "Arranged a place at {club}.",
    "Signposted {o} to the advice drop-in at the library.",
    "Decided to move the visits to {day} mornings.",
};
constexpr std::array<const char*, 5> abbreviation_sentences = {  // RK-04
    "{P} NOK is {p} {rel} {relname}.",
    "Seen at home today; NFA from this visit.",
    "{S} was DNA at the eye clinic on {day}.",
    "Pt seen at home today.",
    "{S} manages most ADLs without help.",
};
constexpr std::array<const char*, 4> judgemental_sentences = {  // RK-05
    "{S} was uncooperative at the start of the visit.",
    "{S} is non-compliant with the evening tablets.",
    "{S} can be demanding on the phone.",
    "{S} was described as manipulative by a worker last year.",
};
constexpr const char* solicitor_disclosure_sentence = "I sent a copy of the falls assessment to {p} solicitor at Gorse and Lyle.";  // CO-03

// Assessment text: one paragraph per domain (AS-01), the client's own views (AS-02) and the
// sources (AS-03) in sentences of their own, so a defect can leave exactly one of them out.
constexpr std::array<const char*, 2> assessment_openings = {
    "Assessment at home with {n}, lasting about an hour and a half.",
    "Assessment with {n} at {p} home on {street}, with {p} {rel} {relname} there for part of it.",
};
constexpr std::array<const char*, 2> physical_paragraphs = {
    "Physical health: {S} has {cond} and walks indoors with a stick. {S} had two falls at home in the last six months, neither needing hospital treatment. Personal care is managed with the {equip} in place.",
    "Physical health: {S} has {cond}, gets breathless on the stairs and uses the {equip}. Pain is controlled with regular tablets, and sleep is broken two or three nights a week.",
};
constexpr std::array<const char*, 2> psychological_paragraphs = {
    "Mood and wellbeing: {P} mood is generally steady, with low spells in the evenings since the death of {p} {partner}. Memory is good for day-to-day things.",
    "Mood and wellbeing: {S} describes some anxiety about going out after the falls. {P} mood lifts on days with company.",
};
constexpr std::array<const char*, 2> social_paragraphs = {
    "Social situation: {S} lives alone in a ground-floor flat rented from {hous}. {P} {rel} {relname} visits at weekends. Money is tight, but the bills are paid.",
    "Social situation: {S} lives alone in a terraced house on {street} rented from {hous}. Neighbours look in most days, and {p} {rel} {relname} helps with the shopping.",
};
constexpr std::array<const char*, 2> spiritual_paragraphs = {
    "Spiritual: {S} has a quiet faith and goes to the Sunday service at {chapel} when {s} can get there.",
    "Spiritual: {S} does not follow a religion and finds meaning in {p} garden and in music.",
};
constexpr std::array<const char*, 2> cultural_paragraphs = {
    "Cultural background: English is {p} first language, and {s} grew up in the area and knows it well.",
    "Cultural background: {P} first language is Welsh and {s} speaks English fluently, so no interpreter is needed.",
};
constexpr std::array<const char*, 2> view_sentences = {
    "In {p} own words, {s} would like to stay in {p} flat and get back to {club}.",
    "{S} is clear that {s} wants to stay at home, and {p} priority is getting out more.",
};
constexpr const char* sources_sentence =
    "Information from {p} GP records and the hospital discharge summary was read before the visit, and {p} {rel} added to the picture by phone.";
constexpr const char* assessment_risks =
    "Risks: the falls risk is medium and is managed with the pendant alarm, the second stair rail and the strength and balance class. No risk to others was found.";
constexpr const char* assessment_closing = "Reassessment is due by {reassess}.";

// ---- JSON output --------------------------------------------------------------------

// Appends a JSON string body (no quotes) with the escapes JSON needs.
void append_escaped(std::string& out, std::string_view text) {
    std::size_t plain = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + plain, i - plain);
        plain = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            default: {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 0xF];
            }
        }
    }
    out.append(text.data() + plain, text.size() - plain);
}

// A compact JSON writer over one string: it places commas, the caller places keys and values.
class Json {
public:
    explicit Json(std::string& out) : out_(out) {}

    void open_object() { open('{'); }
    void close_object() { close('}'); }
    void open_array() { open('['); }
    void close_array() { close(']'); }
    void key(std::string_view name) {
        comma();
        out_ += '"';
        out_ += name;
        out_ += "\":";
        after_key_ = true;
    }
    void string(std::string_view value) {
        value_start();
        out_ += '"';
        append_escaped(out_, value);
        out_ += '"';
    }
    void boolean(bool value) {
        value_start();
        out_ += value ? "true" : "false";
    }
    void date(std::int64_t day) {
        value_start();
        out_ += '"';
        append_date(out_, day);
        out_ += '"';
    }
    void date_time(std::int64_t epoch_seconds) {
        value_start();
        out_ += '"';
        append_date_time(out_, epoch_seconds);
        out_ += '"';
    }
    // The output, for a value the caller writes itself (already valid JSON).
    std::string& raw_value() {
        value_start();
        return out_;
    }
    // Starts a string value whose body the caller appends, escaped, to text().
    void begin_string() {
        value_start();
        out_ += '"';
    }
    void end_string() { out_ += '"'; }
    std::string& text() { return out_; }

    // Shorthands for "key": value.
    void field(std::string_view name, std::string_view value) {
        key(name);
        string(value);
    }
    void boolean_field(std::string_view name, bool value) {
        key(name);
        boolean(value);
    }
    void date_field(std::string_view name, std::int64_t day) {
        key(name);
        date(day);
    }
    void time_field(std::string_view name, std::int64_t epoch_seconds) {
        key(name);
        date_time(epoch_seconds);
    }

private:
    void comma() {
        if (need_comma_[depth_]) out_ += ',';
        need_comma_[depth_] = true;
    }
    void value_start() {
        if (after_key_) after_key_ = false;
        else comma();
    }
    void open(char bracket) {
        value_start();
        out_ += bracket;
        need_comma_[++depth_] = false;
    }
    void close(char bracket) {
        out_ += bracket;
        --depth_;
    }

    std::string& out_;
    std::array<bool, 16> need_comma_{};
    int depth_ = 0;
    bool after_key_ = false;
};

// ---- The case model -------------------------------------------------------------------

enum class Kind : std::uint8_t { note, care_plan, transition, consent, assessment };
constexpr std::array<const char*, 5> kind_names = {"note", "care_plan", "transition", "consent", "assessment"};

enum class NoteType : std::uint8_t { contact, review, referral, handover, closure, addendum };
constexpr std::array<const char*, 6> note_type_names = {"contact", "review", "referral", "handover", "closure", "addendum"};

enum class TransitionType : std::uint8_t { referral, handover, transfer, discharge, closure };
constexpr std::array<const char*, 5> transition_type_names = {"referral", "handover", "transfer", "discharge", "closure"};

// What a consent is for: engaging with the service, sharing with the usual partners,
// sharing with one recipient for a limited time, or sharing with a service the client moves to.
enum class ConsentPurpose : std::uint8_t { engage, share, limited, receiver };

// How an open case ends before the as-of time, if it does.
enum class Ending : std::uint8_t { ongoing, closure, transfer, discharge };

// A covered disclosure a clean note makes.
enum class NoteDisclosure : std::uint8_t { none, gp, housing, limited, exception };

constexpr int no_defect = -1;
constexpr int max_needs = 5;

// One record of the case, before it is written: what cross-record criteria need to know
// (times, types, statuses) and the defect it carries. The rest is drawn when it is written.
struct Entry {
    Kind kind = Kind::note;
    std::uint8_t subtype = 0;   // NoteType, TransitionType or ConsentPurpose
    std::int64_t time = 0;      // event time (notes, assessments, transitions) or creation time, epoch seconds
    int order = 0;              // creation order: breaks ties in time and seeds the record's own draws
    int number = 0;             // 1-based within its kind, for its id
    int author = 0;             // staff index

    // notes
    int minutes = 0;            // > 0: a visit lasting this long; 0: a call at one instant
    bool first_contact = false;
    NoteDisclosure disclosure = NoteDisclosure::none;
    int amends = -1;            // addenda: the entry amended (index once sorted)
    bool late_with_reason = false;

    // care plans
    bool active = false;
    std::int64_t plan_end_day = 0;    // completed plans: the day they were completed
    std::int64_t last_review_day = -1;  // latest review note on or after the plan was created (-1: none)

    // transitions and receiver consents
    int receiver = 0;

    // assessments
    bool last_assessment = false;

    int defect = no_defect;
    int variant = 0;
    std::int64_t defect_day = 0;  // the date a defect moves something to, where it needs one
    std::uint64_t flagged = 0;    // criteria this record will be prompted for

    NoteType note_type() const { return static_cast<NoteType>(subtype); }
    TransitionType transition_type() const { return static_cast<TransitionType>(subtype); }
    ConsentPurpose consent_purpose() const { return static_cast<ConsentPurpose>(subtype); }
};

// The client and the case-wide facts that records refer to.
struct Client {
    std::uint64_t number = 0;
    bool female = true;
    const char* name = "";
    const Relative* relative = nullptr;
    const char* street = "";
    const char* gp = "";
    const char* gp_doctor = "";
    const char* housing = "";
    const char* social_care = "";
    const char* club = "";
    const char* equipment = "";
    const char* repair = "";
    const char* condition = "";
    const char* pharmacy = "";
    const char* chapel = "";
    int team = 0;
    int lead_worker = 0;       // staff index holding the case at the start
    int next_worker = 0;       // after a handover
    std::int64_t handover_time = std::numeric_limits<std::int64_t>::max();
    std::array<int, max_needs> needs{};
    int needs_count = 0;
    std::int64_t start_day = 0;
    std::int64_t last_day = 0;
    Ending ending = Ending::ongoing;
    bool has_limited_consent = false;
    int limited = 0;
    bool limited_withdrawn = true;
    std::int64_t limited_end_day = 0;
    int referral_receiver = -1;  // index into referral_receivers
    int transfer_receiver = -1;  // index into transfer_receivers

    int worker_at(std::int64_t time) const { return time >= handover_time ? next_worker : lead_worker; }
};

// Ids: "case-000017", "client-000017", "note-000017-03".
void append_number(std::string& out, std::uint64_t number, int width) { append_digits(out, static_cast<std::int64_t>(number), width); }

// The staff table, built once.
struct StaffMember {
    std::string id;
    std::string name;
    const char* first_name;
    const char* role;
};

const std::vector<StaffMember>& staff() {
    static const std::vector<StaffMember> table = [] {
        std::vector<StaffMember> members;
        for (int i = 0; i < staff_count; ++i) {
            std::string id = "staff-";
            append_digits(id, i + 1, 3);
            members.push_back({id, std::string(staff_first_names[i]) + " " + staff_surnames[i], staff_first_names[i],
                               team_roles[static_cast<std::size_t>(i % staff_per_team)]});
        }
        return members;
    }();
    return table;
}

int staff_index(int team, int slot) { return team * staff_per_team + slot; }

// ---- Writing one case ---------------------------------------------------------------

// Expands {placeholders} of a text pattern for one record, appending the result escaped.
class TextWriter {
public:
    TextWriter(const Client& client, Random& random, std::string& out) : client_(client), random_(random), out_(out) {}

    std::int64_t day = 0;            // the record's day, for {date} and {day}
    std::int64_t amended_day = 0;    // {amended}
    std::int64_t review_day = 0;     // {review}
    std::int64_t reassess_day = 0;   // {reassess}
    const Receiver* receiver = nullptr;
    int colleague = 0;               // staff index for {colleague}

    // One sentence or paragraph; a space before it unless it is the first.
    void sentence(const char* pattern) {
        if (!first_) out_ += ' ';
        first_ = false;
        expand(pattern);
    }
    // A paragraph on a line of its own (the escaped new line of a JSON string).
    void paragraph(const char* pattern) {
        if (!first_) out_ += "\\n";
        first_ = false;
        expand(pattern);
    }
    // As expand, with the first letter written in upper case.
    void expand_capitalised(std::string_view pattern) {
        const std::size_t first = out_.size();
        expand(pattern);
        if (first < out_.size() && out_[first] >= 'a' && out_[first] <= 'z') out_[first] = static_cast<char>(out_[first] - 'a' + 'A');
    }
    void expand(std::string_view pattern) {
        std::size_t at = 0;
        while (at < pattern.size()) {
            const std::size_t open = pattern.find('{', at);
            if (open == std::string_view::npos) {
                append_escaped(out_, pattern.substr(at));
                return;
            }
            append_escaped(out_, pattern.substr(at, open - at));
            const std::size_t close = pattern.find('}', open);
            placeholder(pattern.substr(open + 1, close - open - 1));
            at = close + 1;
        }
    }

private:
    void put(std::string_view text) { append_escaped(out_, text); }

    void placeholder(std::string_view name) {
        const bool f = client_.female;
        if (name == "n") put(client_.name);
        else if (name == "s") put(f ? "she" : "he");
        else if (name == "S") put(f ? "She" : "He");
        else if (name == "p") put(f ? "her" : "his");
        else if (name == "P") put(f ? "Her" : "His");
        else if (name == "o") put(f ? "her" : "him");
        else if (name == "rel") put(client_.relative->relation);
        else if (name == "relname") put(client_.relative->name);
        else if (name == "partner") put(f ? "husband" : "wife");
        else if (name == "street") put(client_.street);
        else if (name == "gp") put(client_.gp);
        else if (name == "hous") put(client_.housing);
        else if (name == "club") put(client_.club);
        else if (name == "equip") put(client_.equipment);
        else if (name == "repair") put(client_.repair);
        else if (name == "cond") put(client_.condition);
        else if (name == "pharmacy") put(client_.pharmacy);
        else if (name == "chapel") put(client_.chapel);
        else if (name == "office") put(team_offices[static_cast<std::size_t>(client_.team)]);
        else if (name == "team2") put(team_names[static_cast<std::size_t>((client_.team + 1) % team_count)]);
        else if (name == "food") put(random_.pick(foods));
        else if (name == "day") put(weekday_names[random_.below(5)]);
        else if (name == "date") append_spoken_date(out_, day + random_.between(5, 16));
        else if (name == "amended") append_spoken_date(out_, amended_day);
        else if (name == "review") append_spoken_date(out_, review_day);
        else if (name == "reassess") append_spoken_date(out_, reassess_day);
        else if (name == "time") {
            append_digits(out_, random_.between(9, 15), 2);
            out_ += random_.chance(0.5) ? ":15" : ":45";
        } else if (name == "org") put(receiver ? receiver->organisation : "the new service");
        else if (name == "reason") expand(receiver ? receiver->referral_reason : "");
        else if (name == "colleague") put(staff()[static_cast<std::size_t>(colleague)].name);
        else if (name == "colleague1") put(staff()[static_cast<std::size_t>(colleague)].first_name);
        else put(name);  // a pattern error shows up in the text rather than crashing
    }

    const Client& client_;
    Random& random_;
    std::string& out_;
    bool first_ = true;
};

// Builds and writes cases, reusing its buffers from one case to the next.
class CaseGenerator {
public:
    CaseGenerator(const GenerateOptions& options, std::int64_t as_of)
        : options_(options), as_of_(as_of), as_of_day_(day_of(as_of)) {}

    // Builds case `number` (0-based), decides its defects and who they flag.
    void build(std::uint64_t number) {
        case_seed_ = mix64(mix64(options_.seed) + (number + 1) * golden_gamma);
        Random random(case_seed_);
        entries_.clear();
        make_client(number, random);
        make_timeline(random);
        std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
            return a.time != b.time ? a.time < b.time : a.order < b.order;
        });
        finish_skeleton();
        Random defects(mix64(case_seed_ ^ 0xD1FEC7ull));
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            if (defects.chance(options_.defect_rate)) choose_defect(i, defects);
        }
        apply_cross_record_effects();
    }

    // Appends the case as one NDJSON line (without the newline).
    void write_case(std::string& out) {
        Json json(out);
        json.open_object();
        std::string& text = json.text();
        json.key("case");
        json.raw_value() += "\"case-";
        append_number(text, client_.number, 6);
        text += '"';
        json.field("team", team_names[static_cast<std::size_t>(client_.team)]);
        json.key("records");
        json.open_array();
        for (std::size_t i = 0; i < entries_.size(); ++i) write_entry(json, i);
        json.close_array();
        json.key("dismissed");
        json.open_array();
        json.close_array();
        json.close_object();
    }

    // Appends one line naming the case's non-compliant records and their criteria.
    void write_labels(std::string& out) const {
        Json json(out);
        json.open_object();
        json.key("case");
        json.raw_value() += "\"case-";
        append_number(out, client_.number, 6);
        out += '"';
        json.key("noncompliant");
        json.open_object();
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            const Entry& entry = entries_[i];
            if (entry.flagged == 0) continue;
            std::string id;
            append_id(id, entry);
            json.key(id);
            json.open_array();
            for (int c = 0; c < criterion_count; ++c) {
                if (entry.flagged & bit(c)) json.string(criterion_ids[static_cast<std::size_t>(c)]);
            }
            json.close_array();
        }
        json.close_object();
        json.close_object();
    }

    const std::vector<Entry>& entries() const { return entries_; }

private:
    // ---- the client and the skeleton of the case ----

    void make_client(std::uint64_t number, Random& random) {
        Client& c = client_;
        c = Client{};
        c.number = number + 1;
        c.female = random.chance(0.6);
        c.name = c.female ? random.pick(female_names) : random.pick(male_names);
        c.relative = &relatives[random.below(relatives.size())];
        c.street = random.pick(streets);
        c.gp = random.pick(gp_practices);
        c.gp_doctor = random.pick(gp_doctors);
        c.housing = random.pick(housing_providers);
        c.social_care = random.pick(social_care_departments);
        c.club = random.pick(clubs);
        c.equipment = random.pick(equipment_items);
        c.repair = random.pick(repairs);
        c.condition = random.pick(conditions);
        c.pharmacy = random.pick(pharmacies);
        c.chapel = random.pick(chapels);
        c.team = static_cast<int>(random.below(team_count));
        c.lead_worker = staff_index(c.team, static_cast<int>(random.below(lead_worker_slots)));
        // A handover goes to another lead worker of the same team: shift the slot by 1 to 4 of the 5.
        const int lead_slot = c.lead_worker % staff_per_team;
        c.next_worker = staff_index(c.team, (lead_slot + 1 + static_cast<int>(random.below(lead_worker_slots - 1))) % lead_worker_slots);
        // Three to five distinct needs.
        std::array<int, need_count> order{};
        for (int i = 0; i < need_count; ++i) order[static_cast<std::size_t>(i)] = i;
        for (int i = need_count - 1; i > 0; --i) std::swap(order[static_cast<std::size_t>(i)], order[random.below(static_cast<std::uint64_t>(i) + 1)]);
        c.needs_count = random.between(3, max_needs);
        for (int i = 0; i < c.needs_count; ++i) c.needs[static_cast<std::size_t>(i)] = order[static_cast<std::size_t>(i)];
    }

    // A working-hours time on `day`, in five-minute steps between 08:30 and 16:30.
    static std::int64_t working_time(std::int64_t day, Random& random) {
        return day * seconds_per_day + 8 * seconds_per_hour + 30 * 60 + random.between(0, 96) * 300;
    }

    Entry& add(Kind kind, std::uint8_t subtype, std::int64_t time, int author) {
        Entry entry;
        entry.kind = kind;
        entry.subtype = subtype;
        entry.time = time;
        entry.author = author;
        entry.order = static_cast<int>(entries_.size());
        entries_.push_back(entry);
        return entries_.back();
    }

    Entry& add_note(NoteType type, std::int64_t time, int author, Random& random) {
        Entry& note = add(Kind::note, static_cast<std::uint8_t>(type), time, author);
        // Calls and addenda happen at one instant; visits last a while.
        const bool call = type == NoteType::addendum || (type == NoteType::contact && random.chance(0.3));
        note.minutes = call ? 0 : random.between(4, 18) * 5;
        note.late_with_reason = random.chance(0.03);
        return note;
    }

    // The case's events, day by day: intake, consents, assessments, plans, contacts,
    // reviews, perhaps a referral and a handover, and how it ended.
    void make_timeline(Random& random) {
        Client& c = client_;
        const std::int64_t latest_day = as_of_day_ - 2;  // events end two days before as-of, so every entry time is in the past
        c.start_day = as_of_day_ - random.between(45, 364);
        const std::int64_t span = latest_day - c.start_day;
        const double ending_draw = random.unit();
        c.ending = span < 60 ? Ending::ongoing
                 : ending_draw < 0.55 ? Ending::ongoing
                 : ending_draw < 0.75 ? Ending::closure
                 : ending_draw < 0.87 ? Ending::transfer
                                      : Ending::discharge;
        c.last_day = c.ending == Ending::ongoing ? latest_day : c.start_day + random.between(static_cast<int>(span / 2), static_cast<int>(span));
        if (random.chance(0.2) && c.last_day - c.start_day > 90) {
            c.handover_time = working_time(c.start_day + random.between(45, static_cast<int>(c.last_day - c.start_day) - 20), random);
        }

        // Intake: the first contact, with the consents taken at it.
        const std::int64_t intake = working_time(c.start_day, random);
        Entry& first = add_note(NoteType::contact, intake, c.lead_worker, random);
        first.first_contact = true;
        first.late_with_reason = false;
        add(Kind::consent, static_cast<std::uint8_t>(ConsentPurpose::engage), intake, c.lead_worker);
        add(Kind::consent, static_cast<std::uint8_t>(ConsentPurpose::share), intake + 20 * 60, c.lead_worker);
        if (c.last_day - c.start_day >= 90 && random.chance(0.7)) {
            c.has_limited_consent = true;
            c.limited = static_cast<int>(random.below(limited_recipients.size()));
            c.limited_withdrawn = random.chance(0.6);
            c.limited_end_day = c.start_day + random.between(40, static_cast<int>(c.last_day - c.start_day) - 30);
            add(Kind::consent, static_cast<std::uint8_t>(ConsentPurpose::limited), intake + 30 * 60, c.lead_worker);
        }

        // Assessments: the first within ten days, then reassessment every four to six months.
        std::int64_t assessment_day = c.start_day + random.between(2, 10);
        std::vector<std::int64_t>& assessment_days = scratch_days_;
        assessment_days.clear();
        while (assessment_day <= c.last_day - 3) {
            assessment_days.push_back(assessment_day);
            assessment_day += random.between(120, 180);
        }
        for (std::size_t i = 0; i < assessment_days.size(); ++i) {
            const std::int64_t time = working_time(assessment_days[i], random);
            const int author = random.chance(0.25) ? staff_index(c.team, random.chance(0.5) ? therapist_slot : nurse_slot) : c.worker_at(time);
            Entry& assessment = add(Kind::assessment, 0, time, author);
            assessment.last_assessment = i + 1 == assessment_days.size();
        }

        // Plans: one after the first assessment, and perhaps a new one after each reassessment.
        std::int64_t plan_day = assessment_days.front() + random.between(3, 12);
        if (plan_day > c.last_day - 1) plan_day = c.last_day - 1;
        std::vector<std::int64_t>& plan_days = scratch_plan_days_;
        plan_days.clear();
        plan_days.push_back(plan_day);
        for (std::size_t i = 1; i < assessment_days.size(); ++i) {
            const std::int64_t day = assessment_days[i] + random.between(3, 10);
            if (day < c.last_day && random.chance(0.6)) plan_days.push_back(day);
        }
        for (std::size_t i = 0; i < plan_days.size(); ++i) {
            const std::int64_t time = working_time(plan_days[i], random);
            Entry& plan = add(Kind::care_plan, 0, time, c.worker_at(time));
            const bool superseded = i + 1 < plan_days.size();
            plan.active = !superseded && c.ending == Ending::ongoing;
            plan.plan_end_day = superseded ? plan_days[i + 1] : c.last_day;
        }

        // Contacts every ten days to four weeks, reviews every two to three months after the first plan.
        for (std::int64_t day = c.start_day + random.between(10, 21); day <= c.last_day; day += random.between(10, 28)) {
            const std::int64_t time = working_time(day, random);
            const bool by_lead = random.chance(0.8);
            const int author = by_lead ? c.worker_at(time) : staff_index(c.team, random.chance(0.6) ? support_worker_slot : nurse_slot);
            add_note(NoteType::contact, time, author, random);
        }
        for (std::int64_t day = plan_days.front() + random.between(42, 84); day <= c.last_day; day += random.between(56, 91)) {
            const std::int64_t time = working_time(day, random);
            add_note(NoteType::review, time, c.worker_at(time), random);
        }

        if (random.chance(0.35) && c.last_day - plan_days.front() > 20) {
            c.referral_receiver = static_cast<int>(random.below(referral_receivers.size()));
            const std::int64_t day = plan_days.front() + random.between(7, static_cast<int>(c.last_day - plan_days.front()) - 1);
            const std::int64_t time = working_time(day, random);
            add(Kind::consent, static_cast<std::uint8_t>(ConsentPurpose::receiver), time - 30 * 60, c.worker_at(time)).receiver = c.referral_receiver;
            add(Kind::transition, static_cast<std::uint8_t>(TransitionType::referral), time, c.worker_at(time)).receiver = c.referral_receiver;
            add_note(NoteType::referral, time + 15 * 60, c.worker_at(time), random).receiver = c.referral_receiver;
        }
        if (c.handover_time != std::numeric_limits<std::int64_t>::max()) {
            add(Kind::transition, static_cast<std::uint8_t>(TransitionType::handover), c.handover_time, c.lead_worker);
            add_note(NoteType::handover, c.handover_time + 20 * 60, c.lead_worker, random);
        }

        // The ending: a closure, a transfer to another service, or a discharge to the GP; each with a closure note.
        if (c.ending != Ending::ongoing) {
            const std::int64_t time = working_time(c.last_day, random) + 3 * seconds_per_hour;
            const int author = c.worker_at(time);
            if (c.ending == Ending::transfer) {
                c.transfer_receiver = static_cast<int>(random.below(transfer_receivers.size()));
                const int receiver = static_cast<int>(referral_receivers.size()) + c.transfer_receiver;
                add(Kind::consent, static_cast<std::uint8_t>(ConsentPurpose::receiver), time - 2 * seconds_per_day, author).receiver = receiver;
                add(Kind::transition, static_cast<std::uint8_t>(TransitionType::transfer), time, author).receiver = receiver;
            } else {
                add(Kind::transition, static_cast<std::uint8_t>(c.ending == Ending::closure ? TransitionType::closure : TransitionType::discharge), time, author);
            }
            add_note(NoteType::closure, time + 30 * 60, author, random);
        }

        // Addenda correct a few earlier notes, a day or two later.
        const std::size_t note_entries = entries_.size();
        for (std::size_t i = 0; i < note_entries; ++i) {
            if (entries_[i].kind != Kind::note || !random.chance(0.05)) continue;
            const std::int64_t time = entries_[i].time + random.between(1, 2) * seconds_per_day + random.between(0, 12) * 600;
            if (day_of(time) > latest_day) continue;
            const int amended_order = entries_[i].order;
            const int author = entries_[i].author;
            add_note(NoteType::addendum, time, author, random).amends = amended_order;
        }

        // Disclosures the clean notes make, all covered by the case's consents.
        for (auto& entry : entries_) {
            if (entry.kind != Kind::note || entry.note_type() != NoteType::contact || entry.first_contact) continue;
            const double draw = random.unit();
            const std::int64_t day = day_of(entry.time);
            if (c.has_limited_consent && day <= c.limited_end_day && draw < 0.25) entry.disclosure = NoteDisclosure::limited;
            else if (draw < 0.4) entry.disclosure = NoteDisclosure::gp;
            else if (draw < 0.5) entry.disclosure = NoteDisclosure::housing;
            else if (draw < 0.52) entry.disclosure = NoteDisclosure::exception;
        }
    }

    // After sorting: numbers, the addenda's targets, and each plan's latest review.
    void finish_skeleton() {
        std::array<int, 5> counts{};
        index_of_order_.assign(entries_.size(), 0);
        for (std::size_t i = 0; i < entries_.size(); ++i) {
            Entry& entry = entries_[i];
            entry.number = ++counts[static_cast<std::size_t>(entry.kind)];
            index_of_order_[static_cast<std::size_t>(entry.order)] = static_cast<int>(i);
        }
        for (auto& entry : entries_) {
            if (entry.amends >= 0) entry.amends = index_of_order_[static_cast<std::size_t>(entry.amends)];
        }
        for (auto& plan : entries_) {
            if (plan.kind != Kind::care_plan) continue;
            for (const auto& note : entries_) {
                if (note.kind == Kind::note && note.note_type() == NoteType::review && note.time >= plan.time) {
                    plan.last_review_day = std::max(plan.last_review_day, day_of(note.time));
                }
            }
        }
    }

    // ---- defects ----

    // Chooses a criterion uniformly among those the record can carry, then a variant of it.
    void choose_defect(std::size_t index, Random& random) {
        Entry& entry = entries_[index];
        std::array<int, criterion_count> candidates{};
        int count = 0;
        const auto can = [&](int criterion) { candidates[static_cast<std::size_t>(count++)] = criterion; };
        const std::int64_t day = day_of(entry.time);
        const bool after_limited = client_.has_limited_consent && day > client_.limited_end_day;
        switch (entry.kind) {
            case Kind::note: {
                for (int criterion : {RK01, RK02, RK03, RK04, RK05, RK06, RK07, CO03}) can(criterion);
                if (after_limited) can(CO07);
                if (entry.note_type() == NoteType::contact) can(CO02);
                if (entry.first_contact) can(CO05);
                if (entry.note_type() == NoteType::closure) can(TR04);
                break;
            }
            case Kind::assessment:
                for (int criterion : {RK01, RK03, RK06, AS01, AS02, AS03, AS04, AS05}) can(criterion);
                break;
            case Kind::care_plan: {
                for (int criterion : {RK03, RK06, CO03, AS05, PL01, PL02, PL03, PL04, PL05, PL06, PL07}) can(criterion);
                if (after_limited) can(CO07);
                if (entry.active && overdue_review_window(entry).first <= overdue_review_window(entry).second) can(MO01);
                if (!entry.active || entry.last_review_day >= 0) can(MO02);
                break;
            }
            case Kind::transition: {
                for (int criterion : {RK03, RK06}) can(criterion);
                const TransitionType type = entry.transition_type();
                if (type != TransitionType::handover) can(CO03);
                if (after_limited && type != TransitionType::handover) can(CO07);
                if (type == TransitionType::referral || type == TransitionType::transfer || type == TransitionType::discharge) can(TR01);
                if (type == TransitionType::transfer || type == TransitionType::discharge) {
                    can(TR02);
                    can(TR03);
                }
                if (type == TransitionType::closure) can(TR04);
                if (type == TransitionType::handover) can(TR05);
                if (type == TransitionType::referral) can(TR06);
                break;
            }
            case Kind::consent: {
                for (int criterion : {RK03, RK06, CO06}) can(criterion);
                if (entry.consent_purpose() == ConsentPurpose::engage) can(CO01);
                else can(CO04);
                break;
            }
        }
        entry.defect = candidates[random.below(static_cast<std::uint64_t>(count))];
        entry.variant = static_cast<int>(random.below(static_cast<std::uint64_t>(variant_count(entry))));
        if (entry.defect == CO01) entry.variant = choose_engage_variant(entry, random);
        if (entry.defect == MO01) {
            const auto window = overdue_review_window(entry);
            entry.defect_day = window.first + random.between(0, static_cast<int>(window.second - window.first));
        }
        if (entry.defect == AS04 && entry.variant == 1) {
            const std::int64_t earliest = day_of(entry.time) + 28;
            if (!entry.last_assessment || earliest > as_of_day_ - 1) entry.variant = 0;
            else entry.defect_day = earliest + random.between(0, static_cast<int>(as_of_day_ - 1 - earliest));
        }
        if (entry.defect != CO01) entry.flagged |= bit(entry.defect);
    }

    // How many variants a defect has on this record (docs/generator.md lists them).
    int variant_count(const Entry& entry) const {
        switch (entry.defect) {
            case RK01: return entry.kind == Kind::note ? 3 : 2;
            case RK02: return static_cast<int>(unreasoned_decisions.size());
            case RK03: return entry.kind == Kind::note ? 3 : 2;
            case RK04: return static_cast<int>(abbreviation_sentences.size());
            case RK05: return static_cast<int>(judgemental_sentences.size());
            case RK06: return entry.kind == Kind::care_plan ? 2 : 1;
            case RK07: return 2;
            case CO02: return 2;
            case CO03: return entry.kind == Kind::note ? 3 : entry.kind == Kind::transition ? 2 : 1;
            case CO04: return entry.consent_purpose() == ConsentPurpose::limited ? 2 : 3;
            case CO05: return 3;
            case AS01: return 2;
            case AS04: return 2;
            case AS05: return 3;
            case PL01: return 3;
            case PL02: return 2;
            case PL03: return 2;
            case PL06: return 2;
            case TR01: return 3;
            case TR02: return 2;
            case TR04: return 2;
            case TR05: return 2;
            case TR06: return 2;
            default: return 1;
        }
    }

    // CO-01 on the consent to engage: 0 no capacity recorded (the consent is flagged), 1 withdrawn
    // after some contacts (the later contacts are flagged), 2 dated after the first contacts (those are).
    int choose_engage_variant(Entry& consent, Random& random) {
        contact_days_.clear();
        for (const auto& entry : entries_) {
            if (entry.kind == Kind::note && entry.note_type() == NoteType::contact) contact_days_.push_back(day_of(entry.time));
        }
        const int variants = contact_days_.size() >= 2 ? 3 : 1;
        const int variant = static_cast<int>(random.below(static_cast<std::uint64_t>(variants)));
        if (variant == 1) {
            consent.defect_day = contact_days_[random.below(contact_days_.size() - 1)];  // withdrawn at the end of this day
        } else if (variant == 2) {
            const std::size_t last_covered = std::min<std::size_t>(2, contact_days_.size() - 1);
            consent.defect_day = contact_days_[random.below(last_covered + 1)] + 1;  // dated the day after this contact
        }
        return variant;
    }

    // The days an overdue review date may take on an active plan: after its latest review by more
    // than a week (so the review does not count) and before as-of (so it is overdue).
    std::pair<std::int64_t, std::int64_t> overdue_review_window(const Entry& plan) const {
        const std::int64_t earliest = plan.last_review_day >= 0 ? plan.last_review_day + 8 : day_of(plan.time) + 1;
        return {earliest, as_of_day_ - 1};
    }

    // A consent to engage withdrawn or dated late leaves contacts without consent (CO-01).
    void apply_cross_record_effects() {
        for (auto& consent : entries_) {
            if (consent.kind != Kind::consent || consent.defect != CO01) continue;
            for (auto& note : entries_) {
                if (note.kind != Kind::note || note.note_type() != NoteType::contact) continue;
                const std::int64_t day = day_of(note.time);
                const bool uncovered = consent.variant == 0 ? false : consent.variant == 1 ? day > consent.defect_day : day < consent.defect_day;
                if (uncovered) note.flagged |= bit(CO01);
            }
            if (consent.variant == 0) consent.flagged |= bit(CO01);
        }
    }

    // ---- writing records ----

    void append_id(std::string& out, const Entry& entry) const {
        static constexpr std::array<const char*, 5> prefixes = {"note-", "plan-", "transition-", "consent-", "assessment-"};
        out += prefixes[static_cast<std::size_t>(entry.kind)];
        append_number(out, client_.number, 6);
        out += '-';
        append_number(out, static_cast<std::uint64_t>(entry.number), 2);
    }

    void write_common(Json& json, const Entry& entry, bool drop_client) {
        json.key("id");
        std::string& out = json.raw_value();
        out += '"';
        append_id(out, entry);
        out += '"';
        json.field("kind", kind_names[static_cast<std::size_t>(entry.kind)]);
        if (!drop_client) {
            json.key("client");
            json.raw_value() += "\"client-";
            append_number(out, client_.number, 6);
            out += '"';
        }
    }

    // The author object; RK-03's defects leave it out or drop its role.
    void write_author(Json& json, const char* key, int staff_member, bool drop, bool drop_role) {
        if (drop) return;
        const StaffMember& member = staff()[static_cast<std::size_t>(staff_member)];
        json.key(key);
        json.open_object();
        json.field("id", member.id);
        json.field("name", member.name);
        if (!drop_role) json.field("role", member.role);
        json.close_object();
    }

    void write_entry(Json& json, std::size_t index) {
        const Entry& entry = entries_[index];
        Random random(mix64(case_seed_ + static_cast<std::uint64_t>(entry.order + 1) * 0xA24BAED4963EE407ull));
        switch (entry.kind) {
            case Kind::note: write_note(json, index, random); break;
            case Kind::care_plan: write_plan(json, entry, random); break;
            case Kind::transition: write_transition(json, entry, random); break;
            case Kind::consent: write_consent(json, entry, random); break;
            case Kind::assessment: write_assessment(json, entry, random); break;
        }
    }

    bool has(const Entry& entry, int criterion, int variant = -1) const {
        return entry.defect == criterion && (variant < 0 || entry.variant == variant);
    }

    // A structured disclosure (a note's, or a transition's information sent).
    void write_disclosure(Json& json, const char* recipient, const char* role, const char* purpose, std::int64_t day,
                          const char* item, const char* exception = nullptr, const char* rationale = nullptr) {
        json.open_object();
        json.field("recipient", recipient);
        json.field("role", role);
        json.field("purpose", purpose);
        json.date_field("date", day);
        json.key("items");
        json.open_array();
        json.string(item);
        json.close_array();
        if (exception) json.field("exception", exception);
        if (rationale) json.field("exception_rationale", rationale);
        json.close_object();
    }

    // The defect disclosures of CO-03 and CO-07, wherever a record lists its disclosures.
    void write_defect_disclosures(Json& json, const Entry& entry, std::int64_t day) {
        if (has(entry, CO03, 0)) write_disclosure(json, "Pellham Insurance claims team", "insurer", "insurance claim", day, "assessment");
        if (has(entry, CO03, 1)) {
            write_disclosure(json, "Eastmoor Police public protection unit", "police", "safeguarding", day, "contact note", "safeguarding");
        }
        if (has(entry, CO07)) {
            const LimitedRecipient& limited = limited_recipients[static_cast<std::size_t>(client_.limited)];
            write_disclosure(json, limited.party, limited.role, limited.purpose, day, limited.item);
        }
    }

    // An entry time at least `shortest` and under `longest` after the event, and at least an hour
    // before as-of: no entry is written in the future. Events end over 25.5 hours before as-of,
    // so RK-01's 25 hours always fit.
    std::int64_t recorded_late(std::int64_t event, std::int64_t shortest, std::int64_t longest, Random& random) const {
        const std::int64_t latest = std::min(event + longest, as_of_ - seconds_per_hour);
        return event + shortest + static_cast<std::int64_t>(random.below(static_cast<std::uint64_t>(latest - event - shortest)));
    }

    void write_note(Json& json, std::size_t index, Random& random) {
        const Entry& note = entries_[index];
        const NoteType type = note.note_type();
        const std::int64_t start = note.time;
        const std::int64_t end = start + note.minutes * 60;
        const std::int64_t event = note.minutes > 0 ? end : start;
        // On time: written 10 minutes to 18 hours after the event. A clean late entry says why.
        std::int64_t recorded = event + random.between(2, 108) * 600;
        bool late_marked = false;
        if (note.late_with_reason && event + 26 * seconds_per_hour < as_of_ - seconds_per_hour) {
            recorded = recorded_late(event, 26 * seconds_per_hour, 60 * seconds_per_hour, random);
            late_marked = true;
        }
        if (has(note, RK01, 0) || has(note, RK01, 1)) {
            recorded = recorded_late(event, 25 * seconds_per_hour, 240 * seconds_per_hour, random);
            late_marked = has(note, RK01, 1);
        }
        if (has(note, RK01, 2)) recorded = event - random.between(1, 48) * seconds_per_hour;

        json.open_object();
        write_common(json, note, has(note, RK06));
        write_author(json, "author", note.author, has(note, RK03, 0), has(note, RK03, 1));
        if (note.minutes > 0) {
            json.key("occurred");
            json.open_object();
            json.time_field("start", start);
            json.time_field("end", end);
            json.close_object();
        } else {
            json.time_field("occurred", start);
        }
        json.time_field("recorded", recorded);
        json.field("type", note_type_names[static_cast<std::size_t>(type)]);

        json.key("text");
        json.begin_string();
        write_note_text(json.text(), index, random);
        json.end_string();

        if (has(note, RK03, 2)) {
            json.boolean_field("signed", false);
        } else {
            json.boolean_field("signed", true);
            json.time_field("signed_at", recorded + random.between(0, 6) * 300);
        }
        if (late_marked) {
            json.key("late_entry");
            json.open_object();
            json.boolean_field("flag", true);
            if (!has(note, RK01)) {
                static constexpr std::array<const char*, 3> reasons = {"Visit ran late and the office had closed for the evening",
                                                                       "Recording system was unavailable that afternoon",
                                                                       "On annual leave the following day"};
                json.field("reason", random.pick(reasons));
            }
            json.close_object();
        }
        if (type == NoteType::addendum && !has(note, RK07)) {
            json.key("amends");
            json.open_object();
            append_amends_id(json, note.amends);
            json.field("reason", addendum_reasons[static_cast<std::size_t>(note.order % 3)]);
            json.close_object();
        }
        if (has(note, RK07)) {
            // A correction without its reason, or one that does not say what it corrects.
            json.key("amends");
            json.open_object();
            const int target = type == NoteType::addendum ? note.amends : previous_note(index);
            const bool names_original = note.variant == 0 && target >= 0;
            if (names_original) append_amends_id(json, target);
            else json.field("reason", "Wrong date written for the next visit");
            json.close_object();
        }
        if (type == NoteType::contact) {
            if (has(note, CO02, 0)) json.boolean_field("consent_reconfirmed", false);
            else if (!has(note, CO02, 1)) json.boolean_field("consent_reconfirmed", true);
        }
        if (note.first_contact) {
            json.key("information_given");
            json.open_array();
            if (!has(note, CO05) || note.variant == 1) json.string("privacy");
            if (!has(note, CO05) || note.variant == 2) json.string("complaints");
            json.string("role");
            json.close_array();
        }
        const bool clean_disclosure = note.disclosure != NoteDisclosure::none;
        const bool defect_disclosure = has(note, CO03, 0) || has(note, CO03, 1) || has(note, CO07);
        if (clean_disclosure || defect_disclosure) {
            json.key("disclosures");
            json.open_array();
            const std::int64_t day = day_of(start);
            switch (note.disclosure) {
                case NoteDisclosure::gp: write_disclosure(json, client_.gp, "gp", "care coordination", day, "medication list"); break;
                case NoteDisclosure::housing: write_disclosure(json, client_.housing, "housing", "care coordination", day, "repair request"); break;
                case NoteDisclosure::limited: {
                    const LimitedRecipient& limited = limited_recipients[static_cast<std::size_t>(client_.limited)];
                    write_disclosure(json, limited.party, limited.role, limited.purpose, day, limited.item);
                    break;
                }
                case NoteDisclosure::exception:
                    write_disclosure(json, "Eastmoor Police public protection unit", "police", "safeguarding", day, "contact note",
                                     "safeguarding", "Callers pressing for money at the door; sharing was needed to protect the client from financial harm");
                    break;
                case NoteDisclosure::none: break;
            }
            write_defect_disclosures(json, note, day);
            json.close_array();
        }
        json.close_object();
    }

    void append_amends_id(Json& json, int target) {
        json.key("id");
        std::string& out = json.raw_value();
        out += '"';
        append_id(out, entries_[static_cast<std::size_t>(target)]);
        out += '"';
    }

    int previous_note(std::size_t index) const {
        for (std::size_t i = index; i-- > 0;) {
            if (entries_[i].kind == Kind::note) return static_cast<int>(i);
        }
        return -1;
    }

    void write_note_text(std::string& out, std::size_t index, Random& random) {
        const Entry& note = entries_[index];
        TextWriter text(client_, random, out);
        text.day = day_of(note.time);
        switch (note.note_type()) {
            case NoteType::contact:
                if (note.first_contact) write_intake_text(text, note, random);
                else write_contact_text(text, note, random);
                break;
            case NoteType::review: {
                text.sentence(random.pick(review_openings));
                const int reported = std::min(client_.needs_count, random.between(2, 3));
                for (int i = 0; i < reported; ++i) text.sentence(needs[static_cast<std::size_t>(client_.needs[static_cast<std::size_t>(i)])].progress);
                // The goals are always gone through and the plan's future stated; the rest varies.
                for (std::size_t i = 0; i < review_middles.size(); ++i) {
                    if (i == 0 || i + 1 == review_middles.size() || random.chance(0.6)) text.sentence(review_middles[i]);
                }
                text.review_day = text.day + random.between(56, 84);
                text.sentence(review_closing);
                break;
            }
            case NoteType::referral: {
                text.receiver = &referral_receivers[static_cast<std::size_t>(note.receiver)];
                text.sentence(random.pick(referral_openings));
                text.sentence(needs[static_cast<std::size_t>(client_.needs[0])].progress);
                text.sentence(referral_decision);
                for (const char* middle : referral_middles) text.sentence(middle);
                break;
            }
            case NoteType::handover: {
                text.colleague = client_.next_worker;
                text.sentence(handover_opening);
                text.sentence(handover_reason);
                for (const char* middle : handover_middles) text.sentence(middle);
                break;
            }
            case NoteType::closure: write_closure_text(text, note, random); break;
            case NoteType::addendum: {
                text.amended_day = day_of(entries_[static_cast<std::size_t>(note.amends)].time);
                text.sentence(addendum_texts[static_cast<std::size_t>(note.order % 3)]);
                break;
            }
        }
        write_defect_sentences(text, note);
    }

    void write_intake_text(TextWriter& text, const Entry& note, Random& random) {
        text.sentence(random.pick(intake_openings));
        text.sentence(intake_role);
        if (!has(note, CO05)) text.sentence(intake_rights);
        for (const char* topic : intake_topics) {
            if (random.chance(0.75)) text.sentence(topic);
        }
        if (!has(note, CO02, 1)) text.sentence(intake_consent);
        text.sentence(intake_closing);
    }

    void write_contact_text(TextWriter& text, const Entry& note, Random& random) {
        text.sentence(note.minutes > 0 ? random.pick(visit_openings) : random.pick(call_openings));
        if (!has(note, CO02, 1) && random.chance(0.5)) text.sentence(random.pick(consent_sentences));
        // Four to eight distinct topics.
        const int topics = random.between(4, 8);
        const std::size_t first = random.below(contact_topics.size());
        const std::size_t step = 1 + random.below(contact_topics.size() - 1);
        for (int i = 0; i < topics; ++i) {
            std::size_t at = (first + static_cast<std::size_t>(i) * step) % contact_topics.size();
            text.sentence(contact_topics[at]);
            if (i == 1 && random.chance(0.3)) text.sentence(random.pick(reasoned_decisions));
        }
        if (note.disclosure == NoteDisclosure::gp) text.sentence(gp_disclosure_sentence);
        if (note.disclosure == NoteDisclosure::housing) text.sentence(housing_disclosure_sentence);
        text.sentence(random.pick(contact_closings));
    }

    void write_closure_text(TextWriter& text, const Entry& note, Random& random) {
        const Receiver* receiver = client_.transfer_receiver >= 0 ? &transfer_receivers[static_cast<std::size_t>(client_.transfer_receiver)] : nullptr;
        text.receiver = receiver;
        text.sentence(closure_opening);
        const int reported = std::min(client_.needs_count, 2);
        for (int i = 0; i < reported; ++i) text.sentence(needs[static_cast<std::size_t>(client_.needs[static_cast<std::size_t>(i)])].progress);
        if (has(note, TR04, 0)) text.sentence(closure_without_reason);
        else text.sentence(receiver ? closure_reasons[2] : closure_reasons[random.below(2)]);
        if (!has(note, TR04, 1)) text.sentence(closure_continuity);
        text.sentence(closure_closing);
    }

    // The sentence a text defect adds, last, so that nothing after it can lend it a reason.
    void write_defect_sentences(TextWriter& text, const Entry& note) const {
        if (has(note, RK02)) text.sentence(unreasoned_decisions[static_cast<std::size_t>(note.variant)]);
        if (has(note, RK04)) text.sentence(abbreviation_sentences[static_cast<std::size_t>(note.variant)]);
        if (has(note, RK05)) text.sentence(judgemental_sentences[static_cast<std::size_t>(note.variant)]);
        if (has(note, CO03, 2)) text.sentence(solicitor_disclosure_sentence);
    }

    void write_plan(Json& json, const Entry& plan, Random& random) {
        const std::int64_t created_day = day_of(plan.time);
        const int goals = std::min(client_.needs_count, random.between(2, 4));
        const int self_managed_goal = static_cast<int>(random.below(static_cast<std::uint64_t>(goals)));
        // Reviews: an active plan's next review is still to come; a completed plan's reviews are past.
        const std::int64_t review_day = plan.active ? as_of_day_ + random.between(7, 56)
                                                    : std::min(created_day + random.between(56, 84), plan.plan_end_day);
        const std::int64_t plan_review_day = has(plan, MO01) ? plan.defect_day : review_day;
        const int undone_goal = static_cast<int>(random.below(static_cast<std::uint64_t>(goals)));  // the goal a goal-level defect touches

        json.open_object();
        write_common(json, plan, has(plan, RK06, 0));
        json.field("status", plan.active ? "active" : "completed");
        json.time_field("created", plan.time);
        write_author(json, "author", plan.author, has(plan, RK03, 0), has(plan, RK03, 1));
        json.key("contributors");
        json.open_array();
        json.open_object();
        json.field("name", client_.relative->name);
        json.field("role", client_.relative->relation);
        json.close_object();
        json.open_object();
        const StaffMember& therapist = staff()[static_cast<std::size_t>(staff_index(client_.team, therapist_slot))];
        json.field("id", therapist.id);
        json.field("name", therapist.name);
        json.field("role", therapist.role);
        json.close_object();
        json.close_array();
        if (!has(plan, RK06, 1)) {
            json.key("period");
            json.open_object();
            json.date_field("start", created_day);
            json.date_field("end", plan.active ? created_day + 365 : plan.plan_end_day);
            json.close_object();
        }
        if (!has(plan, PL04)) {
            json.key("review");
            json.open_object();
            json.date_field("date", plan_review_day);
            json.field("frequency", random.chance(0.5) ? "P8W" : "P12W");
            json.close_object();
        }
        json.key("agreed_by_client");
        json.open_object();
        json.boolean_field("flag", !has(plan, PL02, 0));
        if (!has(plan, PL02, 0)) json.date_field("date", created_day);
        json.close_object();
        if (!has(plan, PL05)) {
            json.key("communicated_to");
            json.open_array();
            json.open_object();
            json.field("recipient", client_.gp);
            json.field("role", "gp");
            json.date_field("date", created_day + 1);
            json.close_object();
            if (has(plan, CO03)) {
                json.open_object();
                json.field("recipient", "Gorse and Lyle Solicitors");
                json.field("role", "solicitor");
                json.date_field("date", created_day + 1);
                json.close_object();
            }
            if (has(plan, CO07)) {
                const LimitedRecipient& limited = limited_recipients[static_cast<std::size_t>(client_.limited)];
                json.open_object();
                json.field("recipient", limited.party);
                json.field("role", limited.role);
                json.date_field("date", created_day);
                json.close_object();
            }
            json.close_array();
        }

        json.key("goals");
        json.open_array();
        for (int g = 0; g < goals; ++g) {
            const Need& need = needs[static_cast<std::size_t>(client_.needs[static_cast<std::size_t>(g)])];
            const bool touched = g == undone_goal;
            json.open_object();
            json.key("id");
            json.raw_value() += "\"g";
            append_digits(json.text(), g + 1, 1);
            json.text() += '"';
            expand_field(json, "description", need.goal, created_day, random);
            if (!(touched && has(plan, PL01, 0))) expand_field(json, "measure", need.measure, created_day, random);
            if (!(touched && has(plan, PL01, 1))) json.field("target", need.target);
            if (!(touched && has(plan, PL01, 2))) json.date_field("due", plan.active ? as_of_day_ + random.between(30, 150) : plan.plan_end_day);
            std::int64_t goal_review = plan.active ? review_day : std::min(created_day + random.between(42, 84), plan.plan_end_day);
            if (plan.active && touched && has(plan, MO02)) goal_review = plan.last_review_day;
            json.date_field("review", goal_review);
            json.field("expressed_by", random.chance(0.7) ? "client" : "client and family");
            json.boolean_field("agreed", !(touched && has(plan, PL02, 1)));
            json.field("status", "active");
            if (!(touched && has(plan, MO02))) {
                static constexpr std::array<const char*, 3> progress = {"in-progress", "improving", "achieved"};
                json.field("achievement", random.pick(progress));
            }
            json.key("linked_needs");
            json.open_array();
            json.string(need.key);
            json.close_array();
            json.close_object();
        }
        json.close_array();

        json.key("activities");
        json.open_array();
        int activity = 0;
        for (int g = 0; g < goals; ++g) {
            const Need& need = needs[static_cast<std::size_t>(client_.needs[static_cast<std::size_t>(g)])];
            const bool touched = g == undone_goal;
            write_activity(json, plan, ++activity, g, need.activity, need, touched, random);
            if (g == self_managed_goal && !has(plan, PL07)) {
                write_activity(json, plan, ++activity, g, need.self_managed_activity, need, false, random);
            }
        }
        json.close_array();

        json.key("risks");
        json.open_array();
        json.open_object();
        json.field("type", "falls");
        json.field("description", "Falls at home, two in the last six months");
        json.field("level", "medium");
        json.field("strategy", "Pendant alarm worn day and night; second stair rail; weekly strength and balance class");
        json.close_object();
        if (has(plan, AS05)) write_unmanaged_risk(json, plan.variant);
        json.close_array();
        json.close_object();
    }

    void write_activity(Json& json, const Entry& plan, int number, int goal, const char* description, const Need& need, bool touched,
                        Random& random) {
        json.open_object();
        json.key("id");
        json.raw_value() += "\"a";
        append_digits(json.text(), number, 1);
        json.text() += '"';
        expand_field(json, "description", description, day_of(plan.time), random);
        if (!(touched && has(plan, PL03, 0))) {
            json.key("performer");
            json.open_object();
            if (need.performer_name) {
                expand_field(json, "name", need.performer_name, day_of(plan.time), random);
            } else {
                const int slot = std::string_view(need.performer_role) == "support worker" ? support_worker_slot : client_.lead_worker % staff_per_team;
                const StaffMember& member = staff()[static_cast<std::size_t>(staff_index(client_.team, slot))];
                json.field("id", member.id);
                json.field("name", member.name);
            }
            json.field("role", need.performer_role);
            json.close_object();
        }
        if (!(touched && has(plan, PL03, 1))) json.date_field("scheduled", day_of(plan.time) + random.between(3, 21));
        json.key("goal_ids");
        json.open_array();
        if (!(touched && has(plan, PL06))) {
            json.begin_string();
            json.text() += 'g';
            append_digits(json.text(), goal + 1, 1);
            json.end_string();
        }
        if (touched && has(plan, PL06, 1)) json.string("g9");  // a goal the plan does not have, instead of its own
        json.close_array();
        json.field("resource", need.resource);
        json.field("status", plan.active ? "in-progress" : "completed");
        json.close_object();
    }

    void expand_field(Json& json, const char* key, const char* pattern, std::int64_t day, Random& random) {
        json.key(key);
        json.begin_string();
        TextWriter text(client_, random, json.text());
        text.day = day;
        text.expand(pattern);
        json.end_string();
    }

    static void write_unmanaged_risk(Json& json, int variant) {
        static constexpr std::array<std::array<const char*, 3>, 3> risks = {{
            {"self", "Low mood with passing thoughts that life is not worth living", "medium"},
            {"others", "Shouting at a neighbour during a dispute over parking", "medium"},
            {"from others", "Cold callers pressing for money at the door", "high"},
        }};
        json.open_object();
        json.field("type", risks[static_cast<std::size_t>(variant)][0]);
        json.field("description", risks[static_cast<std::size_t>(variant)][1]);
        json.field("level", risks[static_cast<std::size_t>(variant)][2]);
        json.close_object();
    }

    void write_transition(Json& json, const Entry& transition, Random& random) {
        const TransitionType type = transition.transition_type();
        const std::int64_t day = day_of(transition.time);
        const Receiver* receiver = nullptr;
        if (type == TransitionType::referral) receiver = &referral_receivers[static_cast<std::size_t>(transition.receiver)];
        if (type == TransitionType::transfer) receiver = &transfer_receivers[static_cast<std::size_t>(transition.receiver) - referral_receivers.size()];
        const std::string our_service = std::string(team_names[static_cast<std::size_t>(client_.team)]) + " Community Case Management Team";
        const StaffMember& worker = staff()[static_cast<std::size_t>(transition.author)];

        json.open_object();
        write_common(json, transition, has(transition, RK06));
        json.field("type", transition_type_names[static_cast<std::size_t>(type)]);
        json.time_field("date", transition.time);
        write_author(json, "author", transition.author, has(transition, RK03, 0), has(transition, RK03, 1));
        if (!has(transition, TR05, 0)) {
            json.key("from");
            json.open_object();
            json.field("organisation", our_service);
            json.field("contact", worker.name);
            json.close_object();
        }
        const bool keep_to = !has(transition, TR05, 1) && !has(transition, TR04, 1);
        if (keep_to) {
            json.key("to");
            json.open_object();
            if (!has(transition, TR01, 2)) {
                if (type == TransitionType::handover) json.field("organisation", our_service);
                else json.field("organisation", receiver ? receiver->organisation : client_.gp);
            }
            if (type == TransitionType::handover) json.field("contact", staff()[static_cast<std::size_t>(client_.next_worker)].name);
            else json.field("contact", receiver ? receiver->contact : client_.gp_doctor);
            json.close_object();
        }
        if (!has(transition, TR04, 0) && !has(transition, TR06, 0)) {
            json.key("reason");
            json.begin_string();
            TextWriter text(client_, random, json.text());
            text.day = day;
            text.receiver = receiver;
            switch (type) {
                case TransitionType::referral:
                case TransitionType::transfer: text.expand_capitalised(receiver->referral_reason); break;
                case TransitionType::handover: text.expand("Case manager moving to the {team2} team"); break;
                case TransitionType::discharge: text.expand("Goals of the support plan met; the GP practice continues routine care"); break;
                case TransitionType::closure: text.expand("Goals of the support plan met and {n} is managing well"); break;
            }
            json.end_string();
        }
        if (type != TransitionType::handover && type != TransitionType::closure) {
            json.key("plan");
            json.open_object();
            json.boolean_field("agreed_with_receiver", !has(transition, TR01, 0));
            if (!has(transition, TR01, 0)) json.date_field("agreement_date", day);
            if (!has(transition, TR01, 1)) {
                json.key("steps");
                json.open_array();
                json.string("Send the referral form and the current support plan");
                json.string("Receiving service to contact the client within three weeks");
                json.string("Joint call with the receiving service before the first appointment");
                json.close_array();
            }
            json.close_object();
        }
        const bool involvement_recorded = type == TransitionType::referral || type == TransitionType::transfer || type == TransitionType::discharge;
        if (involvement_recorded) {
            if (has(transition, TR02, 0) || has(transition, TR06, 1)) json.boolean_field("client_involved", false);
            else if (!has(transition, TR02, 1)) json.boolean_field("client_involved", true);
        }
        const bool sends = type != TransitionType::handover && !has(transition, TR03);
        if (sends) {
            json.key("information_sent");
            json.open_array();
            if (receiver) write_disclosure(json, receiver->organisation, receiver->role, "referral", day, "support plan");
            else write_disclosure(json, client_.gp, "gp", "care coordination", day, type == TransitionType::closure ? "closing letter" : "discharge summary");
            write_defect_disclosures(json, transition, day);
            json.close_array();
        }
        json.close_object();
    }

    void write_consent(Json& json, const Entry& consent, Random& random) {
        const ConsentPurpose purpose = consent.consent_purpose();
        const std::int64_t day = day_of(consent.time);
        json.open_object();
        write_common(json, consent, has(consent, RK06));
        json.field("scope", purpose == ConsentPurpose::engage ? "engage" : "share");
        const bool withdrawn_engage = has(consent, CO01, 1);
        if (purpose == ConsentPurpose::limited) json.field("status", client_.limited_withdrawn ? "withdrawn" : "expired");
        else json.field("status", withdrawn_engage ? "withdrawn" : "active");
        if (has(consent, CO01, 2)) json.date_field("date", consent.defect_day);
        else json.time_field("date", consent.time);

        // Periods: open for engagement (until withdrawn); two years for sharing with the usual partners; a year for a receiver.
        std::int64_t period_end = -1;
        if (purpose == ConsentPurpose::share) period_end = day + 730;
        if (purpose == ConsentPurpose::receiver) period_end = day + 365;
        if (purpose == ConsentPurpose::limited) period_end = client_.limited_end_day;
        if (withdrawn_engage) period_end = consent.defect_day;
        if (has(consent, CO04, 2)) period_end = -1;
        if (period_end >= 0 || purpose != ConsentPurpose::engage) {
            json.key("period");
            json.open_object();
            json.date_field("start", has(consent, CO01, 2) ? consent.defect_day : day);
            if (period_end >= 0) json.date_field("end", period_end);
            json.close_object();
        }
        if (purpose != ConsentPurpose::engage) {
            json.key("recipients");
            json.open_array();
            const auto recipient = [&](const char* party, const char* role) {
                json.open_object();
                json.field("party", party);
                json.field("role", role);
                json.close_object();
            };
            std::string purposes_first;
            const char* purpose_second = nullptr;
            const char* data_first = "contact notes";
            const char* data_second = "support plan";
            if (purpose == ConsentPurpose::share) {
                recipient(client_.gp, "gp");
                recipient(client_.housing, "housing");
                recipient(client_.social_care, "social services");
                purposes_first = "care coordination";
                purpose_second = "safety and welfare";
            } else if (purpose == ConsentPurpose::limited) {
                const LimitedRecipient& limited = limited_recipients[static_cast<std::size_t>(client_.limited)];
                recipient(limited.party, limited.role);
                purposes_first = limited.purpose;
                data_first = limited.item;
                data_second = nullptr;
            } else {
                const Receiver& receiver = static_cast<std::size_t>(consent.receiver) < referral_receivers.size()
                                               ? referral_receivers[static_cast<std::size_t>(consent.receiver)]
                                               : transfer_receivers[static_cast<std::size_t>(consent.receiver) - referral_receivers.size()];
                recipient(receiver.organisation, receiver.role);
                purposes_first = "referral";
                purpose_second = "care coordination";
            }
            json.close_array();
            if (!has(consent, CO04, 1)) {
                json.key("purposes");
                json.open_array();
                json.string(purposes_first);
                if (purpose_second) json.string(purpose_second);
                json.close_array();
            }
            if (!has(consent, CO04, 0)) {
                json.key("data_classes");
                json.open_array();
                json.string(data_first);
                if (data_second) json.string(data_second);
                json.close_array();
            }
        }
        // Capacity: assessed, with the client deciding. CO-06 puts it in doubt with nobody named to
        // decide; CO-01 (on the consent to engage) leaves out whether it was assessed at all.
        json.key("capacity");
        json.open_object();
        if (has(consent, CO06)) {
            json.boolean_field("assessed", true);
            json.field("outcome", random.chance(0.5) ? "fluctuating capacity for this decision" : "lacks capacity for this decision");
        } else if (has(consent, CO01, 0)) {
            json.field("decision_maker", "client");
        } else {
            json.boolean_field("assessed", true);
            json.field("outcome", "has capacity");
            json.field("decision_maker", "client");
        }
        json.close_object();
        json.field("verified_with", "client");
        write_author(json, "recorded_by", consent.author, has(consent, RK03, 0), has(consent, RK03, 1));
        json.close_object();
    }

    void write_assessment(Json& json, const Entry& assessment, Random& random) {
        const std::int64_t start = assessment.time;
        const std::int64_t end = start + random.between(9, 18) * 10 * 60;
        std::int64_t recorded = end + random.between(3, 60) * 300;
        if (has(assessment, RK01, 0)) recorded = recorded_late(end, 25 * seconds_per_hour, 240 * seconds_per_hour, random);
        if (has(assessment, RK01, 1)) recorded = end - random.between(1, 48) * seconds_per_hour;
        const std::int64_t day = day_of(start);
        std::int64_t reassess = day + random.between(120, 182);
        if (assessment.last_assessment && reassess < as_of_day_) reassess = as_of_day_ + random.between(7, 60);
        if (has(assessment, AS04, 1)) reassess = assessment.defect_day;
        const bool drop_spiritual = has(assessment, AS01, 0);
        const bool drop_cultural = has(assessment, AS01, 1);

        json.open_object();
        write_common(json, assessment, has(assessment, RK06));
        write_author(json, "author", assessment.author, has(assessment, RK03, 0), has(assessment, RK03, 1));
        json.key("occurred");
        json.open_object();
        json.time_field("start", start);
        json.time_field("end", end);
        json.close_object();
        json.time_field("recorded", recorded);
        json.key("domains");
        json.open_array();
        for (const char* domain : {"physical", "psychological", "social"}) json.string(domain);
        if (!drop_spiritual) json.string("spiritual");
        if (!drop_cultural) json.string("cultural");
        json.close_array();
        if (!has(assessment, AS02)) {
            json.key("client_views");
            json.begin_string();
            TextWriter views(client_, random, json.text());
            views.expand(random.pick(view_sentences));
            json.end_string();
        }
        json.key("sources");
        json.open_array();
        json.string("client");
        if (!has(assessment, AS03)) {
            json.string("GP records");
            json.string(std::string(client_.relative->relation) + " " + client_.relative->name);
        }
        json.close_array();
        json.key("risks");
        json.open_array();
        json.open_object();
        json.field("type", "falls");
        json.field("description", "Two falls at home in the last six months");
        json.field("level", "medium");
        json.field("strategy", "Pendant alarm; second stair rail; strength and balance class");
        json.close_object();
        if (has(assessment, AS05)) write_unmanaged_risk(json, assessment.variant);
        json.close_array();
        if (!has(assessment, AS04, 0)) json.date_field("reassess_by", reassess);

        json.key("text");
        json.begin_string();
        TextWriter text(client_, random, json.text());
        text.day = day;
        text.reassess_day = reassess;
        text.paragraph(random.pick(assessment_openings));
        text.paragraph(random.pick(physical_paragraphs));
        text.paragraph(random.pick(psychological_paragraphs));
        text.paragraph(random.pick(social_paragraphs));
        // A cultural paragraph never names religion, so leaving out the spiritual one leaves no spiritual word.
        if (!drop_spiritual) text.paragraph(random.pick(spiritual_paragraphs));
        if (!drop_cultural) text.paragraph(random.pick(cultural_paragraphs));
        if (!has(assessment, AS02)) text.paragraph(random.pick(view_sentences));
        if (!has(assessment, AS03)) text.paragraph(sources_sentence);
        text.paragraph(assessment_risks);
        if (!has(assessment, AS04, 0)) text.paragraph(assessment_closing);
        json.end_string();
        json.close_object();
    }

    const GenerateOptions& options_;
    std::int64_t as_of_;
    std::int64_t as_of_day_;
    std::uint64_t case_seed_ = 0;
    Client client_;
    std::vector<Entry> entries_;
    std::vector<int> index_of_order_;
    std::vector<std::int64_t> contact_days_;
    std::vector<std::int64_t> scratch_days_;
    std::vector<std::int64_t> scratch_plan_days_;
};

// Reads a whole unsigned decimal number, or nothing.
std::optional<std::uint64_t> parse_unsigned(const std::string& text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::uint64_t value = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (value > (std::numeric_limits<std::uint64_t>::max() - digit) / 10) return std::nullopt;
        value = value * 10 + digit;
    }
    return value;
}

}  // namespace

nlohmann::ordered_json generate_cases(const GenerateOptions& options, std::ostream& cases, std::ostream* labels) {
    std::int64_t as_of = 0;
    if (!parse_date_time(options.as_of, as_of)) {
        throw std::invalid_argument("as_of must be an RFC 3339 date-time with seconds and an offset, e.g. 2026-06-30T12:00:00Z");
    }
    if (!(options.defect_rate >= 0.0 && options.defect_rate <= 1.0)) throw std::invalid_argument("the defect rate must be between 0 and 1");

    CaseGenerator generator(options, as_of);
    std::array<std::uint64_t, 5> records_per_kind{};
    std::array<std::uint64_t, criterion_count> noncompliant{};
    // Cases go out in blocks of about a megabyte: few, large writes whatever the stream.
    constexpr std::size_t block_size = std::size_t{1} << 20;
    std::string block;
    std::string label_block;
    block.reserve(block_size + (std::size_t{1} << 16));
    for (std::uint64_t i = 0; i < options.clients; ++i) {
        generator.build(i);
        generator.write_case(block);
        block += '\n';
        for (const auto& entry : generator.entries()) {
            ++records_per_kind[static_cast<std::size_t>(entry.kind)];
            for (int c = 0; c < criterion_count; ++c) {
                if (entry.flagged & bit(c)) ++noncompliant[static_cast<std::size_t>(c)];
            }
        }
        if (labels) {
            generator.write_labels(label_block);
            label_block += '\n';
        }
        if (block.size() >= block_size) {
            cases.write(block.data(), static_cast<std::streamsize>(block.size()));
            block.clear();
        }
        if (labels && label_block.size() >= block_size) {
            labels->write(label_block.data(), static_cast<std::streamsize>(label_block.size()));
            label_block.clear();
        }
    }
    cases.write(block.data(), static_cast<std::streamsize>(block.size()));
    cases.flush();
    if (labels) {
        labels->write(label_block.data(), static_cast<std::streamsize>(label_block.size()));
        labels->flush();
    }

    nlohmann::ordered_json truth;
    truth["generator"] = 1;
    truth["seed"] = options.seed;
    truth["clients"] = options.clients;
    truth["defect_rate"] = options.defect_rate;
    truth["as_of"] = options.as_of;
    truth["rule_pack"] = "core";
    truth["cases"] = options.clients;
    nlohmann::ordered_json records = nlohmann::ordered_json::object();
    for (std::size_t k = 0; k < kind_names.size(); ++k) records[kind_names[k]] = records_per_kind[k];
    truth["records"] = records;
    nlohmann::ordered_json counts = nlohmann::ordered_json::object();
    for (std::size_t c = 0; c < criterion_ids.size(); ++c) counts[criterion_ids[c]] = noncompliant[c];
    truth["noncompliant"] = counts;
    return truth;
}

int run_generate(const GenerateArguments& arguments, std::ostream& errors) {
    constexpr int exit_ok = 0;
    constexpr int exit_usage = 2;
    GenerateOptions options;
    if (!arguments.clients || !arguments.seed) {
        errors << "casecheck generate: --clients and --seed are required\n";
        return exit_usage;
    }
    const auto clients = parse_unsigned(*arguments.clients);
    const auto seed = parse_unsigned(*arguments.seed);
    if (!clients) {
        errors << "casecheck generate: --clients takes a whole number, not " << *arguments.clients << "\n";
        return exit_usage;
    }
    if (!seed) {
        errors << "casecheck generate: --seed takes a whole number from 0 to 18446744073709551615, not " << *arguments.seed << "\n";
        return exit_usage;
    }
    options.clients = *clients;
    options.seed = *seed;
    if (arguments.defect_rate) {
        const std::string& text = *arguments.defect_rate;
        char* end = nullptr;
        errno = 0;
        const double rate = std::strtod(text.c_str(), &end);
        if (text.empty() || end != text.c_str() + text.size() || errno != 0 || !(rate >= 0.0 && rate <= 1.0)) {
            errors << "casecheck generate: --defect-rate takes a number from 0 to 1, not " << text << "\n";
            return exit_usage;
        }
        options.defect_rate = rate;
    }
    if (arguments.as_of) {
        std::int64_t ignored = 0;
        if (!parse_date_time(*arguments.as_of, ignored)) {
            errors << "casecheck generate: --as-of takes an RFC 3339 date-time with an offset, e.g. " << default_generate_as_of
                   << ", not " << *arguments.as_of << "\n";
            return exit_usage;
        }
        options.as_of = *arguments.as_of;
    }

    std::ofstream out_file;
    std::ofstream labels_file;
    std::ostream* cases = nullptr;
    if (arguments.out && *arguments.out != "-") {
        out_file.open(*arguments.out, std::ios::binary | std::ios::trunc);
        if (!out_file) {
            errors << "casecheck generate: cannot write " << *arguments.out << "\n";
            return exit_usage;
        }
        cases = &out_file;
    }
    if (arguments.labels) {
        labels_file.open(*arguments.labels, std::ios::binary | std::ios::trunc);
        if (!labels_file) {
            errors << "casecheck generate: cannot write " << *arguments.labels << "\n";
            return exit_usage;
        }
    }
    std::ofstream truth_file;
    if (arguments.truth) {
        truth_file.open(*arguments.truth, std::ios::binary | std::ios::trunc);
        if (!truth_file) {
            errors << "casecheck generate: cannot write " << *arguments.truth << "\n";
            return exit_usage;
        }
    }

    std::ios::sync_with_stdio(false);
    const auto truth = generate_cases(options, cases ? *cases : std::cout, arguments.labels ? &labels_file : nullptr);
    if (arguments.truth) truth_file << truth.dump(2) << "\n";
    const bool written = (cases ? static_cast<bool>(*cases) : static_cast<bool>(std::cout)) && (!arguments.labels || labels_file) &&
                         (!arguments.truth || truth_file);
    if (!written) {
        errors << "casecheck generate: writing the output failed\n";
        return exit_usage;
    }
    return exit_ok;
}

}  // namespace casecheck::cli
