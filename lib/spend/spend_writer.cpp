#include "spend/spend_writer.hpp"

#include "core/thread_name.hpp"
#include "spend/budget_period.hpp"
#include "store/party_sql.hpp"

namespace litellm::spend {

// party_sql names the holders ("key", "user", "team", "customer"); the ledger reuses the names.
std::string entity_of(store::SpendHolder holder, const std::string& id) {
  return std::string(store::party_sql::holder_kind(holder)) + ":" + id;
}

std::optional<std::pair<store::SpendHolder, std::string>> holder_of_entity(
    const std::string& entity) {
  const auto colon = entity.find(':');
  if (colon == std::string::npos) {
    return std::nullopt;
  }
  const std::string kind = entity.substr(0, colon);
  const auto holder =
      kind == "key" ? std::optional(store::SpendHolder::Key) : store::party_sql::holder_of(kind);
  if (!holder) {
    return std::nullopt;
  }
  return std::pair{*holder, entity.substr(colon + 1)};
}

SpendWriter::SpendWriter(store::Database& db, SpendLedger& ledger, const core::Clock& clock,
                         core::Logger& logger, Options options,
                         std::function<void(const std::vector<std::string>&)> on_reset,
                         std::function<void(const std::vector<std::string>&)> on_written)
    : db_(db),
      ledger_(ledger),
      clock_(clock),
      logger_(logger),
      options_(options),
      on_reset_(std::move(on_reset)),
      on_written_(std::move(on_written)),
      thread_([this] {
        core::name_this_thread("spend-writer");
        run();
      }) {}

SpendWriter::~SpendWriter() {
  stop();
}

void SpendWriter::enqueue(store::SpendRow row) {
  std::lock_guard lock(mu_);
  rows_.push_back(std::move(row));
  if (rows_.size() >= options_.batch_rows) {
    cv_.notify_one();
  }
}

std::size_t SpendWriter::queued() const {
  std::lock_guard lock(mu_);
  return rows_.size();
}

bool SpendWriter::flush() {
  return write_once();
}

void SpendWriter::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) {
      return;
    }
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) {
    thread_.join();
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (write_once()) {
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  logger_.error("spend writer: the database did not take the last " + std::to_string(queued()) +
                " spend rows before shutdown");
}

void SpendWriter::run() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    cv_.wait_for(lock, options_.interval,
                 [this] { return stopping_ || rows_.size() >= options_.batch_rows; });
    if (stopping_) {
      break;
    }
    lock.unlock();
    write_once();
    reset_budgets();
    lock.lock();
  }
}

bool SpendWriter::write_once() {
  std::lock_guard write(write_mu_);
  return write_locked();
}

bool SpendWriter::write_locked() {
  std::vector<store::SpendRow> rows;
  {
    std::lock_guard lock(mu_);
    rows.swap(rows_);  // the batch taken whole: no row moved one by one under the lock
  }
  auto amounts = ledger_.take();
  // Keys and parties keep running totals in the database; the proxy's is the sum of the rows.
  std::vector<store::SpendAmount> holder_amounts;
  for (const auto& [entity, usd] : amounts) {
    if (auto holder = holder_of_entity(entity)) {
      holder_amounts.push_back(store::SpendAmount{holder->first, holder->second, usd});
    }
  }
  if (rows.empty() && holder_amounts.empty()) {
    ledger_.committed(amounts);
    return true;
  }
  if (auto ok = db_.write_spend(rows, holder_amounts); !ok) {
    ledger_.restore(amounts);
    {
      std::lock_guard lock(mu_);
      // Kept in order: the failed batch, then what finished requests queued meanwhile.
      rows.insert(rows.end(), std::make_move_iterator(rows_.begin()),
                  std::make_move_iterator(rows_.end()));
      rows_.swap(rows);
    }
    if (!failing_) {
      logger_.warn("spend not written yet (kept in memory, retried every second): " +
                   ok.error().message);
    }
    failing_ = true;
    return false;
  }
  if (failing_) {
    logger_.info("spend writer: the database is back; queued spend written");
  }
  failing_ = false;
  ledger_.committed(amounts);
  if (on_written_ && !amounts.empty()) {
    std::vector<std::string> entities;
    entities.reserve(amounts.size());
    for (const auto& [entity, usd] : amounts) {
      entities.push_back(entity);
    }
    on_written_(entities);
  }
  return true;
}

void SpendWriter::reset_budgets() {
  const std::int64_t now = clock_.unix_seconds();
  std::vector<std::string> entities;
  {
    // Amounts from before the reset are written first, so they count in the period they belong
    // to and not in the new one.
    std::lock_guard write(write_mu_);
    write_locked();
    auto due = db_.due_budget_resets(now);
    if (!due || due->empty()) {
      return;
    }
    std::vector<store::BudgetReset> next;
    for (const auto& d : *due) {
      if (const auto period = parse_duration(d.budget_duration)) {
        next.push_back(store::BudgetReset{d.holder, d.id, next_budget_reset(*period, now)});
        entities.push_back(entity_of(d.holder, d.id));
      }
    }
    if (auto ok = db_.reset_budgets(next); !ok) {
      logger_.warn("budget reset not written yet: " + ok.error().message);
      return;
    }
  }
  on_reset_(entities);
}

}  // namespace litellm::spend
