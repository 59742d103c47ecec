// Lexicons in rule packs: how a pack tunes the text engine, and how a broken entry is refused.
#include "rule_pack.hpp"
#include "text/statements.hpp"

#include <catch2/catch.hpp>
#include <pugixml.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

using casecheck::read_rule_pack;

namespace {

std::string pack_with(const std::string& lexicon) {
    return "<rule-pack id=\"org\" format=\"1\" extends=\"core\">\n" + lexicon + "\n</rule-pack>";
}

std::vector<std::string> labels(const casecheck::RulePack& pack, const std::string& text) {
    // An analysis points into its engine's lexicon, so the engine must outlive it.
    const casecheck::text::TextEngine engine(pack.lexicon);
    std::vector<std::string> out;
    for (const auto& statement : engine.analyse(text).statements) out.push_back(statement.label());
    return out;
}

// Each statement of `label` in `text`, with its modifiers ("CONSENT_SHARE NEGATED").
std::vector<std::string> statuses(const casecheck::RulePack& pack, const std::string& text, const std::string& label) {
    const casecheck::text::TextEngine engine(pack.lexicon);
    std::vector<std::string> out;
    for (const auto& statement : engine.analyse(text).statements) {
        if (statement.label() != label) continue;
        std::string status = label;
        for (const auto& category : statement.modifiers) status += " " + category;
        out.push_back(std::move(status));
    }
    return out;
}

// The first of them, or "none".
std::string first_status(const casecheck::RulePack& pack, const std::string& text, const std::string& label) {
    const auto all = statuses(pack, text, label);
    return all.empty() ? "none" : all.front();
}

// The recipient of the one statement in `text` when that statement is a disclosure, else "not one disclosure".
std::string sole_disclosure_recipient(const casecheck::RulePack& pack, const std::string& text) {
    const casecheck::text::TextEngine engine(pack.lexicon);
    const auto analysis = engine.analyse(text);
    if (analysis.statements.size() != 1 || analysis.statements[0].label() != "DISCLOSURE") return "not one disclosure";
    return analysis.statements[0].recipient;
}

// The recipients of every disclosure in `text`, in order.
std::vector<std::string> disclosure_recipients(const casecheck::RulePack& pack, const std::string& text) {
    const casecheck::text::TextEngine engine(pack.lexicon);
    std::vector<std::string> out;
    for (const auto& statement : engine.analyse(text).statements) {
        if (statement.label() == "DISCLOSURE") out.push_back(statement.recipient);
    }
    return out;
}

// The built-in lexicon, as a pack that changes nothing reads it.
casecheck::RulePack built_in() {
    auto pack = read_rule_pack("<rule-pack id=\"bare\" format=\"1\"/>", "test");
    REQUIRE(pack.ok());
    return pack.value();
}

}  // namespace

