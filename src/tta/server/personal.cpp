#include "tta/server/personal.hpp"

namespace tta::server {
namespace {

constexpr std::uint8_t kPlainEscape = 0x00;
constexpr std::uint8_t kSealedTag = 0x01;

std::string TurnContext(std::string_view session_id) {
    return "turn:" + std::string(session_id);
}
std::string CharacterContext(std::string_view id) { return "character:" + std::string(id); }
std::string SafetyEventContext(std::string_view user) {
    return "safety_event:" + std::string(user);
}
std::string SafetyPlanContext(std::string_view user) { return "safety_plan:" + std::string(user); }
std::string CheckInContext(std::string_view user) { return "check_in:" + std::string(user); }
std::string MeasureContext(std::string_view user) { return "measure:" + std::string(user); }
std::string JournalContext(std::string_view user) { return "journal:" + std::string(user); }

}  // namespace

// --- PersonalKeys ---

PersonalKeys::PersonalKeys(store::AccountStore& accounts, const auth::MasterKey& master,
                           std::size_t max_cached)
    : accounts_(accounts), master_(master), max_cached_(max_cached) {}

Result<std::shared_ptr<const auth::DataKey>> PersonalKeys::KeyOf(std::string_view user_id) {
    // Nobody owns it (offline play before accounts): there is no key to seal with.
    if (user_id.empty()) return std::shared_ptr<const auth::DataKey>();
    {
        std::lock_guard lock(mu_);
        auto it = keys_.find(std::string(user_id));
        if (it != keys_.end()) return it->second;
    }
    auto user = accounts_.GetUser(user_id);
    if (!user) return user.error();
    std::shared_ptr<const auth::DataKey> key;
    if (!user->wrapped_key.empty()) {
        auto unwrapped = master_.UnwrapDataKey(user->wrapped_key, user->id);
        if (!unwrapped) return unwrapped.error();
        key = std::make_shared<const auth::DataKey>(*unwrapped);
    }
    std::lock_guard lock(mu_);
    if (keys_.size() >= max_cached_) keys_.clear();  // rare; keys are cheap to unwrap again
    keys_.emplace(std::string(user_id), key);
    return key;
}

void PersonalKeys::Forget(std::string_view user_id) {
    std::lock_guard lock(mu_);
    keys_.erase(std::string(user_id));
}

Result<store::Bytes> PersonalKeys::Seal(std::string_view user_id, std::string_view plaintext,
                                        std::string_view context) {
    if (plaintext.empty()) return store::Bytes();
    auto key = KeyOf(user_id);
    if (!key) return key.error();
    if (!*key) {
        store::Bytes plain;
        const auto first = static_cast<std::uint8_t>(plaintext.front());
        if (first == kPlainEscape || first == kSealedTag) plain.push_back(kPlainEscape);
        plain.insert(plain.end(), plaintext.begin(), plaintext.end());
        return plain;
    }
    store::Bytes sealed = auth::Seal(**key, plaintext, context);
    sealed.insert(sealed.begin(), kSealedTag);
    return sealed;
}

Result<std::string> PersonalKeys::Open(std::string_view user_id, const store::Bytes& sealed,
                                       std::string_view context) {
    if (sealed.empty()) return std::string();
    if (sealed.front() != kSealedTag) {
        const std::size_t skip = sealed.front() == kPlainEscape ? 1 : 0;
        return std::string(sealed.begin() + static_cast<std::ptrdiff_t>(skip), sealed.end());
    }
    auto key = KeyOf(user_id);
    if (!key) return key.error();
    if (!*key) return Error{ErrorCode::kUnauthenticated, "the user has no data key"};
    return auth::Open(**key, std::span<const std::uint8_t>(sealed).subspan(1), context);
}

std::string PersonalKeys::OpenOrEmpty(std::string_view user_id, const store::Bytes& sealed,
                                      std::string_view context) {
    auto text = Open(user_id, sealed, context);
    return text ? std::move(*text) : std::string();
}

// --- SealedSessionStore ---

SealedSessionStore::SealedSessionStore(store::SessionStore& inner, PersonalKeys& keys)
    : inner_(inner), keys_(keys) {}

void SealedSessionStore::Remember(const std::string& session_id, const std::string& owner) {
    std::lock_guard lock(mu_);
    if (owners_.size() >= 100000) owners_.clear();
    owners_.emplace(session_id, owner);
}

Result<std::string> SealedSessionStore::OwnerOf(std::string_view session_id) {
    {
        std::lock_guard lock(mu_);
        auto it = owners_.find(std::string(session_id));
        if (it != owners_.end()) return it->second;
    }
    auto session = inner_.GetSession(session_id);
    if (!session) return session.error();
    Remember(session->id, session->owner_user_id);
    return session->owner_user_id;
}

void SealedSessionStore::OpenTurn(store::Turn& turn) {
    if (turn.personal.empty()) return;
    auto owner = OwnerOf(turn.session_id);
    const std::string text =
        owner ? keys_.OpenOrEmpty(*owner, turn.personal, TurnContext(turn.session_id))
              : std::string();
    turn.personal = store::ToBytes(text);
}

Status SealedSessionStore::CreateSession(const store::Session& session) {
    auto created = inner_.CreateSession(session);
    if (created) Remember(session.id, session.owner_user_id);
    return created;
}

Result<store::Session> SealedSessionStore::GetSession(std::string_view id) {
    return inner_.GetSession(id);
}

Result<std::vector<store::Session>> SealedSessionStore::ListSessions(
    std::string_view owner_user_id, std::size_t limit) {
    return inner_.ListSessions(owner_user_id, limit);
}

Status SealedSessionStore::SetSessionStatus(std::string_view id, store::SessionStatus status) {
    return inner_.SetSessionStatus(id, status);
}

Status SealedSessionStore::SetSessionTitle(std::string_view id, std::string_view title) {
    return inner_.SetSessionTitle(id, title);
}

Result<std::int64_t> SealedSessionStore::AppendTurn(const store::NewTurn& turn,
                                                    std::int64_t expected_head) {
    if (turn.personal.empty()) return inner_.AppendTurn(turn, expected_head);
    auto owner = OwnerOf(turn.session_id);
    if (!owner) return owner.error();
    auto sealed =
        keys_.Seal(*owner, store::AsText(turn.personal), TurnContext(turn.session_id));
    if (!sealed) return sealed.error();
    store::NewTurn copy = turn;
    copy.personal = std::move(*sealed);
    return inner_.AppendTurn(copy, expected_head);
}

Status SealedSessionStore::MoveHead(std::string_view session_id, std::int64_t expected_head,
                                    std::int64_t new_head) {
    return inner_.MoveHead(session_id, expected_head, new_head);
}

Result<store::Turn> SealedSessionStore::GetTurn(std::string_view session_id, std::int64_t seq) {
    auto turn = inner_.GetTurn(session_id, seq);
    if (turn) OpenTurn(*turn);
    return turn;
}

Result<std::vector<store::Turn>> SealedSessionStore::LoadChain(std::string_view session_id,
                                                               std::int64_t head_seq,
                                                               std::int64_t after_seq) {
    auto chain = inner_.LoadChain(session_id, head_seq, after_seq);
    if (chain) {
        for (auto& turn : *chain) OpenTurn(turn);
    }
    return chain;
}

Status SealedSessionStore::PutSnapshot(const store::Snapshot& snapshot) {
    return inner_.PutSnapshot(snapshot);
}

Result<std::optional<store::Snapshot>> SealedSessionStore::LatestSnapshot(
    std::string_view session_id, std::int64_t at_seq) {
    return inner_.LatestSnapshot(session_id, at_seq);
}

Status SealedSessionStore::DeleteSession(std::string_view id) {
    auto deleted = inner_.DeleteSession(id);
    std::lock_guard lock(mu_);
    owners_.erase(std::string(id));
    return deleted;
}

// --- SealedAccountStore ---

SealedAccountStore::SealedAccountStore(store::AccountStore& inner, PersonalKeys& keys)
    : inner_(inner), keys_(keys) {}

Status SealedAccountStore::CreateUser(const store::User& user) { return inner_.CreateUser(user); }

Result<store::User> SealedAccountStore::GetUser(std::string_view id) { return inner_.GetUser(id); }

Result<store::User> SealedAccountStore::FindUserByUsername(std::string_view username) {
    return inner_.FindUserByUsername(username);
}

Status SealedAccountStore::SetPasswordHash(std::string_view user_id,
                                           std::string_view password_hash) {
    return inner_.SetPasswordHash(user_id, password_hash);
}

Status SealedAccountStore::GrantRole(std::string_view user_id, std::string_view role) {
    return inner_.GrantRole(user_id, role);
}

Status SealedAccountStore::RevokeRole(std::string_view user_id, std::string_view role) {
    return inner_.RevokeRole(user_id, role);
}

Status SealedAccountStore::DeleteUser(std::string_view id) {
    auto deleted = inner_.DeleteUser(id);
    keys_.Forget(id);
    return deleted;
}

Status SealedAccountStore::InsertRefreshToken(const store::RefreshToken& token) {
    return inner_.InsertRefreshToken(token);
}

Result<store::RefreshToken> SealedAccountStore::GetRefreshToken(std::string_view token_hash) {
    return inner_.GetRefreshToken(token_hash);
}

Result<store::RefreshToken> SealedAccountStore::RotateRefreshToken(
    std::string_view presented_hash, std::string_view new_hash, std::int64_t new_expires_ms,
    std::int64_t now_ms) {
    return inner_.RotateRefreshToken(presented_hash, new_hash, new_expires_ms, now_ms);
}

Status SealedAccountStore::RevokeRefreshFamily(std::string_view family_id) {
    return inner_.RevokeRefreshFamily(family_id);
}

Status SealedAccountStore::RevokeUserRefreshTokens(std::string_view user_id) {
    return inner_.RevokeUserRefreshTokens(user_id);
}

Result<store::Character> SealedAccountStore::Sealed(const store::Character& character) {
    store::Character copy = character;
    auto sealed = keys_.Seal(character.owner_user_id, store::AsText(character.personal),
                             CharacterContext(character.id));
    if (!sealed) return sealed.error();
    copy.personal = std::move(*sealed);
    return copy;
}

void SealedAccountStore::OpenCharacter(store::Character& character) {
    character.personal = store::ToBytes(keys_.OpenOrEmpty(
        character.owner_user_id, character.personal, CharacterContext(character.id)));
}

Status SealedAccountStore::CreateCharacter(const store::Character& character) {
    auto sealed = Sealed(character);
    if (!sealed) return sealed.error();
    return inner_.CreateCharacter(*sealed);
}

Result<store::Character> SealedAccountStore::GetCharacter(std::string_view id) {
    auto character = inner_.GetCharacter(id);
    if (character) OpenCharacter(*character);
    return character;
}

Result<std::vector<store::Character>> SealedAccountStore::ListCharacters(
    std::string_view owner_user_id) {
    auto list = inner_.ListCharacters(owner_user_id);
    if (list) {
        for (auto& c : *list) OpenCharacter(c);
    }
    return list;
}

Status SealedAccountStore::UpdateCharacter(const store::Character& character) {
    // The owner as stored decides the key: the caller's copy is not trusted with it.
    auto stored = inner_.GetCharacter(character.id);
    if (!stored) return stored.error();
    store::Character copy = character;
    copy.owner_user_id = stored->owner_user_id;
    auto sealed = Sealed(copy);
    if (!sealed) return sealed.error();
    return inner_.UpdateCharacter(*sealed);
}

Status SealedAccountStore::DeleteCharacter(std::string_view id) {
    return inner_.DeleteCharacter(id);
}

Result<std::int64_t> SealedAccountStore::AppendSafetyEvent(const store::SafetyEvent& event) {
    auto sealed =
        keys_.Seal(event.user_id, store::AsText(event.personal), SafetyEventContext(event.user_id));
    if (!sealed) return sealed.error();
    store::SafetyEvent copy = event;
    copy.personal = std::move(*sealed);
    return inner_.AppendSafetyEvent(copy);
}

Result<std::vector<store::SafetyEvent>> SealedAccountStore::ListSafetyEvents(
    std::string_view user_id, std::size_t limit) {
    auto list = inner_.ListSafetyEvents(user_id, limit);
    if (list) {
        for (auto& e : *list) {
            e.personal = store::ToBytes(
                keys_.OpenOrEmpty(e.user_id, e.personal, SafetyEventContext(e.user_id)));
        }
    }
    return list;
}

Status SealedAccountStore::PutSafetyPlan(const store::SafetyPlan& plan) {
    auto sealed =
        keys_.Seal(plan.user_id, store::AsText(plan.personal), SafetyPlanContext(plan.user_id));
    if (!sealed) return sealed.error();
    store::SafetyPlan copy = plan;
    copy.personal = std::move(*sealed);
    return inner_.PutSafetyPlan(copy);
}

Result<std::optional<store::SafetyPlan>> SealedAccountStore::GetSafetyPlan(
    std::string_view user_id) {
    auto plan = inner_.GetSafetyPlan(user_id);
    if (plan && *plan) {
        (*plan)->personal = store::ToBytes(
            keys_.OpenOrEmpty(user_id, (*plan)->personal, SafetyPlanContext(user_id)));
    }
    return plan;
}

Status SealedAccountStore::DeleteSafetyPlan(std::string_view user_id) {
    return inner_.DeleteSafetyPlan(user_id);
}

// --- SealedTherapyStore ---

SealedTherapyStore::SealedTherapyStore(store::TherapyStore& inner, PersonalKeys& keys)
    : inner_(inner), keys_(keys) {}

namespace {

// Seals `record.personal` for its user and appends the copy with `append`.
template <typename Record, typename Append>
Result<std::int64_t> AppendSealed(PersonalKeys& keys, const Record& record,
                                  const std::string& context, Append&& append) {
    auto sealed = keys.Seal(record.header.user_id, store::AsText(record.personal), context);
    if (!sealed) return sealed.error();
    Record copy = record;
    copy.personal = std::move(*sealed);
    return append(copy);
}

template <typename Record>
void OpenAll(PersonalKeys& keys, Result<std::vector<Record>>& list,
             std::string (*context)(std::string_view)) {
    if (!list) return;
    for (auto& r : *list) {
        r.personal = store::ToBytes(
            keys.OpenOrEmpty(r.header.user_id, r.personal, context(r.header.user_id)));
    }
}

}  // namespace

Result<std::int64_t> SealedTherapyStore::AppendCheckIn(const store::CheckInRecord& record) {
    return AppendSealed(keys_, record, CheckInContext(record.header.user_id),
                        [this](const auto& r) { return inner_.AppendCheckIn(r); });
}

Result<std::vector<store::CheckInRecord>> SealedTherapyStore::ListCheckIns(
    std::string_view user_id, const store::RecordQuery& query) {
    auto list = inner_.ListCheckIns(user_id, query);
    OpenAll(keys_, list, &CheckInContext);
    return list;
}

Result<std::int64_t> SealedTherapyStore::AppendMeasureResult(
    const store::MeasureResultRecord& record) {
    return AppendSealed(keys_, record, MeasureContext(record.header.user_id),
                        [this](const auto& r) { return inner_.AppendMeasureResult(r); });
}

Result<std::vector<store::MeasureResultRecord>> SealedTherapyStore::ListMeasureResults(
    std::string_view user_id, const store::RecordQuery& query) {
    auto list = inner_.ListMeasureResults(user_id, query);
    OpenAll(keys_, list, &MeasureContext);
    return list;
}

Result<std::int64_t> SealedTherapyStore::AppendPractice(const store::PracticeRecord& record) {
    return inner_.AppendPractice(record);
}

Result<std::vector<store::PracticeRecord>> SealedTherapyStore::ListPractices(
    std::string_view user_id, const store::RecordQuery& query) {
    return inner_.ListPractices(user_id, query);
}

Result<std::int64_t> SealedTherapyStore::AppendJournalEntry(const store::JournalRecord& record) {
    return AppendSealed(keys_, record, JournalContext(record.header.user_id),
                        [this](const auto& r) { return inner_.AppendJournalEntry(r); });
}

Result<std::vector<store::JournalRecord>> SealedTherapyStore::ListJournalEntries(
    std::string_view user_id, const store::RecordQuery& query) {
    auto list = inner_.ListJournalEntries(user_id, query);
    OpenAll(keys_, list, &JournalContext);
    return list;
}

Result<std::int64_t> SealedTherapyStore::AppendSessionSummary(
    const store::SessionSummaryRecord& record) {
    return inner_.AppendSessionSummary(record);
}

Result<std::vector<store::SessionSummaryRecord>> SealedTherapyStore::ListSessionSummaries(
    std::string_view user_id, const store::RecordQuery& query) {
    return inner_.ListSessionSummaries(user_id, query);
}

Result<std::int64_t> SealedTherapyStore::AppendPlannerDecision(
    const store::PlannerRecord& record) {
    return inner_.AppendPlannerDecision(record);
}

Result<std::vector<store::PlannerRecord>> SealedTherapyStore::ListPlannerDecisions(
    std::string_view user_id, const store::RecordQuery& query) {
    return inner_.ListPlannerDecisions(user_id, query);
}

}  // namespace tta::server
