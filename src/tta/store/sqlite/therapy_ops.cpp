// TherapyStore on SQLite: six append-only tables of per-user records with the same header
// columns (schema: migrations.cpp, version 4). Each kind is described once — its table, its
// own columns, how to bind and read them — and shares the append and list code.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "tta/store/sqlite/store_impl.hpp"

namespace tta::store::sqlite {

namespace {

Status CheckHeader(const RecordHeader& h) {
    if (h.user_id.empty()) return Error::Invalid("a therapy record needs a user id");
    if (h.turn < 0) return Error::Invalid("a therapy record's turn must not be negative");
    return Ok();
}

Status UserExists(Connection& c, std::string_view id) {
    auto q = c.Prepare("SELECT 1 FROM users WHERE id = ?1");
    if (!q) return q.error();
    auto row = q->Bind(1, id).Step();
    if (!row) return row.error();
    if (!*row) return Error::NotFound("no user " + std::string(id));
    return Ok();
}

RecordHeader ReadHeader(const Stmt& s) {
    RecordHeader h;
    h.id = s.Int(0);
    h.user_id = s.Text(1);
    h.session_id = s.Text(2);
    h.turn = s.Int(3);
    h.created_ms = s.Int(4);
    return h;
}

std::int64_t ClampLimit(std::size_t limit) {
    constexpr auto kMax = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
    return static_cast<std::int64_t>(limit > kMax ? kMax : limit);
}

// One kind of record: its table and the columns after the header, bound from ?5 on and read
// from column 5 on.
template <typename R>
struct Kind {
    std::string_view op;  // for the observer, e.g. "AppendCheckIn"
    std::string_view list_op;
    std::string_view table;
    std::string_view columns;       // "score, mode, personal"
    std::string_view placeholders;  // "?5, ?6, ?7"
    Status (*check)(const R&);
    void (*bind)(Stmt&, const R&);
    void (*read)(const Stmt&, R&);
};

// Impl is a template parameter because SqliteStore::Impl is private to the store's members.
template <typename Impl, typename R>
Result<std::int64_t> Append(Impl& impl, const Kind<R>& kind, const R& record) {
    return impl.Observe(kind.op, [&]() -> Result<std::int64_t> {
        if (auto s = CheckHeader(record.header); !s) return s.error();
        if (auto s = kind.check(record); !s) return s.error();
        const std::string sql = "INSERT INTO " + std::string(kind.table) +
                                " (user_id, session_id, turn, created_ms, " +
                                std::string(kind.columns) + ") VALUES (?1, ?2, ?3, ?4, " +
                                std::string(kind.placeholders) + ") RETURNING id";
        std::int64_t id = 0;
        auto written = impl.Write([&](Connection& c) -> Status {
            if (auto s = UserExists(c, record.header.user_id); !s) return s;
            auto q = c.Prepare(sql);
            if (!q) return q.error();
            q->Bind(1, record.header.user_id)
                .Bind(2, record.header.session_id)
                .Bind(3, record.header.turn)
                .Bind(4, record.header.created_ms);
            kind.bind(*q, record);
            auto row = q->Step();
            if (!row) return row.error();
            if (!*row) return Error::Internal("INSERT ... RETURNING gave no row");
            id = q->Int(0);
            return q->Run();
        });
        if (!written) return written.error();
        return id;
    });
}

template <typename Impl, typename R>
Result<std::vector<R>> List(Impl& impl, const Kind<R>& kind, std::string_view user_id,
                            const RecordQuery& query) {
    return impl.Observe(kind.list_op, [&] {
        const std::string sql = "SELECT id, user_id, session_id, turn, created_ms, " +
                                std::string(kind.columns) + " FROM " + std::string(kind.table) +
                                " WHERE user_id = ?1 AND (?2 = '' OR session_id = ?2)"
                                " AND (?3 = 0 OR id < ?3) ORDER BY id DESC LIMIT ?4";
        return impl.Read([&](Connection& c) -> Result<std::vector<R>> {
            auto q = c.Prepare(sql);
            if (!q) return q.error();
            q->Bind(1, user_id)
                .Bind(2, query.session_id)
                .Bind(3, query.before_id)
                .Bind(4, ClampLimit(query.limit));
            std::vector<R> out;
            while (true) {
                auto row = q->Step();
                if (!row) return row.error();
                if (!*row) break;
                R record;
                record.header = ReadHeader(*q);
                kind.read(*q, record);
                out.push_back(std::move(record));
            }
            std::reverse(out.begin(), out.end());  // newest selected, oldest first returned
            return out;
        });
    });
}

bool OneOf(std::string_view value, std::initializer_list<std::string_view> allowed) {
    return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

const Kind<CheckInRecord> kCheckIns{
    "AppendCheckIn",
    "ListCheckIns",
    "mood_check_ins",
    "score, mode, personal",
    "?5, ?6, ?7",
    [](const CheckInRecord& r) -> Status {
        if (r.score < 0 || r.score > 10) {
            return Error::Invalid("a mood score must be between 0 and 10, not " +
                                  std::to_string(r.score));
        }
        if (!OneOf(r.mode, {"in_story", "out_of_character"})) {
            return Error::Invalid("a check-in's mode must be in_story or out_of_character, not '" +
                                  r.mode + "'");
        }
        return Ok();
    },
    [](Stmt& q, const CheckInRecord& r) { q.Bind(5, r.score).Bind(6, r.mode).Bind(7, r.personal); },
    [](const Stmt& q, CheckInRecord& r) {
        r.score = static_cast<int>(q.Int(5));
        r.mode = q.Text(6);
        r.personal = q.Blob(7);
    }};

const Kind<MeasureResultRecord> kMeasures{
    "AppendMeasureResult",
    "ListMeasureResults",
    "measure_results",
    "measure, total, severity, item9_flag, personal",
    "?5, ?6, ?7, ?8, ?9",
    [](const MeasureResultRecord& r) -> Status {
        if (!OneOf(r.measure, {"phq9", "gad7"})) {
            return Error::Invalid("a questionnaire must be phq9 or gad7, not '" + r.measure + "'");
        }
        if (r.total < 0) return Error::Invalid("a questionnaire total must not be negative");
        if (!OneOf(r.severity, {"minimal", "mild", "moderate", "moderately_severe", "severe"})) {
            return Error::Invalid("unknown severity '" + r.severity + "'");
        }
        return Ok();
    },
    [](Stmt& q, const MeasureResultRecord& r) {
        q.Bind(5, r.measure)
            .Bind(6, r.total)
            .Bind(7, r.severity)
            .Bind(8, r.item9_flag ? 1 : 0)
            .Bind(9, r.personal);
    },
    [](const Stmt& q, MeasureResultRecord& r) {
        r.measure = q.Text(5);
        r.total = static_cast<int>(q.Int(6));
        r.severity = q.Text(7);
        r.item9_flag = q.Int(8) != 0;
        r.personal = q.Blob(9);
    }};

const Kind<PracticeRecord> kPractices{
    "AppendPractice",
    "ListPractices",
    "skill_practices",
    "technique, beat, outcome",
    "?5, ?6, ?7",
    [](const PracticeRecord& r) -> Status {
        if (r.technique.empty() || r.outcome.empty()) {
            return Error::Invalid("a skill practice needs a technique and an outcome");
        }
        return Ok();
    },
    [](Stmt& q, const PracticeRecord& r) {
        q.Bind(5, r.technique).Bind(6, r.beat).Bind(7, r.outcome);
    },
    [](const Stmt& q, PracticeRecord& r) {
        r.technique = q.Text(5);
        r.beat = q.Text(6);
        r.outcome = q.Text(7);
    }};

const Kind<JournalRecord> kJournal{
    "AppendJournalEntry",
    "ListJournalEntries",
    "journal_entries",
    "personal",
    "?5",
    [](const JournalRecord& r) -> Status {
        if (r.personal.empty()) return Error::Invalid("a journal entry must not be empty");
        return Ok();
    },
    [](Stmt& q, const JournalRecord& r) { q.Bind(5, r.personal); },
    [](const Stmt& q, JournalRecord& r) { r.personal = q.Blob(5); }};

const Kind<SessionSummaryRecord> kSummaries{
    "AppendSessionSummary",
    "ListSessionSummaries",
    "session_summaries",
    "summary",
    "?5",
    [](const SessionSummaryRecord& r) -> Status {
        if (r.summary.empty()) return Error::Invalid("a session summary must not be empty");
        return Ok();
    },
    [](Stmt& q, const SessionSummaryRecord& r) { q.Bind(5, r.summary); },
    [](const Stmt& q, SessionSummaryRecord& r) { r.summary = q.Text(5); }};

const Kind<PlannerRecord> kDecisions{
    "AppendPlannerDecision",
    "ListPlannerDecisions",
    "planner_decisions",
    "beat, technique, reason",
    "?5, ?6, ?7",
    [](const PlannerRecord& r) -> Status {
        if (r.reason.empty()) return Error::Invalid("a planner decision needs its reason");
        if (r.beat.empty() != r.technique.empty()) {
            return Error::Invalid(
                "a planner decision names both a beat and its technique, or "
                "neither");
        }
        return Ok();
    },
    [](Stmt& q, const PlannerRecord& r) {
        q.Bind(5, r.beat).Bind(6, r.technique).Bind(7, r.reason);
    },
    [](const Stmt& q, PlannerRecord& r) {
        r.beat = q.Text(5);
        r.technique = q.Text(6);
        r.reason = q.Text(7);
    }};

}  // namespace

Result<std::int64_t> SqliteStore::AppendCheckIn(const CheckInRecord& record) {
    return Append(*impl_, kCheckIns, record);
}
Result<std::vector<CheckInRecord>> SqliteStore::ListCheckIns(std::string_view user_id,
                                                             const RecordQuery& query) {
    return List(*impl_, kCheckIns, user_id, query);
}

Result<std::int64_t> SqliteStore::AppendMeasureResult(const MeasureResultRecord& record) {
    return Append(*impl_, kMeasures, record);
}
Result<std::vector<MeasureResultRecord>> SqliteStore::ListMeasureResults(std::string_view user_id,
                                                                         const RecordQuery& query) {
    return List(*impl_, kMeasures, user_id, query);
}

Result<std::int64_t> SqliteStore::AppendPractice(const PracticeRecord& record) {
    return Append(*impl_, kPractices, record);
}
Result<std::vector<PracticeRecord>> SqliteStore::ListPractices(std::string_view user_id,
                                                               const RecordQuery& query) {
    return List(*impl_, kPractices, user_id, query);
}

Result<std::int64_t> SqliteStore::AppendJournalEntry(const JournalRecord& record) {
    return Append(*impl_, kJournal, record);
}
Result<std::vector<JournalRecord>> SqliteStore::ListJournalEntries(std::string_view user_id,
                                                                   const RecordQuery& query) {
    return List(*impl_, kJournal, user_id, query);
}

Result<std::int64_t> SqliteStore::AppendSessionSummary(const SessionSummaryRecord& record) {
    return Append(*impl_, kSummaries, record);
}
Result<std::vector<SessionSummaryRecord>> SqliteStore::ListSessionSummaries(
    std::string_view user_id, const RecordQuery& query) {
    return List(*impl_, kSummaries, user_id, query);
}

Result<std::int64_t> SqliteStore::AppendPlannerDecision(const PlannerRecord& record) {
    return Append(*impl_, kDecisions, record);
}
Result<std::vector<PlannerRecord>> SqliteStore::ListPlannerDecisions(std::string_view user_id,
                                                                     const RecordQuery& query) {
    return List(*impl_, kDecisions, user_id, query);
}

}  // namespace tta::store::sqlite