TEST_CASE("every pack starts from the built-in English lexicon") {
    const auto pack = built_in();
    CHECK_FALSE(pack.lexicon.targets.empty());
    CHECK(labels(pack, "Referred to housing.") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("the built-in lexicon reads a hypothetical sharing as privacy information and a planned one as a disclosure") {
    const auto pack = built_in();
    CHECK(labels(pack, "Explained that her notes may be shared with the GP in an emergency.") == std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(labels(pack, "The discharge summary will be shared with the GP.") == std::vector<std::string>{"DISCLOSURE"});
}

TEST_CASE("the built-in lexicon reads a refused visit or treatment as a refusal to engage, whoever is named near it") {
    const auto pack = built_in();
    // "OT" and "husband" are recipients, which would otherwise make a general refusal one to share.
    CHECK(labels(pack, "Pt refused to engage with OT today.") == std::vector<std::string>{"STIGMATISING", "CONSENT_ENGAGE"});
    CHECK(labels(pack, "Declined reablement input, says her husband is helping her now.") == std::vector<std::string>{"CONSENT_ENGAGE"});
    CHECK(labels(pack, "She declined the referral.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads \"as the\" after a closure as its reason") {
    const auto pack = built_in();
    const casecheck::text::TextEngine engine(pack.lexicon);
    const auto analysis = engine.analyse("File closed as the worker has settled his claim with the insurer.");
    REQUIRE(analysis.statements.size() == 1);
    CHECK(analysis.statements[0].label() == "CLOSURE");
    CHECK(analysis.statements[0].has("RATIONALE"));
}

TEST_CASE("the built-in lexicon reads a wish as the client's view") {
    const auto pack = built_in();
    CHECK(labels(pack, "Pt's wish to die at home was respected.") == std::vector<std::string>{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads a judging word whose subject is a third party as no judgement of the client") {
    const auto pack = built_in();
    CHECK(labels(pack, "Her landlord refused to fix the boiler.").empty());
    CHECK(labels(pack, "Her father is demanding that she moves home.").empty());
    CHECK(labels(pack, "Pt refused to get out of bed.") == std::vector<std::string>{"STIGMATISING"});
}

TEST_CASE("the built-in lexicon reads an agreement to sharing as consent to share") {
    const auto pack = built_in();
    CHECK(labels(pack, "She agreed to her details going to the reablement team.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(labels(pack, "She agreed to the care plan.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
    // A sharing word further on is not what she agreed to.
    CHECK(labels(pack, "Her daughter agreed to be the emergency contact.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads a wish whose object is sharing as consent to share, and a wish against it as a refusal") {
    const auto pack = built_in();
    const auto consent_to_share = [&](const std::string& text) { return first_status(pack, text, "CONSENT_SHARE"); };
    CHECK(consent_to_share("She did not want me to tell the landlord about her debts.") == "CONSENT_SHARE NEGATED");
    CHECK(consent_to_share("She no longer wants her sister told anything.") == "CONSENT_SHARE WITHDRAWN");
    CHECK(consent_to_share("He wants us to speak to the job centre for him.") == "CONSENT_SHARE");
    CHECK(consent_to_share("She wants to go home and does not want the carers to change.") == "none");
    CHECK(labels(pack, "She wants to go home.") == std::vector<std::string>{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads a sharing verb inside a wish as what is wished for, not a disclosure") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Her son does not want his mother told about the diagnosis.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Her son wants her, and told the GP about the fall.", "DISCLOSURE") == "DISCLOSURE");
}

TEST_CASE("the built-in lexicon reads being happy for someone to know as consent to share, and for a service as consent to engage") {
    const auto pack = built_in();
    CHECK(labels(pack, "She is happy for her tutor to know about the seizures.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(labels(pack, "She is happy for carers to call twice a day.") == std::vector<std::string>{"CONSENT_ENGAGE"});
}

TEST_CASE("the built-in lexicon gives a disclosure the exception to consent stated in its sentence") {
    const auto pack = built_in();
    const casecheck::text::TextEngine engine(pack.lexicon);
    const auto analysis = engine.analyse("Concerns shared with police; consent not sought due to immediate risk to life.");
    const auto disclosures = analysis.with_label("DISCLOSURE");
    REQUIRE(disclosures.size() == 1);
    CHECK(disclosures[0]->recipient == "police");
    CHECK(disclosures[0]->has("EXCEPTION"));
}

TEST_CASE("the built-in lexicon gives a decision the exception to consent to the service stated in its sentence") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Respite placement arranged without his consent, as he was at immediate risk and lacked capacity.", "DECISION") ==
          "DECISION EXCEPTION RATIONALE");
}

TEST_CASE("the built-in lexicon reads harm to oneself as risk to self, and harm to another as risk to others") {
    const auto pack = built_in();
    CHECK(labels(pack, "No thoughts of harming himself were expressed.") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(labels(pack, "He has thoughts of harming his neighbour.") == std::vector<std::string>{"RISK_TO_OTHERS"});
    CHECK(labels(pack, "No thoughts of harming herself or anyone else.") == std::vector<std::string>{"RISK_TO_SELF", "RISK_TO_OTHERS"});
}

TEST_CASE("the built-in lexicon reads consent named inside a privacy explanation as part of the explanation") {
    const auto pack = built_in();
    CHECK(labels(pack, "Went through confidentiality and when we might have to share without consent.") == std::vector<std::string>{"PRIVACY_INFO"});
    // A punctuation mark ends the explanation's clause, and what follows is a consent of its own.
    CHECK(labels(pack, "Went through confidentiality; she consented to sharing her plan with her GP.") == std::vector<std::string>{"PRIVACY_INFO", "CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads \"is not only\" as no negation") {
    const auto pack = built_in();
    const auto self_management = [&](const std::string& text) { return first_status(pack, text, "SELF_MANAGEMENT"); };
    CHECK(self_management("She is not only using her pill organizer but has also started a falls diary.") == "SELF_MANAGEMENT");
    CHECK(self_management("She is not using her pill organizer.") == "SELF_MANAGEMENT NEGATED");
}

TEST_CASE("the built-in lexicon reads what a service is not as part of explaining the role") {
    const auto pack = built_in();
    const auto role = [&](const std::string& text) { return first_status(pack, text, "ROLE_EXPLAINED"); };
    CHECK(role("Explained I'm not an emergency service.") == "ROLE_EXPLAINED");
    CHECK(role("Told him I'm a support worker, not from the council.") == "ROLE_EXPLAINED");
    CHECK(role("Role not explained yet; he was too tired.") == "ROLE_EXPLAINED NEGATED");
    CHECK(role("My role was not explained today.") == "ROLE_EXPLAINED NEGATED");
}

TEST_CASE("the built-in lexicon reads a relative who reports or says something as its source, not the one it is about") {
    const auto pack = built_in();
    const auto risk_to_self = [&](const std::string& text) { return first_status(pack, text, "RISK_TO_SELF"); };
    CHECK(risk_to_self("His daughter states he has been self-harming.") == "RISK_TO_SELF REPORTED");
    CHECK(risk_to_self("His mother has been self-harming.") == "RISK_TO_SELF OTHER");
    // The relative's own trigger ("his wife") must not outlast the reporting verb that shares its word.
    CHECK(risk_to_self("His wife reports he has been self-harming.") == "RISK_TO_SELF REPORTED");
    CHECK(risk_to_self("Her son rang to say she has been self-harming.") == "RISK_TO_SELF REPORTED");
    CHECK(first_status(pack, "Her husband says she did not want the nurses coming any more.", "CONSENT_ENGAGE") ==
          "CONSENT_ENGAGE NEGATED REPORTED");
}

TEST_CASE("the built-in lexicon reads the parent or child or spouse that a relative reports on as the client") {
    const auto pack = built_in();
    const auto risk_to_self = [&](const std::string& text) { return first_status(pack, text, "RISK_TO_SELF"); };
    CHECK(risk_to_self("Daughter phoned to say her dad has been talking about ending his life.") == "RISK_TO_SELF REPORTED");
    CHECK(risk_to_self("His son reports that his father has been giving away his belongings and talking of suicide.") ==
          "RISK_TO_SELF REPORTED");
    CHECK(risk_to_self("Wife says her husband has been talking about ending his life.") == "RISK_TO_SELF REPORTED");
    // A sibling's sibling need not be the client, so the second relative keeps its own trigger.
    CHECK(risk_to_self("Sister says her brother has been talking about ending his life.") == "RISK_TO_SELF OTHER REPORTED");
}

TEST_CASE("the built-in lexicon reads a source named after the statement, and a source that opens a long sentence, as reporting it") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Combative during personal care, per the care home manager.", "STIGMATISING") == "STIGMATISING REPORTED");
    CHECK(first_status(pack, "Frequent flyer at the minor injuries unit, according to the practice nurse.", "STIGMATISING") ==
          "STIGMATISING REPORTED");
    // The source covers the whole statement it opens, not only its first ten words.
    CHECK(first_status(pack, "Per ward sister, pt has been combative with night staff on two nights and has struck an HCA.",
                       "RISK_TO_OTHERS") == "RISK_TO_OTHERS REPORTED");
    CHECK(first_status(pack, "Combative during personal care.", "STIGMATISING") == "STIGMATISING");
    // "Per" before a unit is a rate, not a source.
    CHECK(first_status(pack, "Client agreed to reduce to 3 standard drinks per day.", "CLIENT_AGREEMENT") == "CLIENT_AGREEMENT");
}

TEST_CASE("the built-in lexicon reads \"with his consent\" beside a disclosure as one consent, to share") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Discussed his script and recent lapse with his probation officer, with his consent.", "CONSENT_SHARE") ==
          std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Discussed his script and recent lapse with his probation officer, with his consent.", "CONSENT_ENGAGE").empty());
    // "Along with her consent to" opens a consent of its own, here to the service.
    CHECK(labels(pack, "She revoked it today along with her consent to vocational services.") == std::vector<std::string>{"CONSENT_ENGAGE"});
}

TEST_CASE("the built-in lexicon reads North American grievance and privacy-notice wording as complaints and privacy information") {
    const auto pack = built_in();
    CHECK(labels(pack, "Advised how to file a grievance with the plan.") == std::vector<std::string>{"COMPLAINTS_INFO"});
    CHECK(labels(pack, "Explained how to request a fair hearing on any denial.") == std::vector<std::string>{"COMPLAINTS_INFO"});
    CHECK(labels(pack, "Reviewed the HIPAA notice with him.") == std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(labels(pack, "Explained how our service stores her information.") == std::vector<std::string>{"PRIVACY_INFO"});
}

TEST_CASE("the built-in lexicon reads a report to protective services as a safeguarding statement") {
    const auto pack = built_in();
    CHECK(first_status(pack, "APS report filed after her nephew used her debit card.", "SAFEGUARDING") == "SAFEGUARDING");
    CHECK(first_status(pack, "Report made to the CPS hotline.", "SAFEGUARDING") == "SAFEGUARDING");
    CHECK(first_status(pack, "No new child safety concerns observed at the visit.", "SAFEGUARDING") == "SAFEGUARDING NEGATED");
    // In the UK the CPS is the Crown Prosecution Service, so the bare abbreviation is no safeguarding word.
    CHECK(first_status(pack, "The CPS decided not to charge him.", "SAFEGUARDING") == "none");
}

TEST_CASE("the built-in lexicon reads SI and HI, apart or written SI/HI, as suicidal and homicidal ideation, but not a greeting") {
    const auto pack = built_in();
    CHECK(first_status(pack, "No SI or HI today.", "RISK_TO_SELF") == "RISK_TO_SELF NEGATED");
    CHECK(first_status(pack, "No SI or HI today.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS NEGATED");
    CHECK(first_status(pack, "Denies SI/HI.", "RISK_TO_SELF") == "RISK_TO_SELF NEGATED");
    CHECK(first_status(pack, "Denies SI/HI.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS NEGATED");
    CHECK(first_status(pack, "He has been talking about wanting to die.", "RISK_TO_SELF") == "RISK_TO_SELF");
    CHECK(first_status(pack, "She slapped a nurse during personal care.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS");
    CHECK(labels(pack, "Said hi to the staff on the way in.").empty());
}

TEST_CASE("the built-in lexicon reads a role named by the worker's job title as the role explained") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Explained the IDVA role.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED");
    CHECK(first_status(pack, "Explained hospice SW role and the IDT.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED");
    CHECK(first_status(pack, "Explained the conditions of his parole and my role in reporting breaches.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED");
}

TEST_CASE("the built-in lexicon reads the right to see and correct the record, and how it is protected, as privacy information") {
    const auto pack = built_in();
    CHECK(labels(pack, "Advised that she can request a copy of her case notes and may ask for corrections.") ==
          std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(labels(pack, "Reviewed how the hospital protects patient health information.") == std::vector<std::string>{"PRIVACY_INFO"});
    // Told what would go to whom, she is told how her information is used; nothing is shared yet.
    CHECK(labels(pack, "Outlined what information would be reported to the adjuster.") == std::vector<std::string>{"PRIVACY_INFO"});
}

TEST_CASE("the built-in lexicon reads \"as\" before what the client's reason is about as a decision's reason") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Decided that he should move to a nursing home as his needs can no longer be met at home.", "DECISION") ==
          "DECISION RATIONALE");
    CHECK(first_status(pack, "Increased the care package as her mobility has declined.", "DECISION") == "DECISION RATIONALE");
    CHECK(first_status(pack, "Referred to the drug and alcohol service as a condition of his licence.", "DECISION") == "DECISION RATIONALE");
}

TEST_CASE("the built-in lexicon reads a court's order or a legal power as the exception a disclosure is made under") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Shared the case plan with the school as ordered by the court.", "DISCLOSURE") == "DISCLOSURE EXCEPTION");
    CHECK(first_status(pack, "Shared his attendance record with his employer as his parole order requires.", "DISCLOSURE") ==
          "DISCLOSURE EXCEPTION");
    CHECK(first_status(pack, "Sent the records to the solicitor, who had served a subpoena.", "DISCLOSURE") == "DISCLOSURE EXCEPTION");
}

TEST_CASE("the built-in lexicon reads a risk event on a recent day as historical, and a day beside a plan as no history") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Client disclosed an overdose last weekend.", "RISK_TO_SELF") == "RISK_TO_SELF HISTORICAL");
    CHECK(first_status(pack, "Wife reports he threatened their neighbour with a bat on Saturday.", "RISK_TO_OTHERS") ==
          "RISK_TO_OTHERS HISTORICAL REPORTED");
    CHECK(first_status(pack, "Will make a safeguarding alert if the same on Friday.", "SAFEGUARDING") == "SAFEGUARDING FUTURE");
}

TEST_CASE("the built-in lexicon reads no stigmatising word in a job title or in a third party's conduct") {
    const auto pack = built_in();
    CHECK(labels(pack, "Left a message for the insurer's claims manager about the invoice.").empty());
    CHECK(labels(pack, "Her landlord was very difficult about repairs.").empty());
    CHECK(labels(pack, "She was very difficult about repairs.") == std::vector<std::string>{"STIGMATISING"});
}

TEST_CASE("the built-in lexicon reads each stigmatising word as a finding of its own, dated when the sentence dates it") {
    const auto pack = built_in();
    CHECK(labels(pack, "He is manipulative and attention-seeking on the ward.") == (std::vector<std::string>{"STIGMATISING", "STIGMATISING"}));
    CHECK(labels(pack, "Participant is difficult to engage.") == std::vector<std::string>{"STIGMATISING"});
    CHECK(first_status(pack, "Was non-compliant with compression bandaging last month.", "STIGMATISING") == "STIGMATISING HISTORICAL");
    CHECK(first_status(pack, "Ward staff described him as manipulative during his previous admission.", "STIGMATISING") == "STIGMATISING HISTORICAL");
}

TEST_CASE("the built-in lexicon reads no stigmatising word in a hard task, a demand made of the client or the client's abuser") {
    const auto pack = built_in();
    CHECK(labels(pack, "Finds the stairs difficult but manages with the rail.").empty());
    CHECK(labels(pack, "His children are demanding that he sell the house.").empty());
    CHECK(labels(pack, "The alleged abuser has access to other residents.").empty());
}

TEST_CASE("the built-in lexicon reads risk to others in a joint denial, a conviction and a wish to get even") {
    const auto pack = built_in();
    CHECK(statuses(pack, "No current risk to self or others identified.", "RISK_TO_OTHERS") == std::vector<std::string>{"RISK_TO_OTHERS NEGATED"});
    CHECK(first_status(pack, "He has a DV conviction against the same partner.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS HISTORICAL");
    CHECK(first_status(pack, "Voiced intent to get even with his landlord.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS");
    // A refusal's negation ends where a new clause begins.
    CHECK(first_status(pack, "Refused depot today and became verbally aggressive toward me.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS");
}

TEST_CASE("the built-in lexicon reads harm seen and the safeguarding concern raised about it as one concern") {
    const auto pack = built_in();
    CHECK(labels(pack, "Unexplained bruising to both forearms; safeguarding concern raised.") == std::vector<std::string>{"SAFEGUARDING"});
    CHECK(labels(pack, "No safeguarding concerns at the last visit; however, a safeguarding concern was raised today.") ==
          (std::vector<std::string>{"SAFEGUARDING", "SAFEGUARDING"}));
}

TEST_CASE("the built-in lexicon reads no closure in a closing document or a closed blind, but a closure letter alone stands for one") {
    const auto pack = built_in();
    CHECK(labels(pack, "Closure summary:\nCase closed to ASC.") == std::vector<std::string>{"CLOSURE"});
    CHECK(labels(pack, "Closed the blinds as the room was too bright.").empty());
    CHECK(labels(pack, "Discharge letter sent to GP.") == std::vector<std::string>{"DISCLOSURE"});
    CHECK(labels(pack, "Closure letter sent to Nadia.") == std::vector<std::string>{"CLOSURE"});
}

TEST_CASE("the built-in lexicon reads review rights and an insurer's acceptance as no agreement, and a signed updated plan as one") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Told her she can request a review of any decision she disagrees with.", "CLIENT_AGREEMENT").empty());
    CHECK(statuses(pack, "Explained how to request a review if he disagrees.", "CLIENT_AGREEMENT").empty());
    CHECK(statuses(pack, "Claim accepted by the insurer last week.", "CLIENT_AGREEMENT").empty());
    CHECK(statuses(pack, "Participant reviewed and signed the updated service plan.", "CLIENT_AGREEMENT") == std::vector<std::string>{"CLIENT_AGREEMENT"});
    CHECK(statuses(pack, "She disagrees with the plan.", "CLIENT_AGREEMENT") == std::vector<std::string>{"CLIENT_AGREEMENT NEGATED"});
}

TEST_CASE("the built-in lexicon reads another body's decision as none of the service's") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Explained how he can dispute the insurer's decision to reduce his weekly payments.", "DECISION").empty());
    CHECK(statuses(pack, "Decision to reduce visits to weekly.", "DECISION") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("the built-in lexicon reads self-direction and supports managed alone as self-management, and 'he'll' as future") {
    const auto pack = built_in();
    CHECK(first_status(pack, "He'll use his relapse prevention workbook at home.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT FUTURE");
    CHECK(first_status(pack, "Member would like to self-direct her PCA services.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT");
    CHECK(first_status(pack, "She can now manage her supports independently.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT");
    CHECK(first_status(pack, "Discussed bill-pay reminders she can set up herself.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT");
}

TEST_CASE("the built-in lexicon reads a decision after a best-interests meeting as an exception, past a semicolon or a full stop") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Best-interests meeting held as he lacks capacity re his care needs; decision made to increase care to four calls daily.", "DECISION") ==
          "DECISION EXCEPTION");
    CHECK(first_status(pack, "Best interests meeting held. Decided that he should move to a nursing home.", "DECISION") == "DECISION EXCEPTION");
    // Arranging the meeting is the decision itself.
    CHECK(first_status(pack, "Lacks capacity to decide on the tenancy; best-interests meeting arranged for Friday.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads a feeling named in a condition as no view") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Went through how to contact the complaints body in case she is unhappy with her provider.", "CLIENT_VIEW").empty());
    CHECK(statuses(pack, "She agreed to use her safety plan if she feels overwhelmed.", "CLIENT_VIEW").empty());
    CHECK(statuses(pack, "She feels the visits are too early.", "CLIENT_VIEW") == std::vector<std::string>{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads role and privacy explanations in more wordings, and not getting to them as not giving them") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Told client about limits of confidentiality at induction.", "PRIVACY_INFO") == "PRIVACY_INFO HISTORICAL");
    CHECK(first_status(pack, "Didn't get to go through the complaints process or confidentiality as he had to leave early.", "PRIVACY_INFO") ==
          "PRIVACY_INFO NEGATED");
    CHECK(first_status(pack, "Explained my role and how ACC uses the information I collect.", "PRIVACY_INFO") == "PRIVACY_INFO");
    CHECK(labels(pack, "Writer completed the annual privacy training module today.").empty());
    CHECK(labels(pack, "Role of the youth project explained to D and his foster carer.") == std::vector<std::string>{"ROLE_EXPLAINED"});
}

TEST_CASE("the built-in lexicon reads a consent to a provider's services or visits as consent to the service") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Son consented to hospice services on her behalf.", "CONSENT_ENGAGE") == "CONSENT_ENGAGE OTHER");
    CHECK(first_status(pack, "Mrs V declined the district nurse visits.", "CONSENT_ENGAGE") == "CONSENT_ENGAGE NEGATED");
    CHECK(first_status(pack, "She consented to a referral to the hospice.", "CONSENT_SHARE") == "CONSENT_SHARE");
}

TEST_CASE("the built-in lexicon reads 'no change in consent' as today's reconfirmation of the consent recorded before it") {
    const auto pack = built_in();
    const std::string shared = "Consent to share with her GP was obtained at intake in 2022. No change in consent at today's review.";
    CHECK(statuses(pack, shared, "CONSENT_SHARE") == (std::vector<std::string>{"CONSENT_SHARE HISTORICAL", "CONSENT_SHARE"}));
    CHECK(statuses(pack, shared, "CONSENT_ENGAGE").empty());
    const std::string engaged = "Consent to support was recorded at intake last year. No change in consent today.";
    CHECK(statuses(pack, engaged, "CONSENT_ENGAGE") == (std::vector<std::string>{"CONSENT_ENGAGE HISTORICAL", "CONSENT_ENGAGE"}));
    CHECK(statuses(pack, "No change in consent to the current services.", "CONSENT_ENGAGE") == std::vector<std::string>{"CONSENT_ENGAGE"});
    CHECK(labels(pack, "No change in consent.").empty());
}

TEST_CASE("the built-in lexicon knows CPNs, MH teams, CAMHS and behavioral health as mental-health recipients") {
    const auto pack = built_in();
    CHECK(sole_disclosure_recipient(pack, "Forwarded discharge summary to the community MH team.") == "mental-health");
    CHECK(sole_disclosure_recipient(pack, "Updated her CPN about the missed depot.") == "mental-health");
    CHECK(sole_disclosure_recipient(pack, "Sent the safety plan to CAMHS.") == "mental-health");
    CHECK(sole_disclosure_recipient(pack, "Faxed the referral to behavioral health.") == "mental-health");
}

TEST_CASE("the built-in lexicon knows step-parents, partners, grandchildren and foster carers as family") {
    const auto pack = built_in();
    CHECK(labels(pack, "Teen disclosed that mom's boyfriend hits her.") == std::vector<std::string>{"SAFEGUARDING"});
    CHECK(labels(pack, "Her stepfather hit her with a belt.") == std::vector<std::string>{"SAFEGUARDING"});
    CHECK(sole_disclosure_recipient(pack, "Sent the care plan to her foster carer.") == "family");
    CHECK(sole_disclosure_recipient(pack, "Discussed the advance directive with pt and spouse.") == "family");
    CHECK(sole_disclosure_recipient(pack, "Shared his behaviour support plan with the respite unit.") == "other");
}

TEST_CASE("the built-in lexicon reads a risk named as a limit of confidentiality as no finding of risk") {
    const auto pack = built_in();
    CHECK(labels(pack, "Told her that what she tells us stays confidential unless someone is at risk of harm.") ==
          std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(labels(pack, "Explained that his file is kept confidential except where there is a risk of serious harm to himself or others.") ==
          std::vector<std::string>{"PRIVACY_INFO"});
    CHECK(labels(pack, "Serious risk of harm to himself.") == std::vector<std::string>{"RISK_TO_SELF"});
}

TEST_CASE("the built-in lexicon reads relatives and carers named as a source as reporting, not as the one at risk") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Carers report she has slapped one of them during personal care.", "RISK_TO_OTHERS") == "RISK_TO_OTHERS REPORTED");
    CHECK(first_status(pack, "Per his grandmother, he has been cutting again.", "RISK_TO_SELF") == "RISK_TO_SELF REPORTED");
    CHECK(first_status(pack, "His grandmother has been cutting again.", "RISK_TO_SELF") == "RISK_TO_SELF OTHER");
}

TEST_CASE("the built-in lexicon reads a service named after carers or the family as no one else, and the start of this call as no history") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Explained the carers' assessment and what the service can offer.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED");
    CHECK(first_status(pack, "The case manager's role was explained at the start of the call.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED");
    CHECK(first_status(pack, "The case manager's role was explained at the start of the year.", "ROLE_EXPLAINED") == "ROLE_EXPLAINED HISTORICAL");
}

TEST_CASE("the built-in lexicon reads a worker described in the third person, and an explanation put off, as the role explained") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Support coordinator explained that she works for an independent provider.", "ROLE_EXPLAINED") ==
          std::vector<std::string>{"ROLE_EXPLAINED"});
    CHECK(statuses(pack, "Role of the CM not explained today as member was in pain; will explain at home visit Thursday.", "ROLE_EXPLAINED") ==
          (std::vector<std::string>{"ROLE_EXPLAINED NEGATED", "ROLE_EXPLAINED FUTURE"}));
}

TEST_CASE("the built-in lexicon reads refusing to sign a consent form or a release as refusing consent, not a plan") {
    const auto pack = built_in();
    CHECK(labels(pack, "Member refused to sign the ROI for the adult day center.") == (std::vector<std::string>{"STIGMATISING", "CONSENT_SHARE"}));
    CHECK(labels(pack, "Member refused to sign the consent for CHW services.") == (std::vector<std::string>{"STIGMATISING", "CONSENT_ENGAGE"}));
    CHECK(labels(pack, "Refused to sign the support plan.") == (std::vector<std::string>{"STIGMATISING", "CLIENT_AGREEMENT"}));
}

TEST_CASE("the built-in lexicon reads \"therefore\" inside a closure phrase as its reason") {
    const auto pack = built_in();
    CHECK(first_status(pack, "She revoked her consent today. The file will therefore close at the end of the month.", "CLOSURE") ==
          "CLOSURE FUTURE RATIONALE");
    CHECK(first_status(pack, "The file will close at the end of the month.", "CLOSURE") == "CLOSURE FUTURE");
}

TEST_CASE("the built-in lexicon reads a recipient that names a report or letter as its author, not its receiver") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(disclosure_recipients(pack, "Writer sent the physio report to the insurer.") == list{"insurer"});
    CHECK(disclosure_recipients(pack, "Sent the GP letter to the school.") == list{"school"});
    CHECK(disclosure_recipients(pack, "Sent the report to the GP.") == list{"gp"});
}

TEST_CASE("the built-in lexicon reads a safeguarding duty as the basis of a disclosure, not a safeguarding concern") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Information shared with police without her consent under our safeguarding duty.", "SAFEGUARDING") == "none");
    CHECK(first_status(pack, "Information shared with police without her consent under our safeguarding duty.", "DISCLOSURE") ==
          "DISCLOSURE EXCEPTION");
    CHECK(first_status(pack, "Safeguarding concern raised with the local authority.", "SAFEGUARDING") == "SAFEGUARDING");
}

TEST_CASE("the built-in lexicon reads a note's closure phrases as one closure when their statuses agree") {
    const auto pack = built_in();
    CHECK(labels(pack, "No further input needed; closed to social prescribing.") == std::vector<std::string>{"CLOSURE"});
    CHECK(first_status(pack, "Discharged from the team back to the GP. Reason: stable for six months and no longer needs secondary care.",
                       "CLOSURE") == "CLOSURE RATIONALE");
    CHECK(labels(pack, "Discharged from the team back to the GP. Reason: stable for six months and no longer needs secondary care.") ==
          std::vector<std::string>{"CLOSURE"});
}

TEST_CASE("the built-in lexicon reads a discharge from the team as a closure, and a delayed one as not yet done") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Not for discharge from the team yet, as he has only just started the new medication.", "CLOSURE") ==
          "CLOSURE NEGATED RATIONALE");
    CHECK(first_status(pack, "Discharge from ward delayed - awaiting package of care from the framework provider.", "CLOSURE") ==
          "CLOSURE FUTURE RATIONALE");
    // Delay words reach either way.
    CHECK(first_status(pack, "Discharge from the team postponed until the new carers start.", "CLOSURE") == "CLOSURE FUTURE");
    CHECK(first_status(pack, "Delayed discharge from the team while she waits for a care home bed.", "CLOSURE") == "CLOSURE FUTURE RATIONALE");
}

TEST_CASE("the built-in lexicon reads a closure the client asks for as her view, not a closure") {
    const auto pack = built_in();
    CHECK(labels(pack, "Pt asked to be discharged back to the GP.") == std::vector<std::string>{"CLIENT_VIEW"});
    CHECK(first_status(pack, "She asked to be discharged from OT, so the episode is closed.", "CLOSURE") == "CLOSURE RATIONALE");
}

TEST_CASE("the built-in lexicon reads a referral someone else made to the service as no decision of the service") {
    const auto pack = built_in();
    CHECK(first_status(pack, "He has been re-referred by his GP this week.", "DECISION") == "none");
    CHECK(first_status(pack, "Referred to us by the ward in March.", "DECISION") == "none");
    CHECK(first_status(pack, "Referred him to the memory clinic.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads an inference that something may amount to a risk as uncertain") {
    const auto pack = built_in();
    CHECK(first_status(pack, "He has been skipping meals and leaving the stove on, which may amount to self-neglect.", "RISK_TO_SELF") ==
          "RISK_TO_SELF UNCERTAIN");
    CHECK(first_status(pack, "He has been giving away his belongings, which could point to suicidal thinking.", "RISK_TO_SELF") ==
          "RISK_TO_SELF UNCERTAIN");
}

TEST_CASE("the built-in lexicon reads going to a place as movement, and going to do something as a future") {
    const auto pack = built_in();
    CHECK(first_status(pack, "He wants to keep going to the peer-led recovery café on Saturdays.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT");
    CHECK(first_status(pack, "She has started going to a peer support group.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT");
    CHECK(first_status(pack, "She is going to try a peer support group.", "SELF_MANAGEMENT") == "SELF_MANAGEMENT FUTURE");
}

TEST_CASE("the built-in lexicon reads being happy with a plan as agreeing to it, but not being happy with a decision") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Pt happy with plan for twice-weekly visits.", "CLIENT_AGREEMENT") == "CLIENT_AGREEMENT");
    CHECK(first_status(pack, "Case to close at end of month. She is happy with this.", "CLIENT_AGREEMENT") == "CLIENT_AGREEMENT");
    CHECK(first_status(pack, "Daughter not happy with this decision.", "CLIENT_AGREEMENT") == "none");
}

TEST_CASE("the built-in lexicon reads asking for an update, or having none, as no disclosure, and giving one as a disclosure") {
    const auto pack = built_in();
    CHECK(first_status(pack, "His sister called requesting an update.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Claimant's insurer has requested an update.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Called housing officer to chase adaptation; no update yet.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Gave his sister an update on the care package.", "DISCLOSURE") == "DISCLOSURE");
}

TEST_CASE("the built-in lexicon reads a fax number or email address as no disclosure but faxing as one") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Her daughter called asking for the clinic's fax number.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Her daughter asked for the clinic's email address.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Faxed the care plan to her daughter.", "DISCLOSURE") == "DISCLOSURE");
}

TEST_CASE("the built-in lexicon reads information withheld from a caller as a negated disclosure to them") {
    const auto pack = built_in();
    // The analysis points into its engine's label names, so the engine must outlive it.
    const casecheck::text::TextEngine engine(pack.lexicon);
    const auto analysis = engine.analyse("Her daughter phoned; no information given.");
    REQUIRE(analysis.with_label("DISCLOSURE").size() == 1);
    CHECK(analysis.with_label("DISCLOSURE").front()->recipient == "family");
    CHECK(analysis.with_label("DISCLOSURE").front()->has("NEGATED"));
    // With nobody named in its sentence, there is no disclosure to negate.
    CHECK(first_status(pack, "No information was given.", "DISCLOSURE") == "none");
}

TEST_CASE("the built-in lexicon reads the client's wish about sharing as her consent alone, and a relative's as his view") {
    const auto pack = built_in();
    CHECK(labels(pack, "He no longer wants us to speak to the job centre.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(first_status(pack, "He no longer wants us to speak to the job centre.", "CONSENT_SHARE") == "CONSENT_SHARE WITHDRAWN");
    CHECK(first_status(pack, "Her son does not want his mother told about the diagnosis.", "CONSENT_SHARE") == "none");
    CHECK(first_status(pack, "Her son does not want his mother told about the diagnosis.", "CLIENT_VIEW") != "none");
    CHECK(labels(pack, "She wants to go home.") == std::vector<std::string>{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads physical or service capacity as no decision-making capacity") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Writer arranged a functional capacity evaluation with an independent OT.", "CAPACITY") == "none");
    CHECK(first_status(pack, "The capacity of the day centre is 18 places.", "CAPACITY") == "none");
    CHECK(first_status(pack, "Has capacity to decide where she lives.", "CAPACITY") == "CAPACITY");
}

TEST_CASE("the built-in lexicon reads the client deciding as her view, and the team deciding as a decision") {
    const auto pack = built_in();
    CHECK(labels(pack, "He has decided not to return to work.") == std::vector<std::string>{"CLIENT_VIEW"});
    CHECK(first_status(pack, "Team decided to hold discharge until the wheelchair arrives.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads a former partner as a recipient, so a consent about them is a consent to share") {
    const auto pack = built_in();
    CHECK(first_status(pack, "He signed releases for his PCP but declined to sign one for his ex-wife.", "CONSENT_ENGAGE") == "none");
    CHECK(first_status(pack, "He does not give consent for his ex-wife to be contacted.", "CONSENT_SHARE") == "CONSENT_SHARE NEGATED");
}

TEST_CASE("the built-in lexicon reads no safety concerns as a negated safeguarding concern") {
    const auto pack = built_in();
    CHECK(first_status(pack, "No safety concerns were observed during the unannounced visit.", "SAFEGUARDING") == "SAFEGUARDING NEGATED");
    CHECK(first_status(pack, "No welfare concerns about the children at this visit.", "SAFEGUARDING") == "SAFEGUARDING NEGATED");
}

TEST_CASE("the built-in lexicon reads the service's own admin staff as no third party") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Her sister rang the office asking when the rails will be fitted; passed to admin to chase the contractor.",
                       "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Her GP rang about the results; passed the message to the admin team.", "DISCLOSURE") == "none");
    CHECK(first_status(pack, "Passed the referral details to the housing team.", "DISCLOSURE") == "DISCLOSURE");
}

TEST_CASE("the built-in lexicon reads a consent refused under a duty, after a disclosure, as that disclosure's exception only") {
    const auto pack = built_in();
    CHECK(labels(pack, "Information shared with police without her consent under our safeguarding duty.") == std::vector<std::string>{"DISCLOSURE"});
    CHECK(labels(pack, "Veteran's information released to ED staff without his consent due to a medical emergency.") ==
          std::vector<std::string>{"DISCLOSURE"});
    // In a clause of its own, the refused consent is a statement; so is a consent given.
    CHECK(first_status(pack, "Police informed; consent to share was not sought as there was an immediate risk to life.", "CONSENT_SHARE") ==
          "CONSENT_SHARE EXCEPTION NEGATED");
    CHECK(first_status(pack, "Shared the report with her GP with her consent.", "CONSENT_SHARE") == "CONSENT_SHARE");
}

TEST_CASE("the built-in lexicon reads what was done \"at that visit\" as done on the earlier occasion") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Late entry for Tuesday's visit. At that visit, went through the complaints process with him.", "COMPLAINTS_INFO") ==
          "COMPLAINTS_INFO HISTORICAL");
    CHECK(first_status(pack, "Went through the complaints process with him.", "COMPLAINTS_INFO") == "COMPLAINTS_INFO");
}

TEST_CASE("the built-in lexicon reads a \"not\" that opens a second conjunct as negating only that conjunct") {
    const auto pack = built_in();
    const auto risk_to_self = [&](const std::string& text) { return first_status(pack, text, "RISK_TO_SELF"); };
    CHECK(risk_to_self("She is neglecting herself and not opening the door.") == "RISK_TO_SELF");
    CHECK(risk_to_self("She is eating well and not neglecting herself.") == "RISK_TO_SELF NEGATED");
}

TEST_CASE("the built-in lexicon reads \"will do so\" as planning what was left undone before it") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Not yet explained the complaints process; will do so next visit.", "COMPLAINTS_INFO") ==
          list{"COMPLAINTS_INFO NEGATED", "COMPLAINTS_INFO FUTURE"});
    CHECK(statuses(pack, "Role not explained today as she was distressed. Will go over it next visit.", "ROLE_EXPLAINED") ==
          list{"ROLE_EXPLAINED NEGATED", "ROLE_EXPLAINED FUTURE"});
    // A pro-form with nothing it may restate before it is no statement: a missed call is tried again.
    CHECK(labels(pack, "Phone went to voicemail. Will try again tomorrow.").empty());
}

TEST_CASE("the built-in lexicon reads \"capacity to consent\" as what the capacity is about, not as a consent") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "She lacks capacity to consent to the care home move.") == list{"CAPACITY"});
    CHECK(labels(pack, "Her capacity to consent to sharing is in doubt.") == list{"CAPACITY"});
    CHECK(labels(pack, "Capacity to consent to treatment remains in doubt.") == list{"CAPACITY"});
    // A consent of its own after the capacity is still read.
    CHECK(labels(pack, "He has capacity and consented to sharing his records with the insurer.") == list{"CAPACITY", "CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads \"capacity to manage her own\" as what the capacity is about, not as self-management") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Unclear whether he has capacity to manage his own finances.") == list{"CAPACITY"});
    CHECK(labels(pack, "She has capacity and wants to manage her own medication with a dosette box.") == list{"CAPACITY", "CLIENT_VIEW", "SELF_MANAGEMENT"});
}

TEST_CASE("the built-in lexicon reads an option the client is judged not to follow as no self-management") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Worker is non-compliant with his home exercise program.") == list{"STIGMATISING"});
    // The option stands when no judgement of conduct comes right before it.
    CHECK(labels(pack, "He is keeping up his home exercise program.") == list{"SELF_MANAGEMENT"});
}

TEST_CASE("the built-in lexicon reads not letting the worker act as a refusal of the service, unless the act is sharing") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Would not let the nurse check his feet.", "CONSENT_ENGAGE") == "CONSENT_ENGAGE NEGATED");
    CHECK(first_status(pack, "Refused to let the caseworker complete the home safety assessment.", "CONSENT_ENGAGE") == "CONSENT_ENGAGE NEGATED");
    CHECK(first_status(pack, "Refused to let me speak to his probation officer.", "CONSENT_SHARE") == "CONSENT_SHARE NEGATED");
    CHECK(first_status(pack, "Refused to let me speak to his probation officer.", "CONSENT_ENGAGE") == "none");
}

TEST_CASE("the built-in lexicon reads being willing, happy or keen to engage, continue or have our support as consent to engage") {
    const auto pack = built_in();
    const auto engage = [&](const std::string& text) { return first_status(pack, text, "CONSENT_ENGAGE"); };
    CHECK(engage("He is willing to engage with the service.") == "CONSENT_ENGAGE");
    CHECK(engage("She wishes to continue with case management.") == "CONSENT_ENGAGE");
    CHECK(engage("Accepted case management today.") == "CONSENT_ENGAGE");
    CHECK(engage("Client is agreeable to ongoing visits.") == "CONSENT_ENGAGE");
    CHECK(engage("He opted out of the service today.") == "CONSENT_ENGAGE NEGATED");
    CHECK(engage("Does not wish to engage with the team.") == "CONSENT_ENGAGE NEGATED");
    CHECK(engage("Unclear if he still wants our support.") == "CONSENT_ENGAGE UNCERTAIN");
    CHECK(engage("She wishes to carry on with the service.") == "CONSENT_ENGAGE");
    // Agreeable to sharing is consent to share, as "agreed to" is.
    CHECK(first_status(pack, "She remains agreeable to contact with her GP.", "CONSENT_SHARE") == "CONSENT_SHARE");
}

TEST_CASE("the built-in lexicon reads an authorization, permission given, or agreeing that we can speak to someone as consent to share") {
    const auto pack = built_in();
    const auto share = [&](const std::string& text) { return first_status(pack, text, "CONSENT_SHARE"); };
    CHECK(share("Signed an authorization for us to talk to his employer.") == "CONSENT_SHARE");
    CHECK(share("Permission given to speak with her daughter.") == "CONSENT_SHARE");
    CHECK(share("She has agreed that we can speak to her GP.") == "CONSENT_SHARE");
    CHECK(share("She agreed to the plan.") == "none");
}

TEST_CASE("the built-in lexicon reads asking the worker not to share as refusing consent to share") {
    const auto pack = built_in();
    CHECK(first_status(pack, "She asked that we do not tell her husband about the diagnosis.", "CONSENT_SHARE") == "CONSENT_SHARE NEGATED");
    CHECK(first_status(pack, "He asked me not to speak to his employer.", "CONSENT_SHARE") == "CONSENT_SHARE NEGATED");
    // Asking the worker not to do anything else is no consent statement.
    CHECK(labels(pack, "She asked me not to visit on Fridays.").empty());
}

TEST_CASE("the built-in lexicon reads telling, making aware and submitting to a named recipient as a disclosure") {
    const auto pack = built_in();
    const auto disclosure = [&](const std::string& text) { return first_status(pack, text, "DISCLOSURE"); };
    CHECK(disclosure("Did not tell his mother about the results.") == "DISCLOSURE NEGATED");
    CHECK(disclosure("GP made aware of the fall.") == "DISCLOSURE");
    CHECK(disclosure("Progress report submitted to the insurer.") == "DISCLOSURE");
    // Being told is receiving, not sharing.
    CHECK(labels(pack, "Probation officer rang to tell me he missed his appointment.").empty());
}

TEST_CASE("the built-in lexicon reads a question whether the worker would tell someone as no disclosure") {
    const auto pack = built_in();
    CHECK(labels(pack, "She asked if the worker would tell her probation officer about the missed appointments.").empty());
    CHECK(first_status(pack, "The worker will tell her probation officer about the missed appointments.", "DISCLOSURE") == "DISCLOSURE FUTURE");
}

TEST_CASE("the built-in lexicon reads a copy of a document as a noun, not as a planned sending") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Copy of the assessment sent to her GP.", "DISCLOSURE") == "DISCLOSURE");
    CHECK(first_status(pack, "Copy to GP.", "DISCLOSURE") == "DISCLOSURE FUTURE");
}

TEST_CASE("the built-in lexicon reads community nurses and therapists as third parties") {
    const auto pack = built_in();
    CHECK(sole_disclosure_recipient(pack, "Liaised with the district nurses about wound care.") == "other");
}

TEST_CASE("the built-in lexicon reads every form of assault and threat as risk to others") {
    const auto pack = built_in();
    CHECK(labels(pack, "He has a history of assaulting his partner.") == std::vector<std::string>{"RISK_TO_OTHERS"});
    CHECK(labels(pack, "He threatens the neighbours when he drinks.") == std::vector<std::string>{"RISK_TO_OTHERS"});
}

TEST_CASE("the built-in lexicon reads when we may share as privacy information, not as consent") {
    const auto pack = built_in();
    CHECK(labels(pack, "Explained that we may share information without consent if someone is at risk.") == std::vector<std::string>{"PRIVACY_INFO"});
}

TEST_CASE("the built-in lexicon reads a relative's disagreement as their view and the client's as no agreement") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Son wants her to move to a care home; daughter disagrees.", "CLIENT_VIEW") == "CLIENT_VIEW OTHER");
    CHECK(labels(pack, "Son wants her to move to a care home; daughter disagrees.") == std::vector<std::string>{"CLIENT_VIEW", "CLIENT_VIEW"});
    CHECK(first_status(pack, "She disagrees with the revised support plan.", "CLIENT_AGREEMENT") == "CLIENT_AGREEMENT NEGATED");
}

TEST_CASE("the built-in lexicon reads the subject of a passive informing verb as the one informed") {
    const auto pack = built_in();
    CHECK(sole_disclosure_recipient(pack, "Adjuster was advised by CM that the claimant's surgery is booked for next week.") == "insurer");
}

TEST_CASE("the built-in lexicon reads the service's own case or care manager as no third party") {
    const auto pack = built_in();
    CHECK(labels(pack, "Care manager discussed a weekly pill organizer with him.") == std::vector<std::string>{"SELF_MANAGEMENT"});
    CHECK(labels(pack, "Discussed his return to work with his line manager.") == std::vector<std::string>{"DISCLOSURE"});
}

TEST_CASE("the built-in lexicon reads a sharing participle after a determiner as describing a document") {
    const auto pack = built_in();
    CHECK(labels(pack, "Went through the updated care plan with her daughter.").empty());
    CHECK(labels(pack, "Updated her daughter on the care plan.") == std::vector<std::string>{"DISCLOSURE"});
}

TEST_CASE("the built-in lexicon reads force by a person named right before it as harm to the client, else as the client's risk") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "She described her partner pushing her down the stairs.") == list{"SAFEGUARDING"});
    CHECK(labels(pack, "He has pushed her more than once at night.") == list{"RISK_TO_OTHERS"});
    CHECK(labels(pack, "Her husband has been hitting her when he is confused.") == list{"SAFEGUARDING"});
    CHECK(labels(pack, "He grabbed her wrist during an argument.") == list{"RISK_TO_OTHERS"});
}

TEST_CASE("the built-in lexicon reads words that say the client was harmed as no violence by the client") {
    const auto pack = built_in();
    CHECK(labels(pack, "She was assaulted by her ex-partner last year.") == std::vector<std::string>{"SAFEGUARDING"});
}

TEST_CASE("the built-in lexicon reads the abbreviation \"ref to\" as a referral") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Ref to reablement as unable to manage washing and dressing alone.", "DECISION") == "DECISION RATIONALE");
    CHECK(labels(pack, "Ref: 20-4471.").empty());
}

TEST_CASE("the built-in lexicon reads \"as a result\" as a reason and \"until then\" as no earlier occasion") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Reduced visits to fortnightly as a result.", "DECISION") == "DECISION RATIONALE");
    CHECK(first_status(pack, "Increased visits to daily until then.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads why the service is involved, what it does and the worker's own role as explaining the role") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Explained that the OT service is time-limited and focuses on daily living skills.") == list{"ROLE_EXPLAINED"});
    CHECK(labels(pack, "Caseworker explained why the Department is involved.") == list{"ROLE_EXPLAINED"});
    CHECK(labels(pack, "The care manager also explained her own role.") == list{"ROLE_EXPLAINED"});
}

TEST_CASE("the built-in lexicon reads a protection order, a mandatory report or someone having been hit as a safeguarding concern") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "A non-molestation order is in place against her ex-partner.") == list{"SAFEGUARDING"});
    CHECK(labels(pack, "Her son has been hit by his stepfather.") == list{"SAFEGUARDING"});
    // The report is both the concern and a disclosure under a legal duty.
    CHECK(labels(pack, "Worker made a mandatory report to the children's services hotline.") == list{"SAFEGUARDING", "DISCLOSURE"});
}

TEST_CASE("the built-in lexicon reads becoming aggressive, striking or lashing out as risk to others") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "He became aggressive when the visit ended.") == list{"RISK_TO_OTHERS"});
    CHECK(labels(pack, "She struck a carer during personal care.") == list{"RISK_TO_OTHERS"});
    CHECK(labels(pack, "Lashing out at staff when rushed.") == list{"RISK_TO_OTHERS"});
}

TEST_CASE("the built-in lexicon reads fluctuating or questionable capacity as uncertain") {
    const auto pack = built_in();
    const auto capacity = [&](const std::string& text) { return first_status(pack, text, "CAPACITY"); };
    CHECK(capacity("Mrs P has fluctuating capacity due to her dementia.") == "CAPACITY UNCERTAIN");
    CHECK(capacity("Capacity to make this decision questionable.") == "CAPACITY UNCERTAIN");
    CHECK(capacity("She has capacity to decide where to live.") == "CAPACITY");
    CHECK(capacity("No reason to doubt his capacity to decide where to live.") == "CAPACITY");
}

TEST_CASE("the built-in lexicon reads what a closure waits for as the reason it stays open") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Not appropriate to close while the capacity assessment is outstanding.", "CLOSURE") == "CLOSURE NEGATED RATIONALE");
    // Only a closure: a decision made while something else happens has no reason in that.
    CHECK(first_status(pack, "Referred to the falls team while she was on the ward.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads a named service or file that closes, ends or is exited as a closure") {
    const auto pack = built_in();
    const auto closure = [&](const std::string& text) { return first_status(pack, text, "CLOSURE"); };
    CHECK(closure("Support coordination has ended.") == "CLOSURE");
    CHECK(closure("He has exited the programme.") == "CLOSURE");
    CHECK(closure("Self-discharged from the falls clinic.") == "CLOSURE");
    CHECK(closure("The file is expected to close next month.") == "CLOSURE FUTURE");
    CHECK(closure("Not closed: the housing review is still outstanding.") == "CLOSURE NEGATED RATIONALE");
}

TEST_CASE("the built-in lexicon reads the sentence after a closure of up to four other words as its reason") {
    const auto pack = built_in();
    const auto closure = [&](const std::string& text) { return first_status(pack, text, "CLOSURE"); };
    CHECK(closure("Her file closed for case management. Back at work full time.") == "CLOSURE RATIONALE");
    // A closure sentence with more words of its own says what it has to say, and the next one is not its reason.
    CHECK(closure("Her file closed for case management today. Back at work full time.") == "CLOSURE");
}

namespace {

// The phrases of a lexicon entry's text, trimmed.
std::vector<std::string> phrases_of_entry(const pugi::xml_node entry) {
    std::vector<std::string> out;
    const std::string list = entry.text().get();
    std::size_t start = 0;
    while (start <= list.size()) {
        const auto bar = std::min(list.find('|', start), list.size());
        auto phrase = list.substr(start, bar - start);
        phrase.erase(0, phrase.find_first_not_of(" \t\r\n"));
        phrase.erase(phrase.find_last_not_of(" \t\r\n") + 1);
        if (!phrase.empty()) out.push_back(phrase);
        start = bar + 1;
    }
    return out;
}

pugi::xml_node builtin_lexicon_element(pugi::xml_document& document) {
    const auto xml = casecheck::text::builtin_lexicon_xml("en");
    REQUIRE(xml);
    REQUIRE(document.load_buffer(xml->data(), xml->size()));
    return document.child("lexicon");
}

}  // namespace

TEST_CASE("the built-in lexicon lists no phrase twice in one entry") {
    // A repeat is harmless to matching but hides how long a list really is, and invites the two to drift apart.
    pugi::xml_document document;
    for (const pugi::xml_node entry : builtin_lexicon_element(document).children()) {
        if (entry.type() != pugi::node_element) continue;
        std::set<std::string> seen;
        INFO("the <" << entry.name() << "> entry at byte " << entry.offset_debug());
        for (const auto& phrase : phrases_of_entry(entry)) CHECK(seen.insert(phrase).second);
    }
}

TEST_CASE("the built-in lexicon gives each recipient one role") {
    // Two roles for one phrase would leave the role to the order the lists happen to be in.
    pugi::xml_document document;
    std::map<std::string, std::string> role_of;
    for (const pugi::xml_node entry : builtin_lexicon_element(document).children("recipient")) {
        const std::string role = entry.attribute("role").value();
        for (const auto& phrase : phrases_of_entry(entry)) {
            INFO("\"" << phrase << "\" in the " << role << " list");
            const auto [it, added] = role_of.emplace(phrase, role);
            CHECK((added || it->second == role));
        }
    }
}

TEST_CASE("a pack's lexicon adds phrases to the inherited one") {
    auto pack = read_rule_pack(pack_with("<lexicon><target label=\"DECISION\">onward referral lodged</target></lexicon>"), "test");
    REQUIRE(pack.ok());
    CHECK(labels(pack.value(), "Onward referral lodged.") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("a pack's drop removes a phrase from every list") {
    auto pack = read_rule_pack(pack_with("<lexicon><drop>referred</drop></lexicon>"), "test");
    REQUIRE(pack.ok());
    CHECK(labels(pack.value(), "Referred to housing.").empty());
}

TEST_CASE("a pack can replace or drop the built-in rule that a closure's reason follows it") {
    const std::string note = "Case closed today. All equipment delivered and no further needs.";
    const auto closure_has_reason = [&](const std::string& lexicon) {
        auto pack = read_rule_pack(pack_with(lexicon), "test");
        REQUIRE(pack.ok());
        const casecheck::text::TextEngine engine(pack.value().lexicon);
        const auto analysis = engine.analyse(note);
        REQUIRE(analysis.statements.size() == 1);
        return analysis.statements[0].has("RATIONALE");
    };
    CHECK(closure_has_reason("<lexicon/>"));
    CHECK_FALSE(closure_has_reason("<lexicon><drop reason-follows=\"CLOSURE\"/></lexicon>"));
    // A restated rule replaces the built-in one instead of joining it: a closure sentence of
    // one word besides the closure is now too long, so no rule gives it the reason.
    CHECK_FALSE(closure_has_reason("<lexicon><reason-follows label=\"CLOSURE\" within=\"0\"/></lexicon>"));
    CHECK(closure_has_reason("<lexicon><reason-follows label=\"CLOSURE\" within=\"1\"/></lexicon>"));
}

TEST_CASE("a pack's word class replaces the inherited list of that class, and drop empties it") {
    using casecheck::text::WordClass;
    const auto words = [](const std::string& lexicon, WordClass word_class) {
        auto pack = read_rule_pack(pack_with(lexicon), "test");
        REQUIRE(pack.ok());
        return pack.value().lexicon.word_classes[word_class];
    };
    CHECK(words("<lexicon/>", WordClass::agent_marker) == std::vector<std::string>{"by"});
    // Words are kept in the tokenizer's normal form, so "Via" matches however it is written.
    CHECK(words("<lexicon><word-class name=\"agent-marker\">by|Via</word-class></lexicon>", WordClass::agent_marker) ==
          std::vector<std::string>{"by", "via"});
    CHECK(words("<lexicon><drop word-class=\"agent-marker determiner\"/></lexicon>", WordClass::determiner).empty());
    CHECK_FALSE(words("<lexicon><drop word-class=\"agent-marker\"/></lexicon>", WordClass::determiner).empty());
}

TEST_CASE("a phrase that names phrase sets stands for every combination of their phrases, the first set varying slowest") {
    auto pack = read_rule_pack(pack_with("<lexicon base=\"none\">"
                                         "<target label=\"DECISION\">passed to the {team} {when}|handed over</target>"
                                         "<phrase-set name=\"team\">duty team|night team</phrase-set>"
                                         "<phrase-set name=\"when\">today|at once</phrase-set></lexicon>"),
                               "test");
    REQUIRE(pack.ok());
    // The pack keeps the phrase as written, so a later pack that adds to a set extends it too.
    CHECK(pack.value().lexicon.targets.size() == 2);
    const casecheck::text::TextEngine engine(pack.value().lexicon);
    std::vector<std::string> phrases;
    for (const auto& target : engine.lexicon().targets) phrases.push_back(target.phrase);
    CHECK(phrases == std::vector<std::string>{"passed to the duty team today", "passed to the duty team at once", "passed to the night team today",
                                              "passed to the night team at once", "handed over"});
    CHECK(labels(pack.value(), "Passed to the night team at once.") == std::vector<std::string>{"DECISION"});
    CHECK(labels(pack.value(), "Passed to the day team today.").empty());
}

TEST_CASE("a pack's phrases join an inherited phrase set, and drop empties it, for every inherited phrase that names the set") {
    // The built-in reporting forms name {relative}: "her dad says" is the source of the view (REPORTED), not the one who holds it (OTHER).
    const std::string niece = "Her niece says she wants to stay at home.";
    const std::string dad = "Her dad says she wants to stay at home.";
    CHECK(first_status(built_in(), niece, "CLIENT_VIEW") == "CLIENT_VIEW OTHER");
    CHECK(first_status(built_in(), dad, "CLIENT_VIEW") == "CLIENT_VIEW REPORTED");

    auto extended = read_rule_pack(pack_with("<lexicon><phrase-set name=\"relative\">niece</phrase-set></lexicon>"), "test");
    REQUIRE(extended.ok());
    CHECK(first_status(extended.value(), niece, "CLIENT_VIEW") == "CLIENT_VIEW REPORTED");
    CHECK(first_status(extended.value(), dad, "CLIENT_VIEW") == "CLIENT_VIEW REPORTED");

    auto replaced = read_rule_pack(pack_with("<lexicon><drop phrase-set=\"relative\"/><phrase-set name=\"relative\">niece</phrase-set></lexicon>"), "test");
    REQUIRE(replaced.ok());
    CHECK(first_status(replaced.value(), niece, "CLIENT_VIEW") == "CLIENT_VIEW REPORTED");
    CHECK(first_status(replaced.value(), dad, "CLIENT_VIEW") == "CLIENT_VIEW OTHER");
}

TEST_CASE("base none starts a lexicon from nothing") {
    auto pack = read_rule_pack(pack_with("<lexicon base=\"none\"><target label=\"DECISION\">lodged</target></lexicon>"), "test");
    REQUIRE(pack.ok());
    CHECK(pack.value().lexicon.targets.size() == 1);
    CHECK(pack.value().lexicon.modifiers.empty());
}

TEST_CASE("a broken lexicon entry is refused with its line and column") {
    const auto refused = [](const std::string& lexicon, const std::string& expected) {
        auto pack = read_rule_pack(pack_with(lexicon), "org.xml");
        REQUIRE_FALSE(pack.ok());
        INFO(pack.failure().message);
        CHECK(pack.failure().message.find("org.xml, line 2") != std::string::npos);
        CHECK(pack.failure().message.find(expected) != std::string::npos);
    };
    refused("<lexicon><synonym>x</synonym></lexicon>", "unknown element <synonym>");
    refused("<lexicon><target label=\"decision\">x</target></lexicon>", "label must be capitals");
    refused("<lexicon><target label=\"DECISION\"> | </target></lexicon>", "lists no phrases");
    refused("<lexicon><modifier category=\"NEGATED\" direction=\"sideways\">no</modifier></lexicon>", "direction must be");
    refused("<lexicon><modifier category=\"NEGATED\" max-scope=\"-1\">no</modifier></lexicon>", "max-scope must be a whole number");
    refused("<lexicon><modifier category=\"NEGATED\" applies-to=\"A\" except=\"B\">no</modifier></lexicon>", "not both");
    refused("<lexicon><modifier category=\"HISTORICAL\" yields-to=\"future\">in may</modifier></lexicon>", "yields-to and ends list labels in capitals");
    refused("<lexicon><modifier category=\"TERMINATE\" ends=\"OTHER\">with her consent</modifier></lexicon>", "ends is for terminate triggers only");
    refused("<lexicon><modifier category=\"EXCEPTION\" reaches-next-sentence=\"yes\">meeting held</modifier></lexicon>", "reaches-next-sentence must be true or false");
    refused("<lexicon><modifier category=\"EXCEPTION\" direction=\"backward\" reaches-next-sentence=\"true\">meeting held</modifier></lexicon>", "for forward triggers only");
    refused("<lexicon><pronoun-subject sets=\"OTHER\"/></lexicon>", "pronoun-subject needs a modifier category");
    refused("<lexicon><pronoun-subject sets=\"OTHER\" labels=\"CLIENT_VIEW\" within=\"x\"/></lexicon>", "within must be a whole number");
    refused("<lexicon><joint-party sets=\"OTHER\" labels=\"CONSENT_SHARE\"/></lexicon>", "joint-party needs a modifier category");
    refused("<lexicon><joint-party sets=\"other\" labels=\"CONSENT_SHARE\" near=\"joint-party\"/></lexicon>", "joint-party needs a modifier category");
    refused("<lexicon><joint-party sets=\"OTHER\" labels=\"CONSENT_SHARE\" near=\"joint-party\" within=\"-1\"/></lexicon>", "within must be a whole number");
    refused("<lexicon><abbreviation>NFA</abbreviation></lexicon>", "needs an expansion");
    refused("<lexicon><abbreviation expansion=\"x\" context=\"ward\">NFA</abbreviation></lexicon>", "context must be any or medication");
    refused("<lexicon base=\"fr\"/>", "not a built-in lexicon");
    refused("<lexicon><relabel from=\"A\" to=\"B\"/></lexicon>", "near must list");
    refused("<lexicon><relabel from=\"A\" to=\"B\" near=\"sharing\" unbroken=\"yes\"/></lexicon>", "unbroken must be true or false");
    refused("<lexicon><inherit category=\"exception\" from=\"CONSENT_SHARE\" to=\"DISCLOSURE\"/></lexicon>", "inherit needs a modifier category");
    refused("<lexicon><inherit category=\"EXCEPTION\" from=\"CONSENT_SHARE\"/></lexicon>", "inherit needs a modifier category");
    refused("<lexicon><restate from=\"PRO_FORM\"/></lexicon>", "restate needs the pro-form's target label");
    refused("<lexicon><restate from=\"PRO_FORM\" labels=\"CONSENT_SHARE closure\"/></lexicon>", "restate needs the pro-form's target label");
    refused("<lexicon><restate from=\"BUT_NOT\" labels=\"CONSENT_SHARE\" passes-over=\"disclosure\"/></lexicon>", "restate needs the pro-form's target label");
    refused("<lexicon><relabel from=\"A\" to=\"B\" near=\"recipient\" side=\"left\"/></lexicon>", "side must be either, after or before");
    refused("<lexicon><relabel from=\"A\" to=\"B\" near=\"recipient\" sets=\"negated\"/></lexicon>", "sets lists modifier categories");
    refused("<lexicon><relabel from=\"A\" to=\"B\" near=\"sharing\" except-roles=\"family\"/></lexicon>", "except-roles belongs to a relabel near recipient");
    refused("<lexicon><relabel from=\"A\" to=\"B\" near=\"sharing\" roles=\"family\"/></lexicon>", "roles belongs to a relabel near recipient");
    refused("<lexicon><target label=\"DECISION\" colour=\"red\">x</target></lexicon>", "unknown attribute \"colour\"");
    refused("<lexicon><target label=\"DECISION\" opens=\"line\">x</target></lexicon>", "opens may only be");
    refused("<lexicon><modifier category=\"NEGATED\" direction=\"backward\" closes=\"line\">: no</modifier></lexicon>", "closes may only be");
    refused("<lexicon><modifier category=\"NEGATED\" direction=\"backward\" opens=\"line\">no</modifier></lexicon>", "opens may only be");
    refused("<lexicon><reason-follows label=\"closure\"/></lexicon>", "reason-follows needs a target label");
    refused("<lexicon><reason-follows label=\"CLOSURE\" unless=\"decision\"/></lexicon>", "unless lists target labels");
    refused("<lexicon><reason-follows label=\"CLOSURE\" within=\"two\"/></lexicon>", "within must be a whole number");
    refused("<lexicon><drop reason-follows=\"closure\"/></lexicon>", "reason-follows lists target labels");
    refused("<lexicon><suppress label=\"DISCLOSURE\" after=\"CONSENT_SHARE\" nonfinite-within=\"ten\"/></lexicon>", "nonfinite-within must be");
    refused("<lexicon><suppress label=\"DISCLOSURE decision\" after=\"CONSENT_SHARE\"/></lexicon>", "suppress needs its labels");
    refused("<lexicon><suppress label=\"\" after=\"CONSENT_SHARE\"/></lexicon>", "suppress needs its labels");
    refused("<lexicon><suppress label=\"CONSENT_SHARE\" after=\"DISCLOSURE\" only-with=\"negated\"/></lexicon>", "only-with lists modifier categories");
    refused("<lexicon><word-class name=\"article\">the</word-class></lexicon>", "word classes are no-break-after, agent-marker");
    refused("<lexicon><drop word-class=\"article\"/></lexicon>", "word classes are");
    refused("<lexicon><word-class name=\"determiner\">the|this one</word-class></lexicon>", "lists single words");
    refused("<lexicon><word-class name=\"determiner\"> </word-class></lexicon>", "lists no phrases");
    refused("<lexicon><target label=\"DECISION\">told {relative</target></lexicon>", "none left open or nested");
    refused("<lexicon><target label=\"DECISION\">told relative}</target></lexicon>", "none left open or nested");
    refused("<lexicon><target label=\"DECISION\">told {{relative}}</target></lexicon>", "none left open or nested");
    refused("<lexicon><target label=\"DECISION\">told {Relative}</target></lexicon>", "phrase set names are lower-case");
    refused("<lexicon><target label=\"DECISION\">told {}</target></lexicon>", "phrase set names are lower-case");
    refused("<lexicon><target label=\"DECISION\">told {stepfamily}</target></lexicon>", "phrase set {stepfamily} is not defined");
    refused("<lexicon><target label=\"DECISION\">{relative} {saying} {relative}</target></lexicon>", "names at most 2 phrase sets");
    refused("<lexicon><longest-wins labels=\"CONSENT\"/></lexicon>", "longest-wins lists two or more target labels");
    refused("<lexicon><longest-wins labels=\"CONSENT consent_share\"/></lexicon>", "longest-wins lists two or more target labels");
    refused("<lexicon><longest-wins labels=\"A B\" within=\"2\"/></lexicon>", "unknown attribute \"within\"");
    refused("<lexicon><one-per-sentence labels=\"\"/></lexicon>", "one-per-sentence lists target labels");
    refused("<lexicon><one-per-sentence labels=\"safeguarding\"/></lexicon>", "one-per-sentence lists target labels");
    refused("<lexicon><one-per-note labels=\"closure\"/></lexicon>", "one-per-note lists target labels");
    refused("<lexicon><phrase-set>mum</phrase-set></lexicon>", "<phrase-set> needs a name");
    refused("<lexicon><phrase-set name=\"kin\">mum|{relative}</phrase-set></lexicon>", "name no other set");
    refused("<lexicon><phrase-set name=\"kin\"> | </phrase-set></lexicon>", "lists no phrases");
    refused("<lexicon><drop phrase-set=\"stepfamily\"/></lexicon>", "phrase-set lists the names of phrase sets");
    refused("<lexicon><word-class name=\"determiner\">{determiner}</word-class></lexicon>", "lists single words");
    std::string many;
    for (std::size_t i = 0; i <= casecheck::text::max_phrases_in_set; ++i) many += "kin" + std::to_string(i) + "|";
    refused("<lexicon><phrase-set name=\"kin\">" + many + "</phrase-set></lexicon>", "holds at most 256 phrases");
    // 256 x 256 phrases per entry: sixteen such entries stand for more than the million phrases a lexicon may hold.
    std::string full;
    for (std::size_t i = 0; i < casecheck::text::max_phrases_in_set; ++i) full += "kin" + std::to_string(i) + "|";
    std::string pairs;
    for (int i = 0; i < 16; ++i) pairs += "{kin} met {kin} " + std::to_string(i) + "|";
    refused("<lexicon><phrase-set name=\"kin\">" + full + "</phrase-set><target label=\"DECISION\">" + pairs + "</target></lexicon>",
            "stands for more than 1000000 phrases");
}

TEST_CASE("lexicon errors never quote the pack's phrases") {
    auto pack = read_rule_pack(pack_with("<lexicon><target label=\"bad label\">Mrs Example's secret phrase</target></lexicon>"), "org.xml");
    REQUIRE_FALSE(pack.ok());
    CHECK(pack.failure().message.find("secret") == std::string::npos);
}

TEST_CASE("the built-in lexicon reads a change in how much service the client gets as a decision, and a symptom easing as none") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Increased home care to twice daily after the second fall.", "DECISION") == "DECISION RATIONALE");
    CHECK(first_status(pack, "Support hours were reduced from 12 to 8 a week.", "DECISION") == "DECISION");
    CHECK(first_status(pack, "Contact frequency will be reduced to fortnightly.", "DECISION") == "DECISION FUTURE");
    CHECK(first_status(pack, "Moved to monthly reviews.", "DECISION") == "DECISION");
    CHECK(labels(pack, "Her anxiety has reduced since the move.").empty());
    // A decline in health is the reason, not a refusal of the decision.
    CHECK(first_status(pack, "Reduced visits as her mobility has declined.", "DECISION") == "DECISION RATIONALE");
}

TEST_CASE("the built-in lexicon reads a case that was closed, or a client exited from a program, as a closure") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Her case was closed on 3/14 as she moved out of state.", "CLOSURE") == "CLOSURE RATIONALE");
    CHECK(first_status(pack, "Exited from the housing program today.", "CLOSURE") == "CLOSURE");
    CHECK(labels(pack, "The office was closed on Monday.").empty());
}

TEST_CASE("the built-in lexicon reads a month as the past, unless the statement is in the future") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Case closed in June as she moved away.", "CLOSURE") == "CLOSURE HISTORICAL RATIONALE");
    CHECK(first_status(pack, "Consent to share with the school was given in March.", "CONSENT_SHARE") == "CONSENT_SHARE HISTORICAL");
    CHECK(first_status(pack, "File to be closed in June when the work trial ends.", "CLOSURE") == "CLOSURE FUTURE");
    CHECK(first_status(pack, "Will refer her to the falls clinic in April.", "DECISION") == "DECISION FUTURE");
}

TEST_CASE("the built-in lexicon reads \"she\" or \"he\" after a relative of that gender as the relative, when the client is of the other") {
    const auto pack = built_in();
    CHECK(first_status(pack, "His wife rang to say he has been up all night again; she wants him to go into respite.", "CLIENT_VIEW") ==
          "CLIENT_VIEW OTHER");
    CHECK(first_status(pack, "Spoke with her son about the move, and he would prefer that she moves to a bungalow.", "CLIENT_VIEW") ==
          "CLIENT_VIEW OTHER");
    CHECK(first_status(pack, "Her son visited; she says she would like to go home.", "CLIENT_VIEW") == "CLIENT_VIEW");
}

TEST_CASE("the built-in lexicon reads a consent with its own possessive as the client's, and a relative after a consent to share as its recipient") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Spoke to her son about the equipment, with her agreement.", "CONSENT_SHARE") == "CONSENT_SHARE");
    CHECK(first_status(pack, "Discussed the plan with the crisis team and her sister, with her consent.", "CONSENT_SHARE") == "CONSENT_SHARE");
    CHECK(first_status(pack, "She does not consent to her mother being told about the clinic.", "CONSENT_SHARE") == "CONSENT_SHARE NEGATED");
    CHECK(first_status(pack, "Her son consented to the referral on her behalf.", "CONSENT_SHARE") == "CONSENT_SHARE OTHER");
}

TEST_CASE("the built-in lexicon reads a sharing done by the worker after \"with her consent\" as a disclosure") {
    const auto pack = built_in();
    CHECK(labels(pack, "With her consent I sent the discharge summary to her GP.") == std::vector<std::string>{"CONSENT_SHARE", "DISCLOSURE"});
    CHECK(labels(pack, "He agreed I could share the plan with his GP.") == std::vector<std::string>{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads agreeing with the closure as agreement with one already recorded, not a second closure") {
    const auto pack = built_in();
    CHECK(labels(pack, "Case closed as all goals are met; she agreed with the closure.") ==
          std::vector<std::string>{"CLOSURE", "CLIENT_AGREEMENT"});
    CHECK(labels(pack, "She agreed with the plan. Closure next month.") == std::vector<std::string>{"CLIENT_AGREEMENT", "CLOSURE"});
}

TEST_CASE("the built-in lexicon reads \"given\" before what a reason is about as a decision's reason, and before a leaflet as none") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Visits reduced to weekly given her progress at the day centre.", "DECISION") == "DECISION RATIONALE");
    CHECK(first_status(pack, "Referred to the falls clinic, given the leaflet on home safety.", "DECISION") == "DECISION");
}

TEST_CASE("the built-in lexicon reads \"discussed\" with a consent beside it as a disclosure to a recipient named after the topic") {
    const auto pack = built_in();
    CHECK(disclosure_recipients(pack, "Discussed her rent arrears and the missed payments with her housing officer, with her consent.") ==
          std::vector<std::string>{"housing"});
    // Without the consent, a recipient that far away is small talk's, not the discussion's.
    CHECK(labels(pack, "Discussed the weekend football results with him while we waited for his GP appointment.").empty());
}

TEST_CASE("the built-in lexicon reads a professional's or an agency's agreement as no agreement of the client's") {
    const auto pack = built_in();
    CHECK(labels(pack, "GP agreed to review her medication.").empty());
    CHECK(labels(pack, "The landlord agreed to fix the boiler.").empty());
    CHECK(labels(pack, "The MDT agreed to the plan.").empty());
    CHECK(statuses(pack, "Her daughter agreed to the plan.", "CLIENT_AGREEMENT") == std::vector<std::string>{"CLIENT_AGREEMENT OTHER"});
    CHECK(statuses(pack, "Told the GP she agreed to the plan.", "CLIENT_AGREEMENT") == std::vector<std::string>{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads a professional's or an agency's refusal as no refusal of the client's") {
    const auto pack = built_in();
    CHECK(labels(pack, "Her GP declined the referral.").empty());
    CHECK(labels(pack, "Her landlord refused to let us into the building.").empty());
    CHECK(statuses(pack, "Her daughter refused to let us into the building.", "CONSENT_ENGAGE") ==
          std::vector<std::string>{"CONSENT_ENGAGE NEGATED OTHER"});
}

TEST_CASE("the built-in lexicon reads a pronoun after \"discussed\" as the topic, not the one told") {
    const auto pack = built_in();
    CHECK(disclosure_recipients(pack, "Discussed him with the GP.") == std::vector<std::string>{"gp"});
    CHECK(disclosure_recipients(pack, "Told him about the GP letter.").empty());
}

TEST_CASE("the built-in lexicon reads welfare offices outside the UK as a benefits recipient") {
    const auto pack = built_in();
    CHECK(sole_disclosure_recipient(pack, "Sent the medical certificate to Centrelink.") == "benefits");
    CHECK(sole_disclosure_recipient(pack, "Sent a supporting letter to the social welfare office.") == "benefits");
}

TEST_CASE("the built-in lexicon reads \"but not\" after a consent or a capacity as the same statement, negated") {
    const auto pack = built_in();
    CHECK(statuses(pack, "He is happy for his sister to be kept informed but not his parents.", "CONSENT_SHARE") ==
          std::vector<std::string>{"CONSENT_SHARE", "CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consented to information being shared with occupational health; however not with his line manager.", "CONSENT_SHARE") ==
          std::vector<std::string>{"CONSENT_SHARE", "CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Has capacity for day-to-day choices but not for the litigation.", "CAPACITY") ==
          std::vector<std::string>{"CAPACITY", "CAPACITY NEGATED"});
    CHECK(labels(pack, "No risk to self but not settled either.") == std::vector<std::string>{"RISK_TO_SELF"});
}

TEST_CASE("the built-in lexicon reads treating doctors, accident insurers, refuges and records released to them as disclosures") {
    const auto pack = built_in();
    CHECK(sole_disclosure_recipient(pack, "Plan forwarded to his nominated treating doctor.") == "gp");
    CHECK(sole_disclosure_recipient(pack, "Weekly report sent to ACC.") == "insurer");
    CHECK(sole_disclosure_recipient(pack, "Safety plan shared with the women's refuge.") == "other");
    CHECK(sole_disclosure_recipient(pack, "Her records were released to the attorney.") == "solicitor");
    CHECK(sole_disclosure_recipient(pack, "Update given to the employer's RTW coordinator.") == "employer");
}

TEST_CASE("the built-in lexicon reads \"as she asked me not to\" after a sharing not done as refusing consent to share") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Did not pass the report to his probation officer as he asked me not to.", "CONSENT_SHARE") ==
          std::vector<std::string>{"CONSENT_SHARE NEGATED"});
    // With no sharing before it, the request is about something else, and no consent statement.
    CHECK(statuses(pack, "Did not visit on Friday as she asked me not to.", "CONSENT_SHARE").empty());
}

TEST_CASE("the built-in lexicon reads an agreement or a refusal on the client's behalf as a relative's proxy consent") {
    const auto pack = built_in();
    CHECK(labels(pack, "His wife agreed on his behalf to the new care package.") == std::vector<std::string>{"CONSENT_ENGAGE"});
    CHECK(first_status(pack, "His wife agreed on his behalf to the new care package.", "CONSENT_ENGAGE") == "CONSENT_ENGAGE OTHER");
    CHECK(first_status(pack, "Her son has agreed, on his mother's behalf, to the respite stay.", "CONSENT_ENGAGE") ==
          "CONSENT_ENGAGE OTHER");
    CHECK(labels(pack, "Her partner refused on her behalf for us to tell the surgery.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(first_status(pack, "Her partner refused on her behalf for us to tell the surgery.", "CONSENT_SHARE") ==
          "CONSENT_SHARE NEGATED OTHER");
    CHECK(first_status(pack, "Consent to the referral was given on the patient's behalf.", "CONSENT_SHARE") == "CONSENT_SHARE OTHER");
    // Agreeing to the plan in her own name stays her agreement.
    CHECK(labels(pack, "She agreed to the new care package.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads a discharge given with its reason as a closure and an original closure as past") {
    const auto pack = built_in();
    CHECK(first_status(pack, "Seen by the falls team in 2021; discharged because her balance had recovered.", "CLOSURE") ==
          "CLOSURE RATIONALE");
    CHECK(first_status(pack, "The file was originally closed because he found work.", "CLOSURE") == "CLOSURE HISTORICAL RATIONALE");
    // A hospital discharge with no reason given is no closure of the case.
    CHECK(labels(pack, "Pt discharged home from the ward at noon.").empty());
}

TEST_CASE("the built-in lexicon reads a capacity assessment still to come as a planned capacity statement") {
    const auto pack = built_in();
    CHECK(statuses(pack, "Referred to the memory service for a formal capacity assessment.", "CAPACITY") ==
          std::vector<std::string>{"CAPACITY FUTURE"});
    CHECK(statuses(pack, "Lacks capacity to decide on the sale of the house; formal assessment to follow.", "CAPACITY") ==
          std::vector<std::string>{"CAPACITY NEGATED", "CAPACITY FUTURE"});
    CHECK(statuses(pack, "Capacity about the move is unclear. The social worker will assess it on Monday.", "CAPACITY") ==
          std::vector<std::string>{"CAPACITY UNCERTAIN", "CAPACITY FUTURE"});
    // After any other statement, an assessment to follow plans no capacity statement.
    CHECK(labels(pack, "Referred to the falls clinic; assessment to follow.") == std::vector<std::string>{"DECISION"});
}

TEST_CASE("the built-in lexicon reads intent and plan denied after a passive thought as a negated risk to self of its own") {
    const auto pack = built_in();
    CHECK(statuses(pack, "He spoke of not wanting to wake up but no plan or intent.", "RISK_TO_SELF") ==
          std::vector<std::string>{"RISK_TO_SELF", "RISK_TO_SELF NEGATED"});
    CHECK(statuses(pack, "Thoughts of self-harm but no plan.", "RISK_TO_SELF") == std::vector<std::string>{"RISK_TO_SELF"});
    CHECK(labels(pack, "No intent or plan to harm others.") == std::vector<std::string>{"RISK_TO_OTHERS"});
}

TEST_CASE("the built-in lexicon reads \"without\" before help or a walking aid as no exception to consent") {
    const auto pack = built_in();
    CHECK(first_status(pack, "She refused the reablement package and will manage without support.", "CONSENT_ENGAGE") ==
          "CONSENT_ENGAGE NEGATED");
    CHECK(first_status(pack, "Shared the address with the police without her consent.", "DISCLOSURE") == "DISCLOSURE EXCEPTION");
}

TEST_CASE("the built-in lexicon reads a client who has not made up her mind as holding an uncertain view") {
    const auto pack = built_in();
    CHECK(statuses(pack, "She is still undecided about moving into extra care housing.", "CLIENT_VIEW") ==
          std::vector<std::string>{"CLIENT_VIEW UNCERTAIN"});
    CHECK(statuses(pack, "He is in two minds about the day centre.", "CLIENT_VIEW") == std::vector<std::string>{"CLIENT_VIEW UNCERTAIN"});
}

TEST_CASE("the built-in lexicon reads self-care tools and mutual aid named from the guide as self-management") {
    const auto pack = built_in();
    CHECK(labels(pack, "She uses a pill reminder on her phone for the evening dose.") == std::vector<std::string>{"SELF_MANAGEMENT"});
    CHECK(labels(pack, "He has started going to Narcotics Anonymous on Thursdays.") == std::vector<std::string>{"SELF_MANAGEMENT"});
    CHECK(labels(pack, "She now self-injects her insulin twice a day.") == std::vector<std::string>{"SELF_MANAGEMENT"});
    // A carers' peer group is the client's own support, not a relative's.
    CHECK(statuses(pack, "Gave him details of the carers' peer group.", "SELF_MANAGEMENT") ==
          std::vector<std::string>{"SELF_MANAGEMENT"});
    // Someone living alone manages nothing by that alone.
    CHECK(labels(pack, "Lives on her own in a ground floor flat.").empty());
}

TEST_CASE("the built-in lexicon reads a verb of explaining before the worker's role or remit as the role explained") {
    const auto pack = built_in();
    CHECK(labels(pack, "SW went over her role as care coordinator.") == std::vector<std::string>{"ROLE_EXPLAINED"});
    CHECK(labels(pack, "Introduced self and role to Mr P.") == std::vector<std::string>{"ROLE_EXPLAINED"});
    CHECK(labels(pack, "Clarified the remit of the team at the first visit.") == std::vector<std::string>{"ROLE_EXPLAINED"});
    CHECK(labels(pack, "Gave her the team leaflet.") == std::vector<std::string>{"ROLE_EXPLAINED"});
    // A service user is the client, and a client describing her own role explains no service.
    CHECK(labels(pack, "Explained the service user's needs to the duty worker.").empty());
    CHECK(labels(pack, "Pt described her role as main carer.").empty());
}

TEST_CASE("the built-in lexicon names the police and child protection agencies and posts of each jurisdiction as recipients") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(disclosure_recipients(pack, "Shared the relapse plan with his parole officer.") == list{"probation"});
    CHECK(disclosure_recipients(pack, "Passed the address to the Gardai.") == list{"police"});
    CHECK(disclosure_recipients(pack, "Sent the chronology to the child protection team.") == list{"social-services"});
    CHECK(disclosure_recipients(pack, "Emailed the head of year about her attendance.") == list{"school"});
    CHECK(disclosure_recipients(pack, "Updated her mother-in-law after the visit.") == list{"family"});
}

TEST_CASE("the built-in lexicon reads leave given to the worker to contact someone as consent to share") {
    const auto pack = built_in();
    CHECK(labels(pack, "She said we could speak to her landlord about the repairs.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(labels(pack, "Okay for us to update his sister after each visit.") == std::vector<std::string>{"CONSENT_SHARE"});
    CHECK(labels(pack, "Signed a third party authority for the energy supplier.") == std::vector<std::string>{"CONSENT_SHARE"});
    // Agreeing to make a call oneself is the client's own action.
    CHECK(labels(pack, "He agreed to call his GP about the rash.") == std::vector<std::string>{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads openness to the service or a refusal of it as consent to engage") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "She is open to weekly visits from the team.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE"});
    CHECK(statuses(pack, "Mrs K is receptive to support coordination.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE"});
    CHECK(statuses(pack, "Not interested in further contact at this stage.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    CHECK(statuses(pack, "Turned down a needs assessment for now.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    // A refused service is one statement, not also a refused consent to share because sharing follows it.
    CHECK(statuses(pack, "Declined support; happy for us to speak to her GP.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    // Not wanting a kind of contact is the client's view, as the annotators read it.
    CHECK(labels(pack, "He does not want home visits.") == list{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads a consent after a professional named in its sentence as consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Discussed pt's discharge needs with the hospital SW; pt gave verbal consent for this.", "CONSENT_SHARE") ==
          list{"CONSENT_SHARE"});
    // A relative before a consent is the one who gives it, and a service named after it is what was consented to.
    CHECK(labels(pack, "Her son consented to the assessment.") == list{"CONSENT_ENGAGE"});
    CHECK(statuses(pack, "Spoke with the GP about his leg ulcer; he consented to a district nurse visit.", "CONSENT_ENGAGE") ==
          list{"CONSENT_ENGAGE"});
}

TEST_CASE("the built-in lexicon reads a refused care service as a refused consent to engage") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Pt declined home health.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    CHECK(statuses(pack, "She turned down personal care for now.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    CHECK(statuses(pack, "He is willing to try respite.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE"});
}

TEST_CASE("the built-in lexicon reads a power of attorney as a relative's authority and not as a lawyer") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Her daughter holds enduring power of attorney and agreed on Mum's behalf to the assessment.") == list{"CONSENT_ENGAGE"});
    // "Attorney" alone is a lawyer.
    CHECK(disclosure_recipients(pack, "Sent the report to his attorney.") == list{"solicitor"});
}

TEST_CASE("the built-in lexicon reads an assent in a relative clause as assent to the act before it") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    // The clause has its own tense: the sharing is planned, the consent to it is given now.
    CHECK(statuses(pack, "Will raise this with her psychologist, which the participant has agreed to.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Weekly visits will continue, which she is happy with.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE"});
    CHECK(labels(pack, "Goals reset to walking daily, which he agreed to.") == list{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads the proposed thing as a noun and not as a plan") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Spoke with his solicitor about the proposed move, with his written consent.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    // A proposal made by the writer still plans what it proposes.
    CHECK(statuses(pack, "Proposed to refer her to the falls clinic.", "DECISION") == list{"DECISION FUTURE"});
}

TEST_CASE("the built-in lexicon reads not wanting a referral as a refused consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Did not want a pain clinic referral.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    // Not wanting anything else, and wanting a referral, stay the client's view.
    CHECK(labels(pack, "He doesn't want any visits at the weekend.") == list{"CLIENT_VIEW"});
    CHECK(labels(pack, "Would like a referral to the memory clinic.") == list{"CLIENT_VIEW"});
}

TEST_CASE("the built-in lexicon reads a consent or agreement given together as the client's and the other person's") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "J and her mum both agreed to the plan.", "CLIENT_AGREEMENT") == list{"CLIENT_AGREEMENT", "CLIENT_AGREEMENT OTHER"});
    CHECK(statuses(pack, "Client and her husband signed consent for us to speak with their landlord.", "CONSENT_SHARE") ==
          list{"CONSENT_SHARE", "CONSENT_SHARE OTHER"});
    CHECK(statuses(pack, "Discussed her attendance with the school, with YP's and Mum's consent.", "CONSENT_SHARE") ==
          list{"CONSENT_SHARE", "CONSENT_SHARE OTHER"});
    // One person's consent stays one statement.
    CHECK(statuses(pack, "Her mum agreed to the plan.", "CLIENT_AGREEMENT") == list{"CLIENT_AGREEMENT OTHER"});
}

TEST_CASE("the built-in lexicon reads a refusal that opens a note with its negation fused to the consent as a refusal") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Not happy for us to contact her GP.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Not willing to engage with the team at present.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    // A negation that is part of the statement's own words does not negate it.
    CHECK(statuses(pack, "He is not eating and has lost weight.", "RISK_TO_SELF") == list{"RISK_TO_SELF"});
}

TEST_CASE("the built-in lexicon reads with her consent after a service and no sharing as consent to engage") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Enrolled in the care coordination program with her consent.") == list{"CONSENT_ENGAGE"});
    CHECK(labels(pack, "With her consent, home visits will start next week.") == list{"CONSENT_ENGAGE"});
    // With a sharing act or a recipient it lets the worker share, as before.
    CHECK(statuses(pack, "With her consent, I sent the visit notes to the GP.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Sent the report to her GP with her consent.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads a negated perfect after a statement as its negation") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Consent to share has not yet been obtained.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Capacity has not been assessed.", "CAPACITY") == list{"CAPACITY NEGATED"});
    CHECK(statuses(pack, "She refused to sign the release, so records have not been sent to her GP.", "DISCLOSURE") == list{"DISCLOSURE NEGATED"});
    // A consent that has not been revisited still stands.
    CHECK(statuses(pack, "Consent to share was given at registration in 2022 and has not been revisited.", "CONSENT_SHARE") ==
          list{"CONSENT_SHARE HISTORICAL"});
}

TEST_CASE("the built-in lexicon reads a statement never or not yet done as negated on either side of it") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Has not been assessed for capacity.", "CAPACITY") == list{"CAPACITY NEGATED"});
    CHECK(statuses(pack, "Capacity not yet assessed.", "CAPACITY") == list{"CAPACITY NEGATED"});
    CHECK(statuses(pack, "Consent to share is yet to be obtained.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consent withheld for sharing with her mother.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consent to share with the school was never obtained.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
}

TEST_CASE("the built-in lexicon reads a referral named first and made after its recipient as a decision") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Referral to OT made.", "DECISION") == list{"DECISION"});
    CHECK(statuses(pack, "Referral to the falls clinic not made as she declined.", "DECISION") == list{"DECISION NEGATED RATIONALE"});
    // The noun alone is no decision.
    CHECK(labels(pack, "The referral to OT is on file.").empty());
    CHECK(labels(pack, "Referral to OT for a bathing assessment.").empty());
}

TEST_CASE("the built-in lexicon reads asking that someone not be told as a refused consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    // The client's refusal, not the view or refusal of the one who is not to be told, and no disclosure.
    CHECK(labels(pack, "She asked that her GP not be told.") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "She asked that her GP not be told.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(labels(pack, "She would prefer her mum not to be told.") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "She would prefer her mum not to be told.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Nothing was sent to her son, as she has asked that he not be involved.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    // A disclosure not made stays one.
    CHECK(labels(pack, "Her GP was not told.") == list{"DISCLOSURE"});
    CHECK(statuses(pack, "Her GP was not told.", "DISCLOSURE") == list{"DISCLOSURE NEGATED"});
}

TEST_CASE("the built-in lexicon reads being ok with the worker sharing as consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "She is ok with us calling her daughter.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    // The sharing consented to is its content, not a disclosure made.
    CHECK(labels(pack, "He is fine with us sending the discharge summary to his PCP.") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "He is not happy with us speaking to his GP.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
}

TEST_CASE("the built-in lexicon reads telling the client how the service shares as privacy information and not as a disclosure") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Explained that we share information with her GP as part of her care.") == list{"PRIVACY_INFO"});
    // Sharing done is still a disclosure.
    CHECK(labels(pack, "Shared the care plan with her GP.") == list{"DISCLOSURE"});
}

TEST_CASE("the built-in lexicon reads may lack capacity as an uncertain absence of capacity") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "He may lack capacity to manage his affairs.", "CAPACITY") == list{"CAPACITY NEGATED UNCERTAIN"});
    CHECK(statuses(pack, "She may not have capacity regarding the move.", "CAPACITY") == list{"CAPACITY NEGATED UNCERTAIN"});
    CHECK(statuses(pack, "She lacks capacity regarding the move.", "CAPACITY") == list{"CAPACITY NEGATED"});
}

TEST_CASE("the built-in lexicon reads agreeing for someone to be told as consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "She agreed for her son to be told about the diagnosis.") == list{"CONSENT_SHARE"});
    CHECK(labels(pack, "She agreed for the carers to come twice a day.") == list{"CLIENT_AGREEMENT"});
}

TEST_CASE("the built-in lexicon reads the worker told by a professional as information received and not as a disclosure") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "GP phoned to update us on her bloods.").empty());
    // A relative updated by the worker is told about the client.
    CHECK(disclosure_recipients(pack, "Called his mother to update her.") == list{"family"});
}

TEST_CASE("the built-in lexicon reads a form field with a negative answer as negated") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Consent to share: no.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consent to share: N", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consent to share: yes.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Risk to self: nil.", "RISK_TO_SELF") == list{"RISK_TO_SELF NEGATED"});
    CHECK(statuses(pack, "Suicidal ideation: denies.", "RISK_TO_SELF") == list{"RISK_TO_SELF NEGATED"});
    // A field's answer ends its sentence: the next one is not negated, and a reason after a colon is no answer.
    CHECK(statuses(pack, "Consent to share: no. Referred to OT.", "DECISION") == list{"DECISION"});
    CHECK(statuses(pack, "Case closed: no further needs.", "CLOSURE") == list{"CLOSURE RATIONALE"});
}

TEST_CASE("the built-in lexicon reads a negative answer to a question as negating what was asked") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Any safeguarding concerns? No.", "SAFEGUARDING") == list{"SAFEGUARDING NEGATED"});
    CHECK(statuses(pack, "Is there consent to share? No.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Consent to share obtained? Yes.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Consent to share: no - she wants to think about it.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
}

TEST_CASE("the built-in lexicon reads a consent still to be obtained as planned and not as given") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Consent to be obtained.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE FUTURE"});
    CHECK(statuses(pack, "Consent to share to be sought prior to referral.", "CONSENT_SHARE") == list{"CONSENT_SHARE FUTURE"});
    CHECK(statuses(pack, "Will seek consent to share with her GP.", "CONSENT_SHARE") == list{"CONSENT_SHARE FUTURE"});
}

TEST_CASE("the built-in lexicon reads consents that could not be given or are in doubt with their status") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Consent to share could not be obtained because she was asleep.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Client too unwell to consent today.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    CHECK(statuses(pack, "Undecided about consent to share with school.", "CONSENT_SHARE") == list{"CONSENT_SHARE UNCERTAIN"});
}

TEST_CASE("the built-in lexicon reads a refusal of an offer as a refused consent") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Offered a referral to the falls clinic, which she declined.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "Offered weekly visits, which he declined.", "CONSENT_ENGAGE") == list{"CONSENT_ENGAGE NEGATED"});
    CHECK(statuses(pack, "She said no to the referral.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "He said yes to the referral.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads agreeing not to refer as a decision not to refer") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Agreed not to refer to housing.", "DECISION") == list{"DECISION NEGATED"});
    CHECK(labels(pack, "Agreed not to refer to housing.") == list{"DECISION"});
    // An agreement and a referral joined by "and" are two acts, not a consent to share.
    CHECK(labels(pack, "Agreed the plan and referred to OT.") == list{"CLIENT_AGREEMENT", "DECISION"});
    CHECK(labels(pack, "She agreed to her details going to the GP.") == list{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon reads a release of information not signed as a refused consent to share") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(labels(pack, "Member declined to sign ROI for her PCP.") == list{"CONSENT_SHARE"});
    CHECK(statuses(pack, "Member declined to sign ROI for her PCP.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "ROI not signed.", "CONSENT_SHARE") == list{"CONSENT_SHARE NEGATED"});
    CHECK(statuses(pack, "ROI signed for PCP.", "CONSENT_SHARE") == list{"CONSENT_SHARE"});
}

TEST_CASE("the built-in lexicon keeps a sharing that will not happen planned and negated") {
    const auto pack = built_in();
    using list = std::vector<std::string>;
    CHECK(statuses(pack, "Information will not be shared with her employer.", "DISCLOSURE") == list{"DISCLOSURE FUTURE NEGATED"});
}
